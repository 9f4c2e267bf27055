using System;
using System.Collections.Generic;
using System.Linq;

namespace InvoiceTools.Sandbox;

/// <summary>An HTTP request as the emulator sees it, independent of how it arrived (in-process or over a socket).</summary>
public sealed class SandboxRequest
{
    private readonly Dictionary<string, string> _headers;

    /// <summary>Creates a request from its parts.</summary>
    public SandboxRequest(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers)
    {
        if (uri is null)
        {
            throw new ArgumentNullException(nameof(uri));
        }

        Method = method ?? throw new ArgumentNullException(nameof(method));
        Uri = uri;
        Path = Uri.UnescapeDataString(uri.AbsolutePath);
        Query = ParseQuery(uri.Query);
        _headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in headers ?? Array.Empty<KeyValuePair<string, string>>())
        {
            _headers[pair.Key] = _headers.TryGetValue(pair.Key, out var existing) ? existing + ", " + pair.Value : pair.Value;
        }
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The full request URI.</summary>
    public Uri Uri { get; }

    /// <summary>The unescaped path.</summary>
    public string Path { get; }

    /// <summary>The query string as ordered key/value pairs; repeated keys stay repeated.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    /// <summary>The raw query string without the leading '?'.</summary>
    public string QueryString => Uri.Query.TrimStart('?');

    /// <summary>The value of a header, or null.</summary>
    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The method, path, query and every header, as one string: two requests with the same key get the same answer.</summary>
    public string CacheKey => Method + " " + Uri.PathAndQuery + "\n" + string.Join("\n", _headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => h.Key + ": " + h.Value));

    /// <summary>The last value of a query parameter, or null when absent.</summary>
    public string? QueryValue(string name)
    {
        string? found = null;
        foreach (var pair in Query)
        {
            if (string.Equals(pair.Key, name, StringComparison.Ordinal))
            {
                found = pair.Value;
            }
        }

        return found;
    }

    /// <summary>Every value of a repeated query parameter, in order.</summary>
    public IReadOnlyList<string> QueryValues(string name) =>
        Query.Where(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Select(p => p.Value).ToList();

    /// <inheritdoc />
    public override string ToString() => Method + " " + Uri.PathAndQuery;

    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var part in query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part.Substring(0, eq);
            var value = eq < 0 ? string.Empty : part.Substring(eq + 1);
            result.Add(new KeyValuePair<string, string>(Decode(key), Decode(value)));
        }

        return result;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
