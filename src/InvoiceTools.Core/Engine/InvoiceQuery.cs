using System;
using System.Collections.Generic;

namespace InvoiceTools.Engine;

/// <summary>
/// What to list. Immutable: the engine never changes a query it was given, so a caller can reuse one across
/// connections and runs.
/// </summary>
public sealed record InvoiceQuery
{
    /// <summary>Every invoice, no filter.</summary>
    public static readonly InvoiceQuery All = new();

    /// <summary>Keep invoices in any of these statuses; empty keeps all.</summary>
    public IReadOnlyList<InvoiceStatus> Statuses { get; init; } = Array.Empty<InvoiceStatus>();

    /// <summary>Keep invoices created after this instant.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Keep invoices created before this instant.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Keep invoices whose customer matches this text (name, company or e-mail, case-insensitive substring).</summary>
    public string? Customer { get; init; }

    /// <summary>Invoices per request; null uses the provider's default.</summary>
    public int? PageSize { get; init; }

    /// <summary>Invoices to pass over before the first one returned.</summary>
    public long Skip { get; init; }

    /// <summary>Stop after this many invoices; null returns all.</summary>
    public long? First { get; init; }
}
