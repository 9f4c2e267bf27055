using System;

namespace InvoiceTools.Sandbox;

/// <summary>Settings for an <see cref="InvoiceSandbox"/>.</summary>
public sealed class SandboxOptions
{
    /// <summary>The instant the emulator treats as "now" when it ages invoices; fixed so that data is deterministic.</summary>
    public static readonly DateTimeOffset ReferenceNow = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

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
