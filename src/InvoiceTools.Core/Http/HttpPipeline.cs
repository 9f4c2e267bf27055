using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using InvoiceTools.Connections;
using InvoiceTools.Providers;

namespace InvoiceTools.Http;

/// <summary>Builds a connection's one HttpClient: retries outside, credentials inside, the transport innermost.</summary>
internal static class HttpPipeline
{
    public static HttpClient Create(Uri origin, InvoiceProvider provider, ApiSecret secret, IReadOnlyDictionary<string, string> settings, RetryOptions retry, TimeProvider time, HttpMessageHandler primary)
    {
        var credentials = new CredentialHandler(origin, provider, secret, settings, primary);
        var resilience = new ResilienceHandler(retry, time, credentials, new SecretMask(secret));
        return new HttpClient(resilience, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
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
