using System;
using System.Runtime.InteropServices;
using System.Security;

namespace InvoiceTools.Requests;

/// <summary>
/// An API key held as a read-only <see cref="SecureString"/>. It is turned into text only for the moment a
/// request header is written, and it never prints: <see cref="ToString"/> is a mask.
/// </summary>
public sealed class ApiSecret : IDisposable
{
    private readonly SecureString _value;

    /// <summary>Copies <paramref name="value"/>; the caller keeps ownership of its own instance.</summary>
    public ApiSecret(SecureString value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        _value = value.Copy();
        _value.MakeReadOnly();
    }

    /// <summary>The number of characters, for messages such as "a 32-character key".</summary>
    public int Length => _value.Length;

    /// <summary>Wraps a plain-text key (from an environment variable or the built-in sandbox).</summary>
    public static ApiSecret FromPlainText(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        using var secure = ToSecureString(value);
        return new ApiSecret(secure);
    }

    /// <summary>A read-only SecureString holding <paramref name="text"/>, for keys that arrive as text.</summary>
    internal static SecureString ToSecureString(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>Always a mask, never the key.</summary>
    public override string ToString() => "********";

    /// <inheritdoc />
    public void Dispose() => _value.Dispose();

    /// <summary>The key as text, for writing one request header.</summary>
    internal string Reveal()
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(_value);
            // With the length: a NUL in the key must not end it early (and so pass the header check unseen).
            return Marshal.PtrToStringUni(pointer, _value.Length) ?? string.Empty;
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }

    /// <summary>What makes the key unusable in a request header (a line break, a control character, non-ASCII), or null; never the key or where in it.</summary>
    internal string? HeaderProblem() => Http.WireText.Problem(Reveal(), asciiOnly: true, where: false);

    /// <summary>True when the key starts with <paramref name="prefix"/> (for key-kind checks without revealing it).</summary>
    internal bool StartsWith(string prefix) => Reveal().StartsWith(prefix, StringComparison.Ordinal);
}
