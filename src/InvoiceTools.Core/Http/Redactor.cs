using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;

namespace InvoiceTools.Http;

/// <summary>Removes secrets from URLs and headers before they reach a message, a log or an error.</summary>
public static class Redactor
{
    /// <summary>The replacement text.</summary>
    public const string Mask = "***";

    private static readonly string[] SecretWords = { "key", "token", "secret", "password", "passwd", "signature", "sig", "auth", "credential", "session" };

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "x-api-key", "x-revolv3-token", "Cookie", "Set-Cookie", "x-auth-token", "api-key",
    };

    // Names a provider definition sends its key under (Authentication.Name), whatever they look like: X-Acme-Access.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> DeclaredSecretNames = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Treats <paramref name="name"/> as a secret's header or parameter name from now on, in this process.</summary>
    internal static void DeclareSecretName(string name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            DeclaredSecretNames[name] = true;
        }
    }

    /// <summary>True when a header or parameter name suggests it carries a secret.</summary>
    public static bool IsSecretName(string name)
    {
        if (name is null)
        {
            return false;
        }

        if (SecretHeaders.Contains(name) || DeclaredSecretNames.ContainsKey(name))
        {
            return true;
        }

        var lower = name.ToLowerInvariant();
        return SecretWords.Any(word => lower.Contains(word));
    }

    /// <summary>The URL without user info, and with secret-looking query values masked.</summary>
    public static string Url(Uri? uri)
    {
        if (uri is null)
        {
            return string.Empty;
        }

        if (!uri.IsAbsoluteUri)
        {
            return RedactQuery(uri.OriginalString);
        }

        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
        var withoutUserInfo = builder.Uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return uri.Query.Length > 1 ? withoutUserInfo + RedactQuery(uri.Query) : withoutUserInfo;
    }

    /// <summary>Headers as "Name: value" lines, with secret values masked.</summary>
    public static IEnumerable<string> Headers(HttpHeaders headers)
    {
        if (headers is null)
        {
            yield break;
        }

        foreach (var header in headers)
        {
            yield return $"{header.Key}: {(IsSecretName(header.Key) ? Mask : string.Join(", ", header.Value))}";
        }
    }

    /// <summary>Every header of a request (content headers included), redacted.</summary>
    public static IEnumerable<string> Headers(HttpRequestMessage request) =>
        request is null ? Enumerable.Empty<string>() : Headers(request.Headers).Concat(request.Content is null ? Enumerable.Empty<string>() : Headers(request.Content.Headers));

    /// <summary>Every header of a response (content headers included), redacted.</summary>
    public static IEnumerable<string> Headers(HttpResponseMessage response) =>
        response is null ? Enumerable.Empty<string>() : Headers(response.Headers).Concat(response.Content is null ? Enumerable.Empty<string>() : Headers(response.Content.Headers));

    private static string RedactQuery(string text)
    {
        var q = text.IndexOf('?');
        if (q < 0)
        {
            return text;
        }

        var parts = text.Substring(q + 1).Split('&').Select(part =>
        {
            var eq = part.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? part : part.Substring(0, eq));
            return eq >= 0 && IsSecretName(name) ? part.Substring(0, eq + 1) + Mask : part;
        });
        return text.Substring(0, q + 1) + string.Join("&", parts);
    }
}
