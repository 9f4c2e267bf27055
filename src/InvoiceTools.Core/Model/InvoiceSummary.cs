using System;
using System.Collections.Generic;
using static System.FormattableString;

namespace InvoiceTools;

/// <summary>What Measure-Invoice reports for one currency. Amounts of different currencies are never added together.</summary>
public sealed class InvoiceSummary
{
    internal InvoiceSummary(string? currency)
    {
        Currency = currency;
    }

    /// <summary>ISO 4217 code, or null for invoices that named no currency.</summary>
    public string? Currency { get; }

    /// <summary>How many invoices were measured in this currency.</summary>
    public long Count { get; internal set; }

    /// <summary>The sum of the invoices' totals.</summary>
    public decimal Total { get; internal set; }

    /// <summary>The sum of what is still owed (every status; paid and void invoices owe nothing).</summary>
    public decimal AmountDue { get; internal set; }

    /// <summary>How many of the invoices are overdue.</summary>
    public long OverdueCount { get; internal set; }

    /// <summary>The sum of what is owed on overdue invoices.</summary>
    public decimal AmountOverdue { get; internal set; }

    /// <summary>The earliest due date among the overdue invoices.</summary>
    public DateTimeOffset? OldestOverdueDueDate { get; internal set; }

    /// <summary>Invoices that had no total; they are counted, but add nothing to <see cref="Total"/>.</summary>
    public long MissingTotalCount { get; internal set; }

    /// <summary>The providers the invoices came from, comma-separated (one CSV cell).</summary>
    public string Providers => string.Join(", ", ProviderList);

    internal List<string> ProviderList { get; } = new();

    /// <inheritdoc />
    public override string ToString()
    {
        string Money(decimal amount) => InvoiceTools.Currency.FormatInvariant(amount, Currency);
        return Invariant($"{Currency ?? "(no currency)"}: {Count} invoices, total {Money(Total)}, due {Money(AmountDue)}, overdue {Money(AmountOverdue)}");
    }
}
