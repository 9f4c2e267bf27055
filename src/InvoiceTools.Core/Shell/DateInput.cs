using System;
using System.Globalization;
using System.Linq;

namespace InvoiceTools.Shell;

/// <summary>
/// Reads a date a user typed, or a cell Export-Csv wrote, the same way on every machine. PowerShell binds a string
/// to a compiled cmdlet's DateTime parameter with the session's culture and calendar: under th-TH "2025-03-01" is
/// Buddhist year 2025, which is 1482; under ar-SA it is refused. The readings tried, in order, each only if its
/// year is plausible (<see cref="FirstYear"/>–<see cref="LastYear"/>, Gregorian):
/// a year-first date as ISO 8601 (2025-03-01, with or without a time and an offset); the session's culture with its
/// own calendar (th-TH 01/03/2568 and fa-IR 1403/12/11 are 1 March 2025, and Export-Csv's cells read back); the
/// culture's order with the Gregorian calendar (th-TH 01/03/2025; de-DE 01.03.2025 is 1 March); the invariant culture.
/// </summary>
public static class DateInput
{
    /// <summary>The earliest year a typed date is taken to mean.</summary>
    public const int FirstYear = 1900;

    /// <summary>The latest year a typed date is taken to mean.</summary>
    public const int LastYear = 2200;

    /// <summary>
    /// Parses <paramref name="text"/>; the result's Kind is Utc for a trailing Z, Local for an explicit offset
    /// (converted), and Unspecified without one (the cmdlets read Unspecified as UTC). False when it is no date.
    /// </summary>
    public static bool TryParse(string? text, CultureInfo culture, out DateTime value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text!.Trim();
        var own = culture ?? CultureInfo.InvariantCulture;
        var yearFirst = trimmed.Length > 4 && trimmed.Take(4).All(char.IsDigit) && trimmed[4] is '-' or '/' or '.';
        var readings = yearFirst
            ? new[] { CultureInfo.InvariantCulture, own, Gregorian(own) }
            : new[] { own, Gregorian(own), CultureInfo.InvariantCulture };
        foreach (var reading in readings)
        {
            if (DateTime.TryParse(trimmed, reading, DateTimeStyles.RoundtripKind, out value) && value.Year is >= FirstYear and <= LastYear)
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The same as <see cref="TryParse(string?, CultureInfo, out DateTime)"/> for a date with its offset (none means UTC).</summary>
    public static bool TryParse(string? text, CultureInfo culture, out DateTimeOffset value)
    {
        if (TryParse(text, culture, out DateTime time))
        {
            value = time.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(time);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary><paramref name="culture"/>'s formats with the Gregorian calendar, where the culture offers one.</summary>
    public static CultureInfo Gregorian(CultureInfo culture)
    {
        if (culture is null)
        {
            throw new ArgumentNullException(nameof(culture));
        }

        if (culture.Calendar is GregorianCalendar)
        {
            return culture;
        }

        var clone = (CultureInfo)culture.Clone();
        var gregorian = culture.OptionalCalendars.OfType<GregorianCalendar>().FirstOrDefault();
        if (gregorian is null)
        {
            return CultureInfo.InvariantCulture;
        }

        clone.DateTimeFormat.Calendar = gregorian;
        return clone;
    }
}
