using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using static System.FormattableString;

namespace InvoiceTools;

/// <summary>One line of an invoice. It carries its invoice's identity so that a stream of lines stands on its own.</summary>
public sealed class InvoiceLineItem
{
    /// <summary>The provider of the invoice, by name (<see cref="Invoice.Provider"/>).</summary>
    public string Provider { get; set; } = string.Empty;

    /// <summary>The invoice's id.</summary>
    public string InvoiceId { get; set; } = string.Empty;

    /// <summary>The invoice's human number.</summary>
    public string? InvoiceNumber { get; set; }

    /// <summary>The provider's identifier for the line.</summary>
    public string? Id { get; set; }

    /// <summary>What was sold.</summary>
    public string? Name { get; set; }

    /// <summary>A longer description, where the provider has one.</summary>
    public string? Description { get; set; }

    /// <summary>How many units.</summary>
    public decimal? Quantity { get; set; }

    /// <summary>The unit of measure (pc, h, mo...), where the provider has one.</summary>
    public string? Unit { get; set; }

    /// <summary>Price of one unit, in major units.</summary>
    public decimal? UnitPrice { get; set; }

    /// <summary>The line's amount (quantity × unit price), in major units.</summary>
    public decimal? Amount { get; set; }

    /// <summary>Tax included in <see cref="Amount"/>, in major units.</summary>
    public decimal? Tax { get; set; }

    /// <summary>ISO 4217 currency of the amounts.</summary>
    public string? Currency { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        Amount is decimal amount
            ? Invariant($"{Quantity?.ToString("0.##", CultureInfo.InvariantCulture) ?? "?"} x {Name ?? Id ?? "item"} = {InvoiceTools.Currency.FormatInvariant(amount, Currency)} {Currency}")
            : Invariant($"{Quantity?.ToString("0.##", CultureInfo.InvariantCulture) ?? "?"} x {Name ?? Id ?? "item"}");
}

/// <summary>An invoice's lines. Shows as "3 items" in tables and CSV files instead of a type name.</summary>
public sealed class InvoiceLineItemCollection : ReadOnlyCollection<InvoiceLineItem>
{
    /// <summary>A collection with no lines.</summary>
    public static readonly InvoiceLineItemCollection Empty = new(Array.Empty<InvoiceLineItem>());

    /// <summary>Wraps <paramref name="items"/>.</summary>
    public InvoiceLineItemCollection(IList<InvoiceLineItem> items)
        : base(items)
    {
    }

    /// <inheritdoc />
    public override string ToString() => Count == 1 ? "1 item" : Invariant($"{Count} items");
}
