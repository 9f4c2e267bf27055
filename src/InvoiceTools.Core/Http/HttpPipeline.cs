using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace InvoiceTools.Http;

/// <summary>Builds a connection's one HttpClient: retries outside, credentials inside, the transport innermost.</summary>
internal static class HttpPipeline
{
    /// <summary>
    /// The client for a connection to <paramref name="origin"/>: <paramref name="writeCredentials"/> writes the key onto
    /// each attempt (see <see cref="CredentialHandler"/>), <paramref name="mask"/> hides it in what responses say.
    /// </summary>
    public static HttpClient Create(Uri origin, InvoiceProviderKind provider, Action<HttpRequestMessage> writeCredentials, SecretMask mask, RetryOptions retry, TimeProvider time, HttpMessageHandler primary, string? hostProduct = null)
    {
        var credentials = new CredentialHandler(origin, provider, writeCredentials, primary);
        var resilience = new ResilienceHandler(retry, time, credentials, mask);
        var client = new HttpClient(resilience, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent(hostProduct));
        return client;
    }

    /// <summary>The module's version as its manifest gives it (the assembly's informational version without build metadata).</summary>
    public static string ModuleVersion { get; } = ReadModuleVersion();

    /// <summary><c>InvoiceTools/1.2.0</c>, with <c>(host)</c> after it when the host program is known.</summary>
    public static string UserAgent(string? hostProduct)
    {
        var host = new string((hostProduct ?? string.Empty).Where(c => c >= ' ' && c <= '~' && c != '(' && c != ')').ToArray()).Trim();
        return host.Length == 0 ? $"InvoiceTools/{ModuleVersion}" : $"InvoiceTools/{ModuleVersion} ({host})";
    }

    private static string ReadModuleVersion()
    {
        var assembly = typeof(HttpPipeline).Assembly;
        var informational = System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion;
        var version = informational?.Split('+')[0];
        return string.IsNullOrEmpty(version) ? assembly.GetName().Version?.ToString(3) ?? "0.0.0" : version!;
    }

    /// <summary>
    /// The transport for real providers: no automatic redirects (they could carry custom auth headers to another host),
    /// compressed responses, and enough connections for the pages a run keeps in flight (Windows PowerShell's
    /// .NET Framework allows only two per host unless told otherwise).
    /// </summary>
    public static HttpMessageHandler CreateNetworkHandler(int pagesInFlight, ProxySettings proxy)
    {
        TlsPolicy.EnsureOnNetFramework();
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseProxy = true,
            MaxConnectionsPerServer = Math.Max(2, pagesInFlight + 1),
        };
        if (proxy.Proxy is not null)
        {
            handler.Proxy = proxy.Proxy;
        }
        else
        {
            // The system proxy: -ProxyCredential, else the signed-in user's (corporate proxies with Windows sign-in).
            handler.DefaultProxyCredentials = proxy.DefaultProxyCredentials ?? CredentialCache.DefaultCredentials;
        }

        return handler;
    }
}
