using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using InvoiceTools.Paging;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// Opterius Commerce, a self-hosted panel: <c>GET {base}/api/v1/invoices</c> with a Bearer token. The documented API
/// pages with <c>page</c>/<c>per_page</c> and <c>meta</c> and sends integer minor units with <c>currency_code</c>; the
/// published server code (v2.7.0) sends every invoice at once, without <c>meta</c>, in decimal major units with
/// <c>currency</c>. Both are read: a response without <c>meta</c> is one complete page, and the field names decide
/// the amount unit unless the connection overrides it.
/// </summary>
internal sealed class OpteriusProvider : InvoiceProvider
{
    /// <summary>How an invoice is read: as documented, and leniently field by field when it is not (<see cref="LenientJson"/>).</summary>
    private static readonly DtoContract<OpteriusInvoiceDto> InvoiceContract = LenientJson.Contract<OpteriusInvoiceDto>(OpteriusJsonContext.Default);

    /// <summary>The shared instance.</summary>
    public static readonly OpteriusProvider Instance = new();

    private static readonly string[] FilterableWords = { "unpaid", "paid", "overdue", "cancelled" };

    private static readonly ProviderDescriptor Info = new()
    {
        Kind = InvoiceProviderKind.Opterius,
        DisplayName = "Opterius Commerce",
        DatesWithoutOffset = "UTC: due_date and paid_date are dates alone, read as that day at midnight UTC; a time without an offset is UTC (Opterius documents no zone).",
        DefaultBaseUri = null,
        AuthModes = new[] { "Bearer token (Authorization: Bearer)" },
        Paging = "page + per_page with meta.last_page; a response without meta is one complete page",
        NewestFirst = true,
        MaxPageSize = 100,
        PageSizeSource = "per_page defaults to 15, at most 100 (Opterius Commerce API documentation)",
        Settings = OpteriusSettings.All,
        Filters = new[]
        {
            FilterUse.Server("status, when exactly one of Open, Overdue, Paid, Void is asked for", "Status"),
            FilterUse.ModuleAs("several, or Draft/Refunded", "Status"), FilterUse.Module("CreatedAfter"), FilterUse.Module("CreatedBefore"),
        },
        StatusMap = new Dictionary<string, InvoiceStatus>(StringComparer.OrdinalIgnoreCase)
        {
            ["draft"] = InvoiceStatus.Draft,
            ["unpaid"] = InvoiceStatus.Open,
            ["overdue"] = InvoiceStatus.Overdue,
            ["paid"] = InvoiceStatus.Paid,
            ["cancelled"] = InvoiceStatus.Void,
            ["refunded"] = InvoiceStatus.Refunded,
        },
    };

    private static readonly PageNumberPaging NumberPaging = new("page", "per_page");

    /// <inheritdoc />
    public override ProviderDescriptor Descriptor => Info;

    /// <inheritdoc />
    public override PagingStrategy Paging => NumberPaging;

    /// <inheritdoc />
    public override SandboxDefaults SandboxDefaults { get; } = new("opterius");

    /// <inheritdoc />
    public override ProviderConfiguration ConfigureConnection(ConnectionOptions options, SandboxAccount? sandbox)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        return new OpteriusConfiguration(options.AmountUnit);
    }

    private static OpteriusAmountUnit UnitOf(IProviderConnection connection) =>
        ((OpteriusConfiguration)(connection ?? throw new ArgumentNullException(nameof(connection))).Configuration).AmountUnit;

    /// <inheritdoc />
    public override Uri ListEndpoint(IProviderConnection connection)
    {
        return Endpoint(connection, "/api/v1/invoices");
    }

    /// <inheritdoc />
    public override Uri ItemEndpoint(IProviderConnection connection, string id) => Endpoint(connection, $"/api/v1/invoices/{Uri.EscapeDataString(id)}");

    /// <inheritdoc />
    public override string? ValidateId(string id) =>
        base.ValidateId(id) ?? (IsWholeNumber(id) ? null : "Opterius invoice ids are whole numbers");

    /// <inheritdoc />
    public override Invoice ParseItem(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {
        var unit = UnitOf(connection);
        return JsonItems.ReadSingle(body, InvoiceContract, (dto, raw) => Map(dto, raw, unit), "data");
    }

    /// <inheritdoc />
    public override void ApplyCredentials(HttpRequestMessage request, string secret, ProviderConfiguration configuration)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
    }

    /// <inheritdoc />
    public override InvoicePage ParsePage(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {

        var unit = UnitOf(connection);
        var reader = LenientJson.Reader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON object with 'data'");
        }

        FieldReadLog? fieldReads = null;
        IReadOnlyList<Invoice> items = Array.Empty<Invoice>();
        OpteriusMetaDto? meta = null;
        var sawData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                sawData = true;
                fieldReads = JsonItems.ReadArray(ref reader, body, InvoiceContract, (dto, raw) => Map(dto, raw, unit), out items);
            }
            else if (reader.ValueTextEquals("meta"u8))
            {
                reader.Read();
                meta = JsonSerializer.Deserialize(ref reader, OpteriusJsonContext.Default.OpteriusMetaDto);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!sawData)
        {
            throw new JsonException("the object has no 'data' array");
        }

        return meta is null
            ? new InvoicePage(items) { FieldReads = fieldReads, HasMore = false, TotalCount = items.Count }
            : new InvoicePage(items) { FieldReads = fieldReads, CurrentPage = meta.CurrentPage, LastPage = meta.LastPage, TotalCount = meta.Total };
    }

    /// <inheritdoc />
    protected override void PlanFilters(InvoiceQuery query, QueryPlan plan, IProviderConnection connection)
    {
        if (query is null || plan is null)
        {
            throw new ArgumentNullException(query is null ? nameof(query) : nameof(plan));
        }

        if (!string.IsNullOrWhiteSpace(query.Customer))
        {
            throw new InvoiceConfigurationException(
                "Opterius Commerce invoices carry no customer name or e-mail, so -Customer cannot be applied.",
                "Drop -Customer for this connection.")
            { ParameterName = "Customer", Provider = InvoiceProviderKind.Opterius };
        }

        if (query.Statuses.Count > 0)
        {
            var words = ProviderStatusesFor(query.Statuses, plan);

            // The API filters one status per request. One filterable status goes to the server; several are filtered
            // here from one pass over the list, which keeps the provider's order without merging parallel streams.
            if (words is { Count: 1 } && Array.IndexOf(FilterableWords, words[0]) >= 0)
            {
                plan.AddServerFilter("status", words[0], $"status={words[0]}");
            }
            else
            {
                AddClientStatusFilter(query.Statuses, plan);
            }
        }

        AddClientCreatedFilter(query.CreatedAfter, query.CreatedBefore, plan);
    }

    private static decimal? Money(decimal? value, string? currency, bool minor) =>
        value is decimal v ? (minor ? Currency.ToMajorUnits(v, currency) : v) : null;

    private static Invoice Map(OpteriusInvoiceDto dto, byte[] raw, OpteriusAmountUnit unit)
    {
        var currency = (dto.CurrencyCode ?? dto.Currency)?.ToUpperInvariant();
        var minor = unit switch
        {
            OpteriusAmountUnit.Minor => true,
            OpteriusAmountUnit.Major => false,
            _ => dto.Currency is null || dto.CurrencyCode is not null,
        };
        var status = Info.MapStatus(dto.Status);
        var total = Money(dto.Total, currency, minor);
        var id = dto.Id.ValueKind == JsonValueKind.String ? dto.Id.GetString() : dto.Id.ValueKind == JsonValueKind.Number ? dto.Id.GetRawText() : null;
        return new Invoice
        {
            Provider = nameof(InvoiceProviderKind.Opterius),
            Id = id ?? string.Empty,
            Number = dto.InvoiceNumber,
            Status = status,
            ProviderStatus = dto.Status,
            Currency = currency,
            Subtotal = Money(dto.Subtotal, currency, minor),
            Tax = Money(dto.TaxAmount, currency, minor),
            Total = total,
            AmountDue = dto.AmountDue is not null ? Money(dto.AmountDue, currency, minor) : status switch
            {
                InvoiceStatus.Open or InvoiceStatus.Overdue => total,
                InvoiceStatus.Paid or InvoiceStatus.Void or InvoiceStatus.Refunded => 0m,
                _ => null,
            },
            CreatedAt = dto.CreatedAt?.ToUniversalTime(),
            DueDate = dto.DueDate?.ToUniversalTime(),
            PaidAt = (dto.PaidAt ?? dto.PaidDate)?.ToUniversalTime(),
            Raw = new RawRecord(raw),
        };
    }
}
