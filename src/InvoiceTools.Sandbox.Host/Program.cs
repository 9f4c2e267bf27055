using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Sandbox;
using InvoiceTools.Sandbox.Host;

// dotnet run --project src/InvoiceTools.Sandbox.Host -- --port 5080 --latency 50 --invoices 20000
var port = 5080;
var latency = 0;
var options = new SandboxOptions();
var faults = new System.Collections.Generic.List<(string Api, SandboxFaultKind Kind)>();
var opteriusRealShape = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535:
            port = p;
            i++;
            break;
        case "--latency" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var l):
            latency = l;
            i++;
            break;
        case "--invoices" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var all) && all > 0:
            options.RevereInvoiceCount = options.Revolv3InvoiceCount = options.OpteriusInvoiceCount = options.KitchenInvoiceCount = options.XenditInvoiceCount = all;
            i++;
            break;
        case "--count" when i + 1 < args.Length && SetCount(options, args[i + 1]):
            i++;
            break;
        case "--fault" when i + 1 < args.Length && ParseFault(args[i + 1]) is { } fault:
            faults.Add(fault);
            i++;
            break;
        case "--opterius-real-shape":
            opteriusRealShape = true;
            break;
        case "-h" or "--help":
            Console.WriteLine("Serves the InvoiceTools sandbox on 127.0.0.1.\n  --port N            port to listen on (default 5080; 0 picks a free one)\n  --latency MS        delay added to every answer (default 0)\n  --invoices N        invoices in every provider's data set\n  --count API=N       invoices in one data set (revere, revolv3, opterius, kitchen, xendit); repeatable\n  --opterius-real-shape  Opterius answers as the published server does: every invoice at once, no meta\n  --fault API=KIND    answer one request of that API with a fault, from its second request on, in order; repeatable\n                      KIND: " + string.Join(", ", Enum.GetNames<SandboxFaultKind>()));
            return 0;
        default:
            Console.Error.WriteLine("Unknown or incomplete argument '" + args[i] + "'. Use --port N, --latency MS, --invoices N, --count API=N, --opterius-real-shape or --fault API=KIND (see --help).");
            return 2;
    }
}

options.Latency = TimeSpan.FromMilliseconds(latency);
var sandbox = new InvoiceSandbox(options);
sandbox.Opterius.RealShape = opteriusRealShape;
foreach (var group in faults.GroupBy(f => f.Api, StringComparer.OrdinalIgnoreCase))
{
    var first = true;
    foreach (var (api, kind) in group)
    {
        sandbox.InjectFault(kind, times: 1, api: api, afterRequests: first ? 1 : 0);
        first = false;
    }
}

await using var server = await SandboxServer.StartAsync(sandbox, port).ConfigureAwait(false);
Console.WriteLine("InvoiceTools sandbox listening on " + server.BaseUri + " (latency " + latency.ToString(CultureInfo.InvariantCulture) + " ms). Ctrl+C stops it.");
Console.WriteLine("  Revere Payments: " + server.ApiBase(RevereApi.ApiName) + "   API key: " + RevereApi.ApiKey + "   group id: " + RevereApi.GroupId);
Console.WriteLine("  Connect-InvoiceProvider -Provider Revere -BaseUri " + server.ApiBase(RevereApi.ApiName) + " -GroupId " + RevereApi.GroupId + " -ApiKey (ConvertTo-SecureString " + RevereApi.ApiKey + " -AsPlainText -Force)");
Console.WriteLine("  Revolv3:          " + server.ApiBase(Revolv3Api.ApiName) + "   x-revolv3-token: " + Revolv3Api.Token);
Console.WriteLine("  Opterius:         " + server.ApiBase(OpteriusApi.ApiName) + "   Bearer token: " + OpteriusApi.Token);
Console.WriteLine("  Kitchen:          " + server.ApiBase(KitchenApi.ApiName) + "   Bearer key: " + KitchenApi.ApiKey + " (use -BaseUri, not -Workspace)");
Console.WriteLine("  Xendit (direct):  " + server.ApiBase(XenditApi.DirectApiName) + "   secret key: " + XenditApi.SecretKey);
Console.WriteLine("  Xendit (Appgregator proxy): " + server.ApiBase(XenditApi.ProxyApiName) + "   x-api-key: " + XenditApi.ProxyKey);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
}

return 0;

static (string Api, SandboxFaultKind Kind)? ParseFault(string assignment)
{
    var parts = assignment.Split('=');
    var apis = new[] { RevereApi.ApiName, Revolv3Api.ApiName, OpteriusApi.ApiName, KitchenApi.ApiName, XenditApi.DirectApiName, XenditApi.ProxyApiName };
    if (parts.Length != 2 || !apis.Contains(parts[0].ToLowerInvariant()) || !Enum.TryParse<SandboxFaultKind>(parts[1], ignoreCase: true, out var kind)
        || SandboxFaultMatrix.WhyNotFor(kind, parts[0].ToLowerInvariant()) is not null)
    {
        return null;
    }

    return (parts[0].ToLowerInvariant(), kind);
}

static bool SetCount(SandboxOptions options, string assignment)
{
    var parts = assignment.Split('=');
    if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
    {
        return false;
    }

    switch (parts[0].ToUpperInvariant())
    {
        case "REVERE": options.RevereInvoiceCount = count; return true;
        case "REVOLV3": options.Revolv3InvoiceCount = count; return true;
        case "OPTERIUS": options.OpteriusInvoiceCount = count; return true;
        case "KITCHEN": options.KitchenInvoiceCount = count; return true;
        case "XENDIT": options.XenditInvoiceCount = count; return true;
        default: return false;
    }
}
