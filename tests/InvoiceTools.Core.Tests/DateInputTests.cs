using System;
using System.Globalization;
using InvoiceTools.Shell;

namespace InvoiceTools.Tests;

/// <summary>Issue 19 item 2: what a user types as a date means the same instant in every culture and calendar.</summary>
public sealed class DateInputTests
{
    [Theory]
    [InlineData("th-TH")]
    [InlineData("fa-IR")]
    [InlineData("ar-SA")]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public void Iso_dates_are_gregorian_in_every_culture(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        Assert.True(DateInput.TryParse("2025-03-01", culture, out DateTime day));
        Assert.Equal(new DateTime(2025, 3, 1), day);
        Assert.Equal(DateTimeKind.Unspecified, day.Kind);

        Assert.True(DateInput.TryParse("2025-03-01T10:15:00Z", culture, out DateTimeOffset utc));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 15, 0, TimeSpan.Zero), utc);

        Assert.True(DateInput.TryParse("2025-03-01T10:15:00+07:00", culture, out DateTimeOffset zoned));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 3, 15, 0, TimeSpan.Zero), zoned.ToUniversalTime());

        Assert.True(DateInput.TryParse(" 2025-03-01 10:15 ", culture, out DateTimeOffset spaced));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 15, 0, TimeSpan.Zero), spaced);
    }

    [Theory]
    [InlineData("de-DE", "01.03.2025", 3, 1)]
    [InlineData("tr-TR", "01.03.2025", 3, 1)]
    [InlineData("ja-JP", "2025/03/01", 3, 1)]
    [InlineData("th-TH", "01/03/2025", 3, 1)]
    [InlineData("th-TH", "01/03/2568", 3, 1)]
    [InlineData("fa-IR", "1403/12/11", 3, 1)]
    [InlineData("fa-IR", "2025/03/01", 3, 1)]
    [InlineData("ar-SA", "2025.03.01", 3, 1)]
    [InlineData("en-GB", "13/03/2025", 3, 13)]
    [InlineData("en-US", "03/01/2025", 3, 1)]
    public void A_culture_form_is_read_in_the_cultures_order_with_the_gregorian_calendar(string name, string text, int month, int day)
    {
        // Year first is ISO everywhere; any other order is the culture's own, as PowerShell's binder reads it.
        Assert.True(DateInput.TryParse(text, CultureInfo.GetCultureInfo(name), out DateTime value));
        Assert.Equal(new DateTime(2025, month, day), value);
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("fa-IR")]
    [InlineData("ar-SA")]
    public void The_gregorian_form_of_a_culture_keeps_its_names_but_not_its_calendar(string name)
    {
        var gregorian = DateInput.Gregorian(CultureInfo.GetCultureInfo(name));
        Assert.IsType<GregorianCalendar>(gregorian.DateTimeFormat.Calendar);
        Assert.Equal("2025", new DateTime(2025, 3, 1).ToString("yyyy", gregorian));
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("fa-IR")]
    [InlineData("ar-SA")]
    [InlineData("de-DE")]
    [InlineData("ja-JP")]
    public void A_date_written_in_the_culture_reads_back_as_the_same_day(string name)
    {
        // What Export-Csv writes for a date under that culture (its own calendar), read back by Measure-Invoice.
        var culture = CultureInfo.GetCultureInfo(name);
        var written = new DateTime(2026, 11, 12, 0, 0, 0).ToString(culture);
        Assert.True(DateInput.TryParse(written, culture, out DateTime value), written);
        Assert.Equal(new DateTime(2026, 11, 12), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("yesterday")]
    [InlineData("2025-13-01")]
    [InlineData("1482")]
    public void Text_that_is_no_date_is_refused(string text)
    {
        Assert.False(DateInput.TryParse(text, CultureInfo.GetCultureInfo("th-TH"), out DateTime _));
        Assert.False(DateInput.TryParse(text, CultureInfo.InvariantCulture, out DateTimeOffset _));
    }
}
