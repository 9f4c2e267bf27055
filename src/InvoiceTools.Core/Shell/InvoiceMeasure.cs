using System;
using System.Collections.Generic;
using System.Linq;

namespace InvoiceTools.Shell;

/// <summary>Measure-Invoice's arithmetic: running sums per currency, in the order currencies are first seen.</summary>
public sealed class InvoiceMeasure
{
    private readonly Dictionary<string, InvoiceSummary> _byCurrency = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<InvoiceSummary> _order = new();

    /// <summary>Adds one invoice to its currency's sums.</summary>
    public void Add(Invoice invoice) => Add(InvoiceFields.From(invoice ?? throw new ArgumentNullException(nameof(invoice))));

    /// <summary>Adds what is known of one invoice: a missing total is counted apart, a missing provider is not listed.</summary>
    public void Add(InvoiceFields invoice)
    {
        if (invoice is null)
        {
            throw new ArgumentNullException(nameof(invoice));
        }

        var key = invoice.Currency ?? string.Empty;
        if (!_byCurrency.TryGetValue(key, out var summary))
        {
            summary = new InvoiceSummary(invoice.Currency is null ? null : invoice.Currency.ToUpperInvariant());
            _byCurrency.Add(key, summary);
            _order.Add(summary);
        }

        summary.Count++;
        if (invoice.Total is decimal total)
        {
            summary.Total += total;
        }
        else
        {
            summary.MissingTotalCount++;
        }

        var due = invoice.AmountDue ?? 0m;
        summary.AmountDue += due;
        if (invoice.Status == InvoiceStatus.Overdue)
        {
            summary.OverdueCount++;
            summary.AmountOverdue += due;
            if (invoice.DueDate is DateTimeOffset dueDate && (summary.OldestOverdueDueDate is null || dueDate < summary.OldestOverdueDueDate))
            {
                summary.OldestOverdueDueDate = dueDate;
            }
        }

        if (invoice.Provider is string provider && !summary.ProviderList.Contains(provider, StringComparer.OrdinalIgnoreCase))
        {
            summary.ProviderList.Add(provider);
        }
    }

    /// <summary>
    /// One summary per currency, sorted by currency code (invoices without a currency last), with sums in the
    /// currency's scale (48.00 GBP even when the amounts came from JSON as 48).
    /// </summary>
    public IReadOnlyList<InvoiceSummary> Results
    {
        get
        {
            foreach (var summary in _order)
            {
                var exponent = Currency.MinorUnitExponent(summary.Currency);
                summary.Total = Currency.WithScale(summary.Total, exponent)!.Value;
                summary.AmountDue = Currency.WithScale(summary.AmountDue, exponent)!.Value;
                summary.AmountOverdue = Currency.WithScale(summary.AmountOverdue, exponent)!.Value;
            }

            return _order.OrderBy(s => s.Currency is null ? 1 : 0).ThenBy(s => s.Currency, StringComparer.Ordinal).ToList();
        }
    }
}
