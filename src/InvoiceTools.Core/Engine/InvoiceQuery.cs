using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

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

    /// <summary>Only the invoice with this human number (-Number): a server filter where the provider has one, else applied here.</summary>
    public string? Number { get; init; }

    /// <summary>Invoices per request; null uses the provider's default.</summary>
    public int? PageSize { get; init; }

    /// <summary>Invoices to pass over before the first one returned.</summary>
    public long Skip { get; init; }

    /// <summary>Stop after this many invoices; null returns all.</summary>
    public long? First { get; init; }

    /// <summary>Properties that say how to page, not what to list: they never change a checkpoint's scope.</summary>
    private static readonly HashSet<string> NotFilters = new(StringComparer.Ordinal) { nameof(PageSize), nameof(Skip), nameof(First) };

    /// <summary>The parameter names the signature has always used where they differ from the property names.</summary>
    private static readonly Dictionary<string, string> SignatureNames = new(StringComparer.Ordinal)
    {
        [nameof(Statuses)] = "Status",
        [nameof(ClientTypes)] = "ClientType",
        [nameof(PaymentChannels)] = "PaymentChannel",
    };

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
                    parts.Add(name + "=" + time.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case System.Collections.IEnumerable list when value is not string:
                    var items = list.Cast<object>().Select(o => o.ToString()).OrderBy(o => o, StringComparer.Ordinal).ToList();
                    if (items.Count > 0)
                    {
                        parts.Add(name + "=" + string.Join(",", items));
                    }

                    return;
                default:
                    parts.Add(name + "=" + Convert.ToString(value, CultureInfo.InvariantCulture));
                    return;
            }
        }

        // Every filter, by construction: each public property but the paging ones, in declaration order (the order
        // the names had when they were listed by hand, so existing checkpoint scopes keep their signature).
        foreach (var property in typeof(InvoiceQuery).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => !NotFilters.Contains(p.Name))
            .OrderBy(p => p.MetadataToken))
        {
            Add(SignatureNames.TryGetValue(property.Name, out var name) ? name : property.Name, property.GetValue(this));
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
