using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace InvoiceTools.Checkpoints;

/// <summary>
/// A short value that changes when an invoice changes. With an update time it covers that time and the status
/// (a provider that forgets to bump the time on a status change is still caught); without one it is a hash of the
/// provider's record, so any change to any field counts.
/// </summary>
internal static class InvoiceFingerprint
{
    /// <summary>16 hex digits (the first 64 bits of a SHA-256).</summary>
    public static string Of(Invoice invoice)
    {
        if (invoice is null)
        {
            throw new ArgumentNullException(nameof(invoice));
        }

        byte[] input;
        if (invoice.UpdatedAt is DateTimeOffset updated)
        {
            input = Encoding.UTF8.GetBytes("u|" + updated.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + invoice.ProviderStatus + "|" + invoice.Status.ToString());
        }
        else
        {
            var raw = invoice.Raw.Utf8Bytes;
            input = new byte[raw.Length + 2];
            input[0] = (byte)'r';
            input[1] = (byte)'|';
            Buffer.BlockCopy(raw, 0, input, 2, raw.Length);
        }

        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(input);
        var text = new StringBuilder(16);
        for (var i = 0; i < 8; i++)
        {
            text.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
