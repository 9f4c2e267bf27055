using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Sandbox;
using InvoiceTools.Sandbox.Host;

// dotnet run --project src/InvoiceTools.Sandbox.Host -- --port 5080 --latency 50
var port = 5080;
var latency = 0;
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
        case "-h" or "--help":
            Console.WriteLine("Serves the InvoiceTools sandbox on 127.0.0.1.\n  --port N       port to listen on (default 5080; 0 picks a free one)\n  --latency MS   delay added to every answer (default 0)");
            return 0;
        default:
            Console.Error.WriteLine("Unknown or incomplete argument '" + args[i] + "'. Use --port N and --latency MS (see --help).");
            return 2;
    }
}

var sandbox = new InvoiceSandbox(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(latency) });
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
