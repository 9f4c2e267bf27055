using System;
using System.Globalization;
using System.Linq;

namespace InvoiceTools.Shell;

/// <summary>
/// Reads a date a user typed, the same way on every machine. PowerShell binds a string to a compiled cmdlet's
/// DateTime parameter with the session's culture and calendar: under th-TH "2025-03-01" is Buddhist year 2025,
/// which is 1482; under ar-SA it is refused. This reader reads a year-first date (ISO 8601: 2025-03-01, with or
/// without a time and an offset) the same everywhere; any other form in the session's culture with the Gregorian
/// calendar, as PowerShell's binder did ("01.03.2025" is 1 March under de-DE, "03/01/2025" is March 1 under
/// en-US), and then as the invariant culture reads it.
/// </summary>
public static class DateInput
{
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
        var yearFirst = trimmed.Length > 4 && trimmed.Take(4).All(char.IsDigit) && trimmed[4] is '-' or '/' or '.';
        var local = Gregorian(culture ?? CultureInfo.InvariantCulture);
        return yearFirst
            ? DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value) || DateTime.TryParse(trimmed, local, DateTimeStyles.RoundtripKind, out value)
            : DateTime.TryParse(trimmed, local, DateTimeStyles.RoundtripKind, out value) || DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
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
