using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InvoiceTools.Paging;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// Xendit's invoice list, directly (<c>GET https://api.xendit.co/v2/invoices</c>, HTTP Basic with the secret key
/// as the user name) or through the Appgregator proxy (<c>x-api-key</c>). A bare array, newest first, paged by
/// the id of the last invoice; amounts are major units of the invoice's currency.
/// </summary>
internal sealed class XenditProvider : InvoiceProvider
{
    /// <summary>How an invoice is read: as documented, and leniently field by field when it is not (<see cref="LenientJson"/>).</summary>
    private static readonly DtoContract<XenditInvoiceDto> InvoiceContract = LenientJson.Contract<XenditInvoiceDto>(XenditJsonContext.Default);

    /// <summary>The shared instance.</summary>
    public static readonly XenditProvider Instance = new();

    /// <summary>Sent for a missing lower bound: Xendit applies a range only when both bounds are present.</summary>
    public const string OpenLowerBound = "1970-01-01T00:00:00.000Z";

    /// <summary>Sent for a missing upper bound.</summary>
    public const string OpenUpperBound = "2100-01-01T00:00:00.000Z";

    /// <summary>Common payment channel codes, for completion; the API accepts others too.</summary>
    public static readonly IReadOnlyList<string> PaymentChannels = new[]
    {
        "BCA", "BNI", "BRI", "BSI", "BJB", "MANDIRI", "PERMATA", "SAHABAT_SAMPOERNA", "CIMB", "OVO", "DANA", "LINKAJA", "SHOPEEPAY",
        "ASTRAPAY", "JENIUSPAY", "QRIS", "CREDIT_CARD", "ALFAMART", "INDOMARET", "7ELEVEN", "CEBUANA", "GCASH", "GRABPAY", "PAYMAYA",
        "DD_BRI", "DD_BPI", "DD_UBP", "PROMPTPAY", "TRUEMONEY", "SHOPEEPAY_PH", "TOUCHNGO", "FPX", "APPOTA", "MOMO", "ZALOPAY", "VIETTELPAY",
    };

    private static readonly Uri DirectRoot = new("https://api.xendit.co");
    private static readonly Uri AppgregatorRoot = new("https://us-central1-appgregator.cloudfunctions.net");

    private static readonly ProviderDescriptor Info = new()
    {
        Kind = InvoiceProviderKind.Xendit,
        DisplayName = "Xendit",
        ReadsCreationWindows = true,
        DatesWithoutOffset = "UTC: Xendit writes ISO 8601 times with Z; one without an offset is read as UTC, and a date alone as that day at midnight UTC.",
        DefaultBaseUri = DirectRoot,
        AuthModes = new[] { "Direct: HTTP Basic, the secret key (xnd_development_/xnd_production_) as the user name", "Appgregator proxy: x-api-key header" },
        Paging = "cursor: limit + last_invoice_id / last_invoice (the last id of the page); bare array, newest first",
        NewestFirst = true,
        MaxPageSize = 100,
        PageSizeSource = "limit is 1-100 (Xendit API reference, List Invoices)",
        Settings = XenditSettings.All,
        Filters = new[]
        {
            FilterUse.Server("statuses", "Status"), FilterUse.Server("created_after/created_before", "CreatedAfter", "CreatedBefore"),
            FilterUse.Server("paid_after/paid_before", "PaidAfter", "PaidBefore"), FilterUse.Server("expired_after/expired_before", "ExpiresAfter", "ExpiresBefore"),
            FilterUse.Server("external_id", "ExternalId"), FilterUse.Server("client_types", "ClientType"), FilterUse.Server("payment_channels", "PaymentChannel"),
            FilterUse.Server("recurring_payment_id", "RecurringPaymentId"), FilterUse.Server("on_demand_link", "OnDemandLink"),
            FilterUse.Module("Customer"),
        },
        StatusMap = new Dictionary<string, InvoiceStatus>(StringComparer.OrdinalIgnoreCase)
        {
            ["PENDING"] = InvoiceStatus.Open,
            ["PAID"] = InvoiceStatus.Paid,
            ["SETTLED"] = InvoiceStatus.Paid,
            ["EXPIRED"] = InvoiceStatus.Expired,
        },
    };

    private static readonly Dictionary<XenditCursorParameter, CursorPaging> Cursors = new()
    {
        [XenditCursorParameter.Both] = new CursorPaging("limit", "last_invoice_id", "last_invoice"),
        [XenditCursorParameter.LastInvoiceId] = new CursorPaging("limit", "last_invoice_id"),
        [XenditCursorParameter.LastInvoice] = new CursorPaging("limit", "last_invoice"),
    };

    /// <inheritdoc />
    public override ProviderDescriptor Descriptor => Info;

    /// <inheritdoc />
    public override PagingStrategy Paging => Cursors[XenditCursorParameter.Both];

    /// <inheritdoc />
    public override SandboxDefaults SandboxDefaults { get; } = new("xendit");

    /// <inheritdoc />
    public override SandboxDefaults SandboxDefaultsFor(ConnectionOptions options) =>
        options?.Gateway == XenditGateway.Appgregator ? new("appgregator", "Appgregator") : SandboxDefaults;

    /// <inheritdoc />
    public override Uri? DefaultBaseUriFor(ConnectionOptions options) => options?.Gateway == XenditGateway.Appgregator ? AppgregatorRoot : DirectRoot;

    /// <inheritdoc />
    public override PagingStrategy PagingFor(IProviderConnection connection) =>
        Cursors[Of(connection).CursorParameter];

    /// <inheritdoc />
    public override string? AccountLabel(ConnectionOptions options) =>
        First8(Given(options?.ForUserId)) ?? (options?.Gateway == XenditGateway.Appgregator ? (Given(options.AppgregatorProject) is { } project ? $"Appgregator-{project}" : "Appgregator") : null);

    private static XenditConfiguration Of(IProviderConnection connection) => (XenditConfiguration)(connection ?? throw new ArgumentNullException(nameof(connection))).Configuration;

    /// <inheritdoc />
    public override ProviderConfiguration ConfigureConnection(ConnectionOptions options, SandboxAccount? sandbox)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.Gateway == XenditGateway.Direct)
        {
            if (!string.IsNullOrWhiteSpace(options.AppgregatorProject) || !string.IsNullOrWhiteSpace(options.AppgregatorConnection))
            {
                throw Config("-AppgregatorProject and -AppgregatorConnection apply only to the Appgregator proxy.", "Add -Gateway Appgregator, or drop them for a direct connection.", "Gateway");
            }

            return new XenditConfiguration(options.Gateway, options.CursorParameter, KeyKind(options, sandbox is not null), Given(options.ForUserId), null, null);
        }

        if (!string.IsNullOrWhiteSpace(options.ForUserId))
        {
            throw Config("-ForUserId (the for-user-id sub-account header) applies only to direct Xendit connections.", "Drop -ForUserId, or use -Gateway Direct with your Xendit secret key.", "ForUserId");
        }

        return new XenditConfiguration(options.Gateway, options.CursorParameter, null, null, Given(options.AppgregatorProject), Given(options.AppgregatorConnection));
    }

    /// <inheritdoc />
    public override Uri ListEndpoint(IProviderConnection connection)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        var configuration = Of(connection);
        if (configuration.Gateway != XenditGateway.Appgregator)
        {
            return Endpoint(connection, "/v2/invoices");
        }

        var parameters = new List<KeyValuePair<string, string>>();
        if (configuration.Project is { } project)
        {
            parameters.Add(new("name", project));
        }

        if (configuration.ConnectionName is { } name)
        {
            parameters.Add(new("connection_name", name));
        }

        return QueryString.Append(Endpoint(connection, "/xendit/invoices/"), parameters);
    }

    /// <inheritdoc />
    public override Uri ItemEndpoint(IProviderConnection connection, string id)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        if (Of(connection).Gateway != XenditGateway.Appgregator)
        {
            return Endpoint(connection, $"/v2/invoices/{Uri.EscapeDataString(id)}");
        }

        // Appgregator's by-id route is /xendit/find/{id}, with the same project and connection parameters as its list.
        return new Uri(ListEndpoint(connection).AbsoluteUri.Replace("/xendit/invoices/", $"/xendit/find/{Uri.EscapeDataString(id)}"));
    }

    /// <inheritdoc />
    public override Invoice ParseItem(ReadOnlyMemory<byte> body, IProviderConnection connection) =>
        JsonItems.ReadSingle(body, InvoiceContract, Map, null);

    /// <inheritdoc />
    protected override bool PlanNumber(string number, QueryPlan plan, IProviderConnection connection) =>
        throw new InvoiceConfigurationException(
            "Xendit invoices have no invoice number, so -Number cannot find one.",
            "Use -Id with the invoice id, or -ExternalId with your own reference.")
        { ParameterName = "Number", Provider = InvoiceProviderKind.Xendit };

    /// <inheritdoc />
    public override void ApplyCredentials(HttpRequestMessage request, string secret, ProviderConfiguration configuration)
    {
        if (request is null || configuration is null)
        {
            throw new ArgumentNullException(request is null ? nameof(request) : nameof(configuration));
        }

        if (((XenditConfiguration)configuration).Gateway == XenditGateway.Appgregator)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", secret);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{secret}:")));
        }
    }

    /// <inheritdoc />
    public override void PrepareRequest(HttpRequestMessage request, IProviderConnection connection)
    {
        base.PrepareRequest(request, connection);
        if (Of(connection).ForUserId is { } subAccount)
        {
            request!.Headers.TryAddWithoutValidation("for-user-id", subAccount);
        }
    }

    /// <inheritdoc />
    public override InvoicePage ParsePage(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {

        var reader = LenientJson.Reader(body);
        if (!reader.Read())
        {
            throw new JsonException("the body is empty");
        }

        bool? hasMore = null;
        if (reader.TokenType == JsonTokenType.StartObject && !KeyedByIndex(reader))
        {
            // Tolerate a {"data":[...],"has_more":...} wrapper; the documented shape is a bare array.
            var found = false;
            while (!found && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    found = true;
                }
                else if (reader.ValueTextEquals("has_more"u8))
                {
                    reader.Read();
                    hasMore = reader.TokenType == JsonTokenType.True;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!found)
            {
                throw new JsonException("expected a JSON array of invoices");
            }
        }

        FieldReadLog? fieldReads = null;
        IReadOnlyList<Invoice> items = Array.Empty<Invoice>();
        fieldReads = JsonItems.ReadArray(ref reader, body, InvoiceContract, Map, out items);

        return new InvoicePage(items) { FieldReads = fieldReads, HasMore = hasMore };
    }

    /// <summary>True when the object at <paramref name="reader"/> is a list keyed by index: {"0":{...},"1":{...}}.</summary>
    private static bool KeyedByIndex(Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.GetString() is { Length: > 0 } key && key.All(char.IsDigit);

    /// <inheritdoc />
    protected override void PlanFilters(InvoiceQuery query, QueryPlan plan, IProviderConnection connection)
    {
        if (query is null || plan is null)
        {
            throw new ArgumentNullException(query is null ? nameof(query) : nameof(plan));
        }

        var paidOnly = query.PaidAfter is not null || query.PaidBefore is not null || query.PaymentChannels.Count > 0;
        if (query.Statuses.Count > 0)
        {
            var words = ProviderStatusesFor(query.Statuses, plan);
            if (words is null)
            {
                AddClientStatusFilter(query.Statuses, plan);
                words = Array.Empty<string>();
            }
            else if (paidOnly && !words.Any(w => w is "PAID" or "SETTLED"))
            {
                throw Config(
                    $"-PaidAfter, -PaidBefore and -PaymentChannel match only paid invoices, but -Status asks for {string.Join(", ", query.Statuses)}: the query could return nothing.",
                    "Add Paid to -Status, or drop the paid filters.",
                    "Status");
            }

            foreach (var word in words)
            {
                plan.AddServerFilter("statuses", word, $"statuses={word}");
            }
        }

        AddRange(plan, "created", query.CreatedAfter, query.CreatedBefore);
        AddRange(plan, "paid", query.PaidAfter, query.PaidBefore);
        AddRange(plan, "expired", query.ExpiresAfter, query.ExpiresBefore);
        if (!string.IsNullOrEmpty(query.ExternalId))
        {
            plan.AddServerFilter("external_id", query.ExternalId!, $"external_id={query.ExternalId}");
        }

        foreach (var type in query.ClientTypes.Distinct())
        {
            var word = ClientTypeWord(type);
            plan.AddServerFilter("client_types", word, $"client_types={word}");
        }

        foreach (var channel in query.PaymentChannels.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim().ToUpperInvariant()).Distinct())
        {
            plan.AddServerFilter("payment_channels", channel, $"payment_channels={channel}");
        }

        if (!string.IsNullOrEmpty(query.RecurringPaymentId))
        {
            plan.AddServerFilter("recurring_payment_id", query.RecurringPaymentId!, $"recurring_payment_id={query.RecurringPaymentId}");
        }

        if (!string.IsNullOrEmpty(query.OnDemandLink))
        {
            plan.AddServerFilter("on_demand_link", query.OnDemandLink!, $"on_demand_link={query.OnDemandLink}");
        }

        AddClientCustomerFilter(query.Customer, plan);
    }

    /// <summary>The API's word for a client type.</summary>
    public static string ClientTypeWord(XenditClientType type) => type switch
    {
        XenditClientType.ApiGateway => "API_GATEWAY",
        XenditClientType.Dashboard => "DASHBOARD",
        XenditClientType.Integration => "INTEGRATION",
        XenditClientType.OnDemand => "ON_DEMAND",
        XenditClientType.Recurring => "RECURRING",
        XenditClientType.Mobile => "MOBILE",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string XenditTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void AddRange(QueryPlan plan, string name, DateTimeOffset? after, DateTimeOffset? before)
    {
        if (after is null && before is null)
        {
            return;
        }

        var low = after is DateTimeOffset a ? XenditTime(a) : OpenLowerBound;
        var high = before is DateTimeOffset b ? XenditTime(b) : OpenUpperBound;
        plan.AddServerFilter($"{name}_after", low, $"{name}_after={low}");
        plan.AddServerFilter($"{name}_before", high, $"{name}_before={high}");
        if (after is null || before is null)
        {
            plan.AddNote($"Xendit applies a {name} range only when both bounds are sent, so the missing one was filled with {(after is null ? OpenLowerBound : OpenUpperBound)}");
        }
    }

    private static InvoiceConfigurationException Config(string message, string action, string parameter) =>
        new(message, action) { ParameterName = parameter, Provider = InvoiceProviderKind.Xendit };

    private static string KeyKind(ConnectionOptions options, bool sandbox)
    {
        if (options.ApiKey is null)
        {
            return sandbox ? "Test" : "Unknown";
        }

        using var key = new ApiSecret(options.ApiKey);
        if (key.StartsWith("xnd_public_"))
        {
            throw Config(
                "That is a Xendit public key (xnd_public_…). Public keys only create tokens in a browser; they cannot list invoices.",
                "Use a secret key (xnd_development_… for test mode, xnd_production_… for live) from Xendit Dashboard > Settings > API keys.",
                "ApiKey");
        }

        return key.StartsWith("xnd_development_") ? "Test" : key.StartsWith("xnd_production_") ? "Live" : "Unknown";
    }

    private static Invoice Map(XenditInvoiceDto dto, byte[] raw)
    {
        var id = dto.Id ?? string.Empty;
        var currency = dto.Currency?.ToUpperInvariant();
        var status = Info.MapStatus(dto.Status);
        var lines = dto.Items?.Select(item => new InvoiceLineItem
        {
            Provider = nameof(InvoiceProviderKind.Xendit),
            InvoiceId = id,

            // Xendit invoices have no number; the line carries the invoice's id (and the invoice its ExternalId), so
            // lines join their invoice on InvoiceId as on every provider.
            InvoiceNumber = null,
            Id = item.ReferenceId,
            Name = item.Name,
            Description = item.Category,
            Quantity = item.Quantity,
            UnitPrice = item.Price,
            Amount = item.Price is decimal p && item.Quantity is decimal q ? p * q : null,
            Currency = currency,
        }).ToList();
        var customer = dto.Customer;
        var name = customer is null ? null : string.Join(" ", new[] { customer.GivenNames, customer.Surname }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new Invoice
        {
            Provider = nameof(InvoiceProviderKind.Xendit),
            Id = id,
            Number = null,
            ExternalId = dto.ExternalId,
            Status = status,
            ProviderStatus = dto.Status,
            Currency = currency,
            Total = dto.Amount,
            AmountPaid = dto.PaidAmount,
            AmountDue = status switch
            {
                InvoiceStatus.Open => dto.Amount,
                InvoiceStatus.Paid => dto.Amount is decimal total ? Math.Max(0, total - (dto.PaidAmount ?? total)) : null,
                InvoiceStatus.Expired => 0m,
                _ => null,
            },
            Fees = dto.Fees is { Count: > 0 } fees ? fees.Sum(f => f.Value ?? 0m) : null,
            CustomerId = customer?.CustomerId ?? customer?.Id,
            CustomerName = string.IsNullOrEmpty(name) ? null : name,
            CustomerEmail = customer?.Email ?? dto.PayerEmail,
            CreatedAt = dto.Created?.ToUniversalTime(),
            UpdatedAt = dto.Updated?.ToUniversalTime(),
            PaidAt = dto.PaidAt?.ToUniversalTime(),
            ExpiresAt = dto.ExpiryDate?.ToUniversalTime(),
            PaymentMethod = dto.PaymentMethod,
            PaymentChannel = dto.PaymentChannel,
            Description = dto.Description,
            LineItems = lines is null ? InvoiceLineItemCollection.Empty : new InvoiceLineItemCollection(lines),
            Raw = new RawRecord(raw),
        };
    }
}
