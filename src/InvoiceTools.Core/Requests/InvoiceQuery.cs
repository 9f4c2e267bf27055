using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace InvoiceTools.Requests;

/// <summary>
/// What to list. Immutable: the engine never changes a query it was given, so a caller can reuse one across
/// connections and runs.
/// </summary>
public sealed record InvoiceQuery
{
    /// <summary>Every invoice, no filter.</summary>
    public static readonly InvoiceQuery All = new();

    /// <summary>Keep invoices in any of these statuses; empty keeps all.</summary>
    [QueryFilter("Status")]
    public IReadOnlyList<InvoiceStatus> Statuses { get; init; } = Array.Empty<InvoiceStatus>();

    /// <summary>Keep invoices created after this instant.</summary>
    [QueryFilter]
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Keep invoices created before this instant.</summary>
    [QueryFilter]
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Keep invoices whose customer matches this text (name, company or e-mail, case-insensitive substring).</summary>
    [QueryFilter]
    public string? Customer { get; init; }

    /// <summary>Keep invoices paid after this instant (provider filter).</summary>
    [QueryFilter(ProviderOnly = true)]
    public DateTimeOffset? PaidAfter { get; init; }

    /// <summary>Keep invoices paid before this instant (provider filter).</summary>
    [QueryFilter(ProviderOnly = true)]
    public DateTimeOffset? PaidBefore { get; init; }

    /// <summary>Keep invoices that expire after this instant (provider filter).</summary>
    [QueryFilter(ProviderOnly = true)]
    public DateTimeOffset? ExpiresAfter { get; init; }

    /// <summary>Keep invoices that expire before this instant (provider filter).</summary>
    [QueryFilter(ProviderOnly = true)]
    public DateTimeOffset? ExpiresBefore { get; init; }

    /// <summary>Keep invoices with this external id (the caller's own reference).</summary>
    [QueryFilter(ProviderOnly = true)]
    public string? ExternalId { get; init; }

    /// <summary>Keep invoices created this way (Xendit client types).</summary>
    [QueryFilter("ClientType", ProviderOnly = true)]
    public IReadOnlyList<XenditClientType> ClientTypes { get; init; } = Array.Empty<XenditClientType>();

    /// <summary>Keep invoices paid through these channels (Xendit payment channels, such as BCA or OVO).</summary>
    [QueryFilter("PaymentChannel", ProviderOnly = true)]
    public IReadOnlyList<string> PaymentChannels { get; init; } = Array.Empty<string>();

    /// <summary>Keep invoices created by this recurring payment (Xendit).</summary>
    [QueryFilter(ProviderOnly = true)]
    public string? RecurringPaymentId { get; init; }

    /// <summary>Keep invoices created from this on-demand link (Xendit).</summary>
    [QueryFilter(ProviderOnly = true)]
    public string? OnDemandLink { get; init; }

    /// <summary>Revolv3: only invoices last updated after this instant (sent to the v1 endpoint).</summary>
    [QueryFilter(ProviderOnly = true)]
    public DateTimeOffset? UpdatedAfter { get; init; }

    /// <summary>Revolv3: only invoices last updated before this instant (sent to the v1 endpoint).</summary>
    [QueryFilter(ProviderOnly = true)]
    public DateTimeOffset? UpdatedBefore { get; init; }

    /// <summary>Revolv3: only invoices of this merchant customer reference (merchantCustomerRefId, v1 endpoint).</summary>
    [QueryFilter(ProviderOnly = true)]
    public string? CustomerReference { get; init; }

    /// <summary>Kitchen: active (the API's default), archived, or all invoices; null leaves the API's default.</summary>
    [QueryFilter(ProviderOnly = true)]
    public KitchenState? State { get; init; }

    /// <summary>Only the invoice with this human number (-Number): a server filter where the provider has one, else applied here.</summary>
    [QueryFilter]
    public string? Number { get; init; }

    /// <summary>Invoices per request; null uses the provider's default.</summary>
    public int? PageSize { get; init; }

    /// <summary>Invoices to pass over before the first one returned.</summary>
    public long Skip { get; init; }

    /// <summary>Stop after this many invoices; null returns all.</summary>
    public long? First { get; init; }

    /// <summary>
    /// The filters, in a stable text form that identifies "the same query" across runs (paging and limits left out).
    /// Used to key -Checkpoint state.
    /// </summary>
    public string Signature()
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            switch (value)
            {
                case null:
                    return;
                case string text when text.Length == 0:
                    return;
                case DateTimeOffset time:
                    parts.Add($"{name}={time.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)}");
                    return;
                case System.Collections.IEnumerable list when value is not string:
                    var items = list.Cast<object>().Select(o => o.ToString()).OrderBy(o => o, StringComparer.Ordinal).ToList();
                    if (items.Count > 0)
                    {
                        parts.Add($"{name}={string.Join(",", items)}");
                    }

                    return;
                default:
                    parts.Add($"{name}={Convert.ToString(value, CultureInfo.InvariantCulture)}");
                    return;
            }
        }

        // Every filter, by construction (QueryFilter.All), in declaration order: the order the names had when they
        // were listed by hand, so existing checkpoint scopes keep their signature.
        foreach (var filter in QueryFilter.All)
        {
            Add(filter.Name, filter.Value(this));
        }

        return parts.Count == 0 ? "(all)" : string.Join(";", parts);
    }
}

/// <summary>How a Xendit invoice was created.</summary>
public enum XenditClientType : long
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
public enum KitchenState : long
{
    /// <summary>Invoices that are not archived (Kitchen's default).</summary>
    Active,

    /// <summary>Only archived invoices.</summary>
    Archived,

    /// <summary>Active and archived invoices.</summary>
    All,
}
