using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace InvoiceTools.Http;

/// <summary>
/// Masks the connection's own key in text that came from a response (an error body, a reason phrase, a header) before
/// that text reaches an exception, a verbose or debug line: a server that quotes the Authorization header back must
/// not put the key into $Error, a transcript or an export. The key is revealed only while masking, then dropped.
/// </summary>
internal sealed class SecretMask
{
    private readonly Func<string> _reveal;

    /// <param name="reveal">The key as text (the connection's <c>ApiSecret.Reveal</c>), asked for each time text is masked.</param>
    public SecretMask(Func<string> reveal) => _reveal = reveal;

    /// <summary>Keys shorter than this many characters are not masked.</summary>
    internal const int ShortestMaskedKey = 8;

    /// <summary>
    /// Every form the key can take on the wire or in an echo: as sent, as the Base64 of a Basic credential
    /// (<c>key:</c>, and the bare key), each of these URL-encoded (<c>%2B</c> and <c>+</c> styles), and each of those
    /// as JSON may escape it; longest first.
    /// </summary>
    internal IReadOnlyList<string> Forms()
    {
        var key = _reveal();

        // A key shorter than this is no secret (and masking "expired" would garble "Invalid or expired token.").
        if (key.Length < ShortestMaskedKey)
        {
            return Array.Empty<string>();
        }

        var raw = new[] { key, Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")), Convert.ToBase64String(Encoding.UTF8.GetBytes(key)) };

        // Raw bodies are masked too (the start of a broken page is quoted), where JSON may have escaped "/" or "+".
        return raw.SelectMany(f => new[] { f, Uri.EscapeDataString(f), WebUtility.UrlEncode(f) })
            .SelectMany(f => new[] { f, JsonEncodedText.Encode(f).ToString(), f.Replace("/", "\\/") })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length)
            .ToList();
    }

    /// <summary><paramref name="text"/> with every form of the key replaced by <see cref="Redactor.Mask"/>; null stays null.</summary>
    public string? Apply(string? text) => string.IsNullOrEmpty(text) ? text : Apply(text!, Forms());

    /// <summary>UTF-8 <paramref name="body"/> masked; the same array when the key is not in it.</summary>
    public byte[] Apply(byte[] body)
    {
        if (body is null || body.Length == 0)
        {
            return body ?? Array.Empty<byte>();
        }

        var text = Encoding.UTF8.GetString(body);
        var masked = Apply(text)!;
        return ReferenceEquals(masked, text) || masked == text ? body : Encoding.UTF8.GetBytes(masked);
    }

    /// <summary>Masks header values in place (a header is removed and added again when one of its values held the key).</summary>
    public void Apply(HttpHeaders headers)
    {
        if (headers is null)
        {
            return;
        }

        var forms = Forms();
        foreach (var header in headers.ToList())
        {
            var values = header.Value.ToList();
            var masked = values.Select(v => Apply(v, forms)).ToList();
            if (!values.SequenceEqual(masked, StringComparer.Ordinal))
            {
                headers.Remove(header.Key);
                headers.TryAddWithoutValidation(header.Key, masked);
            }
        }
    }

    private static string Apply(string text, IReadOnlyList<string> forms)
    {
        foreach (var form in forms)
        {
            // Case is ignored: URL encodings differ in the case of their hex digits.
            text = Replace(text, form);
        }

        return text;
    }

    private static string Replace(string text, string form)
    {
        var at = text.IndexOf(form, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var from = 0;
        while (at >= 0)
        {
            builder.Append(text, from, at - from).Append(Redactor.Mask);
            from = at + form.Length;
            at = text.IndexOf(form, from, StringComparison.OrdinalIgnoreCase);
        }

        return builder.Append(text, from, text.Length - from).ToString();
    }
}
