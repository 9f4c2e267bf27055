namespace InvoiceTools.Http;

/// <summary>
/// Checks text that the module writes into a request (a header value, a host, a path or query value): a line break
/// there would end the header and start another one of the caller's choosing.
/// </summary>
internal static class WireText
{
    /// <summary>
    /// What is wrong with <paramref name="text"/> as a request value ("a line break", "a control character (U+0000)",
    /// "a character outside printable ASCII"), or null when nothing is. <paramref name="asciiOnly"/> is for header values,
    /// which HTTP clients refuse or mangle outside ASCII. With <paramref name="where"/>, the 1-based position is added.
    /// </summary>
    public static string? Problem(string? text, bool asciiOnly, bool where = true)
    {
        if (text is null)
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var at = where ? $" at character {i + 1}" : string.Empty;
            if (c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029')
            {
                return $"a line break{at}";
            }

            if (char.IsControl(c))
            {
                return $"a control character (U+{(int)c:X4}){at}";
            }

            if (asciiOnly && c > '\u007e')
            {
                return $"a character outside printable ASCII{at}";
            }
        }

        return null;
    }
}
