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

    /// <summary>Keep invoices paid after this instant (provider filter).</summary>
    public DateTimeOffset? PaidAfter { get; init; }

    /// <summary>Keep invoices paid before this instant (provider filter).</summary>
    public DateTimeOffset? PaidBefore { get; init; }

    /// <summary>Keep invoices that expire after this instant (provider filter).</summary>
    public DateTimeOffset? ExpiresAfter { get; init; }

    /// <summary>Keep invoices that expire before this instant (provider filter).</summary>
    public DateTimeOffset? ExpiresBefore { get; init; }

    /// <summary>Keep invoices with this external id (the caller's own reference).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Keep invoices created this way (Xendit client types).</summary>
    public IReadOnlyList<XenditClientType> ClientTypes { get; init; } = Array.Empty<XenditClientType>();

    /// <summary>Keep invoices paid through these channels (Xendit payment channels, such as BCA or OVO).</summary>
    public IReadOnlyList<string> PaymentChannels { get; init; } = Array.Empty<string>();

    /// <summary>Keep invoices created by this recurring payment (Xendit).</summary>
    public string? RecurringPaymentId { get; init; }

    /// <summary>Keep invoices created from this on-demand link (Xendit).</summary>
    public string? OnDemandLink { get; init; }

    /// <summary>Revolv3: only invoices last updated after this instant (sent to the v1 endpoint).</summary>
    public DateTimeOffset? UpdatedAfter { get; init; }

    /// <summary>Revolv3: only invoices last updated before this instant (sent to the v1 endpoint).</summary>
    public DateTimeOffset? UpdatedBefore { get; init; }

    /// <summary>Revolv3: only invoices of this merchant customer reference (merchantCustomerRefId, v1 endpoint).</summary>
    public string? CustomerReference { get; init; }

    /// <summary>Kitchen: active (the API's default), archived, or all invoices; null leaves the API's default.</summary>
    public KitchenState? State { get; init; }

    /// <summary>Invoices per request; null uses the provider's default.</summary>
    public int? PageSize { get; init; }

    /// <summary>Invoices to pass over before the first one returned.</summary>
    public long Skip { get; init; }

    /// <summary>Stop after this many invoices; null returns all.</summary>
    public long? First { get; init; }
}

/// <summary>How a Xendit invoice was created.</summary>
public enum XenditClientType
{
    /// <summary>Through the create-invoice API.</summary>
    ApiGateway,

    /// <summary>In the Xendit dashboard.</summary>
    Dashboard,

    /// <summary>Through a third-party integration such as Shopify or WooCommerce.</summary>
    Integration,

    /// <summary>From an on-demand link.</summary>
    OnDemand,

    /// <summary>By a recurring payment.</summary>
    Recurring,

    /// <summary>In the Xendit mobile app.</summary>
    Mobile,
}

/// <summary>Which Kitchen invoices to list: Kitchen keeps archiving separate from status.</summary>
public enum KitchenState
{
    /// <summary>Invoices that are not archived (Kitchen's default).</summary>
    Active,

    /// <summary>Only archived invoices.</summary>
    Archived,

    /// <summary>Active and archived invoices.</summary>
    All,
}
