using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace InvoiceTools.Http;

/// <summary>
/// Which proxy a connection uses: an explicit -Proxy; else HTTPS_PROXY / HTTP_PROXY / ALL_PROXY minus NO_PROXY, the
/// variables .NET and curl read; else the system proxy. The variables are read here on both runtimes rather than left
/// to .NET: .NET Framework (Windows PowerShell 5.1) ignores them, and .NET reads them once per process, so a job
/// sharing an Azure Automation process with another would not see its own.
/// </summary>
internal sealed class ProxySettings
{
    private ProxySettings(IWebProxy? proxy, ICredentials? defaultProxyCredentials, string description)
    {
        Proxy = proxy;
        DefaultProxyCredentials = defaultProxyCredentials;
        Description = description;
    }

    /// <summary>How the system proxy is shown; every description has the shape "address (source[, with credentials])".</summary>
    public static string DescribeSystemProxy(bool withCredentials) =>
        withCredentials ? "system proxy (system settings, with credentials)" : "system proxy (system settings)";

    /// <summary>The proxy to set on the handler, or null for the system proxy.</summary>
    public IWebProxy? Proxy { get; }

    /// <summary>For the system proxy: -ProxyCredential, or null for the signed-in user's credentials.</summary>
    public ICredentials? DefaultProxyCredentials { get; }

    /// <summary>What the connection shows: the proxy's address without credentials, or where the default comes from.</summary>
    public string Description { get; }

    /// <summary>Decides the proxy for a real (non-sandbox) connection.</summary>
    /// <param name="explicitProxy">-Proxy, or null.</param>
    /// <param name="credential">-ProxyCredential, or null.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static ProxySettings Resolve(Uri? explicitProxy, NetworkCredential? credential, Func<string, string?> environment)
    {
        if (environment is null)
        {
            throw new ArgumentNullException(nameof(environment));
        }

        if (explicitProxy is not null)
        {
            var given = credential ?? CredentialsIn(explicitProxy);
            var proxy = new WebProxy(WithoutUserInfo(explicitProxy)) { Credentials = given };
            return new ProxySettings(proxy, null, $"{WithoutUserInfo(explicitProxy)} (-Proxy{(given is null ? string.Empty : ", with credentials")})");
        }

        var https = Variable(environment, "HTTPS_PROXY");
        var http = Variable(environment, "HTTP_PROXY");
        var all = Variable(environment, "ALL_PROXY");
        var forHttps = https ?? all;
        var forHttp = http ?? all;
        if (forHttps is null && forHttp is null)
        {
            return new ProxySettings(null, credential, DescribeSystemProxy(credential is not null));
        }

        var bypass = environment("NO_PROXY") ?? environment("no_proxy");
        var shown = forHttps ?? forHttp!;
        return new ProxySettings(
            new EnvironmentProxy(forHttps is null ? null : WithoutUserInfo(forHttps.Value.Uri), forHttp is null ? null : WithoutUserInfo(forHttp.Value.Uri), credential ?? CredentialsIn(shown.Value.Uri), bypass),
            null,
            $"{WithoutUserInfo(shown.Value.Uri)} ({shown.Value.Name}{(credential is null && CredentialsIn(shown.Value.Uri) is null ? string.Empty : ", with credentials")})");
    }

    private static (string Name, Uri Uri)? Variable(Func<string, string?> environment, string name)
    {
        foreach (var candidate in new[] { name, name.ToLowerInvariant() })
        {
            var value = environment(candidate);
            if (!string.IsNullOrWhiteSpace(value)
                && Uri.TryCreate(value!.Contains("://") ? value.Trim() : "http://" + value.Trim(), UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return (candidate, uri);
            }
        }

        return null;
    }

    private static Uri WithoutUserInfo(Uri uri) =>
        uri.UserInfo.Length == 0 ? uri : new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;

    private static NetworkCredential? CredentialsIn(Uri uri)
    {
        if (uri.UserInfo.Length == 0)
        {
            return null;
        }

        var parts = uri.UserInfo.Split(new[] { ':' }, 2);
        return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
    }

    /// <summary>
    /// A proxy from the environment: one for https and one for http destinations, with curl's NO_PROXY rules ("*",
    /// host names, ".domain" or "domain" suffixes, optional ports). Loopback addresses never go through it, as in .NET.
    /// </summary>
    internal sealed class EnvironmentProxy : IWebProxy
    {
        private readonly Uri? _https;
        private readonly Uri? _http;
        private readonly IReadOnlyList<string> _bypass;

        public EnvironmentProxy(Uri? https, Uri? http, ICredentials? credentials, string? noProxy)
        {
            _https = https;
            _http = http;
            Credentials = credentials;
            _bypass = (noProxy ?? string.Empty).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Length > 0).ToList();
        }

        public ICredentials? Credentials { get; set; }

        public Uri GetProxy(Uri destination) => IsBypassed(destination) ? destination : ProxyFor(destination)!;

        private Uri? ProxyFor(Uri destination) => destination.Scheme == Uri.UriSchemeHttps ? _https : _http;

        public bool IsBypassed(Uri host)
        {
            if (host is null)
            {
                throw new ArgumentNullException(nameof(host));
            }

            if (ProxyFor(host) is null || host.IsLoopback)
            {
                return true;
            }

            var name = host.IdnHost.ToLowerInvariant();
            foreach (var entry in _bypass)
            {
                if (entry == "*")
                {
                    return true;
                }

                var pattern = entry;
                var colon = pattern.LastIndexOf(':');
                if (colon > 0 && pattern.IndexOf(']') < colon && int.TryParse(pattern.Substring(colon + 1), out var port))
                {
                    if (port != host.Port)
                    {
                        continue;
                    }

                    pattern = pattern.Substring(0, colon);
                }

                pattern = pattern.TrimStart('*').TrimStart('.');
                if (name == pattern || name.EndsWith("." + pattern, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
