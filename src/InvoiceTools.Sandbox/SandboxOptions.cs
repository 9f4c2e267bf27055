using System;

namespace InvoiceTools.Sandbox;

/// <summary>Settings for an <see cref="InvoiceSandbox"/>.</summary>
public sealed class SandboxOptions
{
    /// <summary>The day the data set is defined on. Data for any other <see cref="Today"/> is this data moved by whole days.</summary>
    public static readonly DateTimeOffset ReferenceNow = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _today = ReferenceNow;

    /// <summary>
    /// The day the emulator treats as today when it dates and ages invoices (UTC midnight; a time of day is dropped).
    /// The data for any day is the data for <see cref="ReferenceNow"/> moved by whole days: the same invoices, amounts
    /// and statuses, with every date moved, so "created in the last 7 days" finds the same invoices on any day. Tests
    /// keep the default; a -Sandbox connection uses today's date, or INVOICETOOLS_SANDBOX_DATE.
    /// </summary>
    public DateTimeOffset Today
    {
        get => _today;
        set => _today = new DateTimeOffset(value.UtcDateTime.Date, TimeSpan.Zero);
    }

    /// <summary>A date of the data set as defined on <see cref="ReferenceNow"/>, moved to <see cref="Today"/>.</summary>
    public DateTimeOffset Moved(DateTimeOffset onReferenceDay) => onReferenceDay.AddDays((Today - ReferenceNow).TotalDays);

    /// <summary>The emulator's clock for answers that name a time (a Retry-After date); tests set it to their own clock.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Delay added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Serve a repeated request from memory instead of building the answer again (benchmarks: the emulator's own JSON
    /// writing then costs nothing, so the client is what is measured). Faults and <see cref="InvoiceSandbox.BeforeAnswer"/>
    /// still apply; data changes are not seen by cached requests.
    /// </summary>
    public bool CacheAnswers { get; set; }

    /// <summary>Seed for the generated data; the same seed gives the same invoices.</summary>
    public int Seed { get; set; } = 20261101;

    /// <summary>How many Revere invoices the default data set holds.</summary>
    public int RevereInvoiceCount { get; set; } = 1200;

    /// <summary>How many Revolv3 invoices the default data set holds.</summary>
    public int Revolv3InvoiceCount { get; set; } = 430;

    /// <summary>How many Opterius invoices the default data set holds.</summary>
    public int OpteriusInvoiceCount { get; set; } = 260;

    /// <summary>How many Kitchen invoices the default data set holds (every seventh is archived).</summary>
    public int KitchenInvoiceCount { get; set; } = 350;

    /// <summary>How many Xendit invoices the default data set holds.</summary>
    public int XenditInvoiceCount { get; set; } = 750;
}
