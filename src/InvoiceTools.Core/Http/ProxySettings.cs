using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace InvoiceTools.Http;

/// <summary>
/// Which proxy a connection uses. An explicit -Proxy wins. Otherwise .NET (PowerShell 7) already reads HTTPS_PROXY,
/// HTTP_PROXY, ALL_PROXY and NO_PROXY, and the system proxy on Windows and macOS. .NET Framework (Windows PowerShell
/// 5.1) reads only the system proxy, so there the module reads the variables itself with the same rules.
/// </summary>
public sealed class ProxySettings
{
    private ProxySettings(IWebProxy? proxy, string description)
    {
        Proxy = proxy;
        Description = description;
    }

    /// <summary>The proxy to set on the handler, or null for the platform's default.</summary>
    public IWebProxy? Proxy { get; }

    /// <summary>What the connection shows: the proxy's address without credentials, or where the default comes from.</summary>
    public string Description { get; }

    /// <summary>Decides the proxy for a real (non-sandbox) connection.</summary>
    /// <param name="explicitProxy">-Proxy, or null.</param>
    /// <param name="credential">-ProxyCredential, or null.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="platformReadsVariables">True on .NET, whose default proxy already honours the variables.</param>
    public static ProxySettings Resolve(Uri? explicitProxy, NetworkCredential? credential, Func<string, string?> environment, bool platformReadsVariables)
    {
        if (environment is null)
        {
            throw new ArgumentNullException(nameof(environment));
        }

        if (explicitProxy is not null)
        {
            var proxy = new WebProxy(WithoutUserInfo(explicitProxy)) { Credentials = credential ?? CredentialsIn(explicitProxy) };
            return new ProxySettings(proxy, WithoutUserInfo(explicitProxy) + " (-Proxy" + (proxy.Credentials is null ? string.Empty : ", with credentials") + ")");
        }

        var (name, value) = new[] { "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy" }
            .Select(n => (Name: n, Value: environment(n)))
            .FirstOrDefault(p => !string.IsNullOrWhiteSpace(p.Value));
        if (name is null || !Uri.TryCreate(value!.Contains("://") ? value.Trim() : "http://" + value.Trim(), UriKind.Absolute, out var fromVariable))
        {
            return new ProxySettings(null, "system default");
        }

        if (platformReadsVariables)
        {
            return new ProxySettings(null, WithoutUserInfo(fromVariable) + " (" + name + ")");
        }

        var bypass = environment("NO_PROXY") ?? environment("no_proxy");
        return new ProxySettings(
            new EnvironmentProxy(WithoutUserInfo(fromVariable), credential ?? CredentialsIn(fromVariable), bypass),
            WithoutUserInfo(fromVariable) + " (" + name + ")");
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

    /// <summary>A proxy from the environment with curl's NO_PROXY rules: "*", host names, ".domain" or "domain" suffixes, optional ports.</summary>
    internal sealed class EnvironmentProxy : IWebProxy
    {
        private readonly Uri _proxy;
        private readonly IReadOnlyList<string> _bypass;

        public EnvironmentProxy(Uri proxy, ICredentials? credentials, string? noProxy)
        {
            _proxy = proxy;
            Credentials = credentials;
            _bypass = (noProxy ?? string.Empty).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Length > 0).ToList();
        }

        public ICredentials? Credentials { get; set; }

        public Uri GetProxy(Uri destination) => IsBypassed(destination) ? destination : _proxy;

        public bool IsBypassed(Uri host)
        {
            if (host is null)
            {
                throw new ArgumentNullException(nameof(host));
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
