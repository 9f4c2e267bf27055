using System.Linq;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Every request says who sends it: InvoiceTools/&lt;version&gt;, and the host program when the cmdlet layer gives it.</summary>
public sealed class UserAgentTests
{
    public static TheoryData<InvoiceProviderKind, XenditGateway, string?, string> Cases()
    {
        var data = new TheoryData<InvoiceProviderKind, XenditGateway, string?, string>();
        var version = HttpPipeline.ModuleVersion;
        foreach (var (provider, gateway) in new[] { (InvoiceProviderKind.Revere, XenditGateway.Direct), (InvoiceProviderKind.Revolv3, XenditGateway.Direct), (InvoiceProviderKind.Opterius, XenditGateway.Direct), (InvoiceProviderKind.Kitchen, XenditGateway.Direct), (InvoiceProviderKind.Xendit, XenditGateway.Direct), (InvoiceProviderKind.Xendit, XenditGateway.Appgregator) })
        {
            data.Add(provider, gateway, null, $"InvoiceTools/{version}");
            data.Add(provider, gateway, "PowerShell Core 7.6.9; Linux", $"InvoiceTools/{version} (PowerShell Core 7.6.9; Linux)");
            data.Add(provider, gateway, "Windows PowerShell 5.1.22621.4391; Windows\r\nX-Injected: (yes)\u00e9", $"InvoiceTools/{version} (Windows PowerShell 5.1.22621.4391; WindowsX-Injected: yes)");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_request_carries_the_module_and_host_in_its_user_agent(InvoiceProviderKind provider, XenditGateway gateway, string? hostProduct, string expected)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 150, Revolv3InvoiceCount = 150, OpteriusInvoiceCount = 150, KitchenInvoiceCount = 150, XenditInvoiceCount = 150 });
        var api = gateway == XenditGateway.Appgregator ? XenditApi.ProxyApiName : LoopbackSandbox.ApiName(provider);
        var sandbox = SandboxDefaultsFor(provider, gateway);
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = provider,
            Gateway = gateway,
            BaseUri = host.Server.ApiBase(api).AbsoluteUri,
            GroupId = provider == InvoiceProviderKind.Revere ? RevereApi.GroupId.ToString() : null,
            ApiKey = LoopbackSandbox.Secure(sandbox),
            HostProduct = hostProduct,
            EnvironmentVariables = _ => null,
            Retry = new RetryOptions { AttemptTimeout = System.Threading.Timeout.InfiniteTimeSpan },
            Paging = PagingOptions.Sequential,
        });

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 50 }).ToListAsync();
        var one = InvoiceEngine.GetInvoicesById(connection, new[] { invoices[0].Id }).Single();

        Assert.NotNull(one.Invoice);
        Assert.True(host.Sandbox.Requests.Count >= 4, $"{host.Sandbox.Requests.Count} requests");
        Assert.All(host.Sandbox.Requests, r => Assert.Equal(expected, r.Header("User-Agent")));
        Assert.Matches(@"^InvoiceTools/\d+\.\d+\.\d+", expected);
    }

    private static string SandboxDefaultsFor(InvoiceProviderKind provider, XenditGateway gateway) =>
        new InvoiceSandbox().AsServer().AccountFor(Providers.ProviderCatalog.Get(provider).SandboxDefaultsFor(new ConnectionOptions { Provider = provider, Gateway = gateway }).Route).ApiKey;
}
