using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace InvoiceTools.Requests;

/// <summary>Builds query strings the same way for every provider: RFC 3986 escaping, with ',' and ':' left readable.</summary>
public static class QueryString
{
    /// <summary>Escapes one key or value.</summary>
    public static string Escape(string value) =>
        Uri.EscapeDataString(value ?? string.Empty).Replace("%2C", ",").Replace("%3A", ":");

    /// <summary>Appends <paramref name="parameters"/> to <paramref name="uri"/>, after any query it already has.</summary>
    public static Uri Append(Uri uri, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        if (uri is null)
        {
            throw new ArgumentNullException(nameof(uri));
        }

        var builder = new StringBuilder(uri.GetLeftPart(UriPartial.Path));
        var existing = uri.Query.TrimStart('?');
        var separator = '?';
        if (existing.Length > 0)
        {
            builder.Append('?').Append(existing);
            separator = '&';
        }

        foreach (var pair in parameters)
        {
            builder.Append(separator).Append(Escape(pair.Key)).Append('=').Append(Escape(pair.Value));
            separator = '&';
        }

        return new Uri(builder.ToString());
    }

    /// <summary>
    /// Adds <paramref name="parameters"/> to a link the server gave us, replacing same-named keys it already has, so
    /// filters a server dropped from its next link are sent again.
    /// </summary>
    public static Uri Merge(Uri link, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        if (link is null)
        {
            throw new ArgumentNullException(nameof(link));
        }

        var ours = parameters.ToList();
        var names = new HashSet<string>(ours.Select(p => p.Key), StringComparer.Ordinal);
        var kept = link.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !names.Contains(Uri.UnescapeDataString(part.Split('=')[0])));
        var bare = new Uri(link.GetLeftPart(UriPartial.Path));
        var builder = new StringBuilder(bare.AbsoluteUri);
        var separator = '?';
        foreach (var part in kept)
        {
            builder.Append(separator).Append(part);
            separator = '&';
        }

        return Append(new Uri(builder.ToString()), ours);
    }
}
