namespace InvoiceTools;

/// <summary>
/// The status of an invoice, normalized across providers. The provider's own word is kept in
/// <see cref="Invoice.ProviderStatus"/>; README has the mapping table for every provider.
/// </summary>
public enum InvoiceStatus : long
{
    /// <summary>A status the module does not recognise; see <see cref="Invoice.ProviderStatus"/>.</summary>
    Unknown = 0,

    /// <summary>Not yet issued to the customer.</summary>
    Draft,

    /// <summary>Issued and awaiting payment, not yet past its due date.</summary>
    Open,

    /// <summary>Issued, unpaid, and past its due date.</summary>
    Overdue,

    /// <summary>Paid in full.</summary>
    Paid,

    /// <summary>Paid, and part of the payment was returned.</summary>
    PartiallyRefunded,

    /// <summary>Paid, and the payment was returned.</summary>
    Refunded,

    /// <summary>Cancelled or voided: will not be collected, and nothing is owed.</summary>
    Void,

    /// <summary>Given up on: the amount is written off as uncollectible.</summary>
    Uncollectible,

    /// <summary>A payment attempt failed.</summary>
    Failed,

    /// <summary>The payment window closed before the invoice was paid.</summary>
    Expired,
}
