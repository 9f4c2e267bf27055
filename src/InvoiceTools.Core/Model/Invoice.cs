using System;

namespace InvoiceTools;

/// <summary>
/// One invoice, the same shape for every provider. Money is in major units of <see cref="Currency"/>;
/// times are UTC. A field the provider does not have is null, never made up. Everything the model does
/// not map is in <see cref="Raw"/>.
/// </summary>
public sealed class Invoice
{
    /// <summary>
    /// The provider the invoice came from, by the name -Provider takes: Revere, Revolv3, Opterius, Kitchen, Xendit, or
    /// the Name of a provider registered from a definition file (Register-InvoiceProvider).
    /// </summary>
    public string Provider { get; set; } = string.Empty;

    /// <summary>The name of the connection the invoice was read through.</summary>
    public string? Connection { get; set; }

    /// <summary>The provider's identifier for the invoice.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The human-facing invoice number, where the provider has one.</summary>
    public string? Number { get; set; }

    /// <summary>The normalized status.</summary>
    public InvoiceStatus Status { get; set; }

    /// <summary>The provider's own status word, unchanged.</summary>
    public string? ProviderStatus { get; set; }

    /// <summary>ISO 4217 currency code of every amount on the invoice.</summary>
    public string? Currency { get; set; }

    /// <summary>Total before tax, in major units.</summary>
    public decimal? Subtotal { get; set; }

    /// <summary>Tax, in major units.</summary>
    public decimal? Tax { get; set; }

    /// <summary>Total including tax, in major units.</summary>
    public decimal? Total { get; set; }

    /// <summary>What is still owed, in major units.</summary>
    public decimal? AmountDue { get; set; }

    /// <summary>The provider's identifier for the customer.</summary>
    public string? CustomerId { get; set; }

    /// <summary>The customer's display name (company, or person).</summary>
    public string? CustomerName { get; set; }

    /// <summary>The customer's e-mail address.</summary>
    public string? CustomerEmail { get; set; }

    /// <summary>
    /// Who the invoice is for, as shown in tables and grouped on: the customer's name, else the e-mail, else the
    /// provider's customer id (Kitchen names customers only by id). Null when the provider names no customer
    /// (Opterius lists the invoices of the account that connected).
    /// </summary>
    public string? Customer => CustomerName ?? CustomerEmail ?? CustomerId;

    /// <summary>When the invoice was created (UTC).</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When the invoice was issued to the customer (UTC).</summary>
    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>When payment is due (UTC).</summary>
    public DateTimeOffset? DueDate { get; set; }

    /// <summary>When the invoice was paid (UTC).</summary>
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>When the provider last changed the invoice (UTC).</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>When the payment window closes (UTC), for providers whose invoices expire.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>What has been paid, in major units, where the provider reports it.</summary>
    public decimal? AmountPaid { get; set; }

    /// <summary>Fees charged on the invoice, in major units, where the provider lists them.</summary>
    public decimal? Fees { get; set; }

    /// <summary>How it was paid (for example BANK_TRANSFER, CREDIT_CARD), where the provider says.</summary>
    public string? PaymentMethod { get; set; }

    /// <summary>Which channel it was paid through (for example BCA, OVO), where the provider says.</summary>
    public string? PaymentChannel { get; set; }

    /// <summary>The invoice's description or memo.</summary>
    public string? Description { get; set; }

    /// <summary>The caller's own reference, as stored at the provider.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The invoice's lines.</summary>
    public InvoiceLineItemCollection LineItems { get; set; } = InvoiceLineItemCollection.Empty;

    /// <summary>The provider's record, exactly as received.</summary>
    public RawRecord Raw { get; set; } = RawRecord.Empty;

    /// <summary>
    /// Records the connection the invoice was read through, and gives every amount at least its currency's scale
    /// (156 becomes 156.00 USD, 218350 stays 218350 JPY), so Export-Csv and ConvertTo-Json write money the way the
    /// currency is written. Digits beyond the scale are kept: nothing is rounded.
    /// </summary>
    internal void CameThrough(string connectionName)
    {
        Connection = connectionName;
        var exponent = InvoiceTools.Currency.MinorUnitExponent(Currency);
        Subtotal = InvoiceTools.Currency.WithScale(Subtotal, exponent);
        Tax = InvoiceTools.Currency.WithScale(Tax, exponent);
        Total = InvoiceTools.Currency.WithScale(Total, exponent);
        AmountDue = InvoiceTools.Currency.WithScale(AmountDue, exponent);
        AmountPaid = InvoiceTools.Currency.WithScale(AmountPaid, exponent);
        Fees = InvoiceTools.Currency.WithScale(Fees, exponent);
        foreach (var line in LineItems)
        {
            var lineExponent = InvoiceTools.Currency.MinorUnitExponent(line.Currency ?? Currency);
            line.UnitPrice = InvoiceTools.Currency.WithScale(line.UnitPrice, lineExponent);
            line.Amount = InvoiceTools.Currency.WithScale(line.Amount, lineExponent);
            line.Tax = InvoiceTools.Currency.WithScale(line.Tax, lineExponent);
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var money = Total is decimal total ? $" {InvoiceTools.Currency.FormatInvariant(total, Currency)} {Currency}" : string.Empty;
        return $"{Number ?? Id} ({Status}{money})";
    }
}
