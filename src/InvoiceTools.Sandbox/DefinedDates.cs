using System;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace InvoiceTools.Sandbox;

/// <summary>Reads dates in a definition's formats: ISO8601, UnixSeconds, UnixMilliseconds or a .NET format.</summary>
internal static class DefinedDates
{
    private static readonly string[] IsoFormats =
    {
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd",
    };

    private static readonly Regex IsoZone = new("[T ][0-9:.]+(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$", RegexOptions.CultureInvariant);
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Null when <paramref name="format"/> can be read; otherwise why not.</summary>
    public static string? WhyNot(string? format)
    {
        if (string.IsNullOrWhiteSpace(format))
        {
            return "a date format cannot be empty";
        }

        if (IsNamed(format!))
        {
            return null;
        }

        try
        {
            _ = new DateTime(2026, 11, 1, 13, 45, 30, DateTimeKind.Utc).ToString(format, CultureInfo.InvariantCulture);
            return null;
        }
        catch (FormatException)
        {
            return $"'{format}' is neither ISO8601, UnixSeconds, UnixMilliseconds nor a valid .NET date format";
        }
    }

    /// <summary>Reads <paramref name="text"/>; a date written without an offset is at <paramref name="offset"/>.</summary>
    public static bool TryParse(string text, string format, TimeSpan offset, out DateTimeOffset value)
    {
        value = default;
        text = text.Trim();
        if (string.Equals(format, DefinedApiSpec.UnixSeconds, StringComparison.OrdinalIgnoreCase))
        {
            return TryUnix(text, TimeSpan.TicksPerSecond, out value);
        }

        if (string.Equals(format, DefinedApiSpec.UnixMilliseconds, StringComparison.OrdinalIgnoreCase))
        {
            return TryUnix(text, TimeSpan.TicksPerMillisecond, out value);
        }

        var iso = string.Equals(format, DefinedApiSpec.Iso8601, StringComparison.OrdinalIgnoreCase);
        var parsed = iso
            ? DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
            : DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
        if (!parsed)
        {
            return false;
        }

        var hasZone = iso ? IsoZone.IsMatch(text) : format.IndexOf('z') >= 0 || format.IndexOf('K') >= 0;
        if (!hasZone && offset != TimeSpan.Zero)
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(value.UtcDateTime, DateTimeKind.Unspecified), offset);
        }

        return true;
    }

    /// <summary>Reads a record's field: a string in any format, or a number for the Unix formats.</summary>
    public static bool TryRead(JsonElement field, string format, TimeSpan offset, out DateTimeOffset value)
    {
        value = default;
        return field.ValueKind switch
        {
            JsonValueKind.String => TryParse(field.GetString()!, format, offset, out value),
            JsonValueKind.Number when IsUnix(format) => TryParse(field.GetRawText(), format, offset, out value),
            _ => false,
        };
    }

    private static bool IsNamed(string format) =>
        string.Equals(format, DefinedApiSpec.Iso8601, StringComparison.OrdinalIgnoreCase) || IsUnix(format);

    private static bool IsUnix(string format) =>
        string.Equals(format, DefinedApiSpec.UnixSeconds, StringComparison.OrdinalIgnoreCase)
        || string.Equals(format, DefinedApiSpec.UnixMilliseconds, StringComparison.OrdinalIgnoreCase);

    private static bool TryUnix(string text, long ticksPerUnit, out DateTimeOffset value)
    {
        value = default;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var units))
        {
            return false;
        }

        // Beyond ±10^15 units no date fits (and decimal arithmetic could overflow).
        if (units > 1e15m || units < -1e15m)
        {
            return false;
        }

        var ticks = units * ticksPerUnit;
        var min = (decimal)(DateTime.MinValue.Ticks - Epoch.Ticks);
        var max = (decimal)(DateTime.MaxValue.Ticks - Epoch.Ticks);
        if (ticks < min || ticks > max)
        {
            return false;
        }

        value = new DateTimeOffset(Epoch.AddTicks((long)decimal.Truncate(ticks)));
        return true;
    }
}
