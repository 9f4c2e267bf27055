using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using InvoiceTools.Paging;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// Revolv3: <c>GET /api/Invoices</c> (startDate/endDate, the legacy endpoint the excerpt documents) or
/// <c>GET /api/Invoices/v1</c> (billing and last-update ranges, customer reference), with the static
/// <c>x-revolv3-token</c> header or a Bearer token. A bare array, 1-based pages of at most 100, billing date newest
/// first; no total, so paging stops on a short page. Decimal major units; currency is often null.
/// </summary>
internal sealed class Revolv3Provider : InvoiceProvider
{
    /// <summary>How an invoice is read: as documented, and leniently field by field when it is not (<see cref="LenientJson"/>).</summary>
    private static readonly DtoContract<Revolv3InvoiceDto> InvoiceContract = LenientJson.Contract<Revolv3InvoiceDto>(Revolv3JsonContext.Default);

    /// <summary>The shared instance.</summary>
    public static readonly Revolv3Provider Instance = new();

    private const string LegacyPath = "/api/Invoices";
    private const string V1Path = "/api/Invoices/v1";

    private static readonly string[] BillingDateFormats = { "MM-dd-yyyy", "dd-MMM-yy", "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK" };

    private static readonly ProviderDescriptor Info = new()
    {
        Kind = InvoiceProviderKind.Revolv3,
        DisplayName = "Revolv3",
        DatesWithoutOffset = "UTC, as Revolv3 documents for billing dates (MM-dd-yyyy, dd-MMM-yy or ISO 8601); a date alone is that day at midnight UTC.",
        DefaultBaseUri = new Uri("https://api.revolv3.com"),
        AuthModes = new[] { "x-revolv3-token: <static token> (default)", "Authorization: Bearer <token from POST /api/Authentication/Token> (-AuthScheme Bearer)" },
        Paging = "page (1-based) + pageSize (max 100); bare array, stops on a short page",
        MaxPageSize = 100,
        PageSizeSource = "pageSize defaults to 100, which is also the maximum (Revolv3 API reference)",
        Settings = Revolv3Settings.All,
        Filters = new[]
        {
            FilterUse.Server("billing date: startDate/endDate, or billingStartDate/billingEndDate on v1", "CreatedAfter", "CreatedBefore"),
            FilterUse.Server("lastUpdateStartDate/lastUpdateEndDate, v1", "UpdatedAfter", "UpdatedBefore"),
            FilterUse.Server("merchantCustomerRefId, v1", "CustomerReference"),
            FilterUse.Module("Status"), FilterUse.Module("Customer"), FilterUse.Module("ExternalId"),
            FilterUse.ModuleAs("to the exact instant", "CreatedAfter", "CreatedBefore"),
        },
        StatusMap = new Dictionary<string, InvoiceStatus>(StringComparer.OrdinalIgnoreCase)
        {
            // The real vocabulary (17 values).
            ["Paid"] = InvoiceStatus.Paid,
            ["Void"] = InvoiceStatus.Void,
            ["Pending"] = InvoiceStatus.Open,
            ["Recycle"] = InvoiceStatus.Failed,
            ["Noncollectable"] = InvoiceStatus.Uncollectible,
            ["Failed"] = InvoiceStatus.Failed,
            ["Refund"] = InvoiceStatus.Refunded,
            ["MerchantPaid"] = InvoiceStatus.Paid,
            ["MerchantCancelled"] = InvoiceStatus.Void,
            ["OneTimePaymentPending"] = InvoiceStatus.Open,
            ["PartialRefund"] = InvoiceStatus.PartiallyRefunded,
            ["BatchPending"] = InvoiceStatus.Open,
            ["CapturePending"] = InvoiceStatus.Open,
            ["RefundPending"] = InvoiceStatus.Paid,
            ["RefundDeclined"] = InvoiceStatus.Paid,
            ["RefundFailed"] = InvoiceStatus.Paid,
            ["RetryPending"] = InvoiceStatus.Failed,

            // The excerpt's vocabulary.
            ["open"] = InvoiceStatus.Open,
            ["voided"] = InvoiceStatus.Void,
            ["draft"] = InvoiceStatus.Draft,
        },
    };

    private static readonly PageNumberPaging NumberPaging = new("page", "pageSize");

    /// <inheritdoc />
    public override ProviderDescriptor Descriptor => Info;

    /// <inheritdoc />
    public override PagingStrategy Paging => NumberPaging;

    /// <inheritdoc />
    public override SandboxDefaults SandboxDefaults { get; } = new("revolv3");

    /// <inheritdoc />
    public override Uri? DefaultBaseUriFor(ConnectionOptions options) =>
        options?.Environment == Revolv3Environment.Sandbox ? new Uri("https://api-sandbox.revolv3.com") : Info.DefaultBaseUri;

    /// <summary>
    /// Parses a billing date in any of the formats Revolv3 is seen to use: MM-dd-yyyy, dd-MMM-yy, ISO 8601, in UTC
    /// as Revolv3 documents. Null for anything else; while a page is read, <paramref name="field"/> is then recorded
    /// as left empty (<see cref="FieldReadLog"/>).
    /// </summary>
    public static DateTimeOffset? ParseBillingDate(string? text, string field = "billingDate")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text!.Trim(), BillingDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        FieldReadLog.Dropped(field);
        return null;
    }

    /// <inheritdoc />
    public override ProviderConfiguration ConfigureConnection(ConnectionOptions options, SandboxAccount? sandbox)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.Environment == Revolv3Environment.Sandbox && !string.IsNullOrWhiteSpace(options.BaseUri))
        {
            throw new InvoiceConfigurationException("-Environment Sandbox picks Revolv3's sandbox host, so it cannot be combined with -BaseUri.", "Drop one of them.")
            { ParameterName = "Environment", Provider = InvoiceProviderKind.Revolv3 };
        }

        return new Revolv3Configuration(options.Environment, options.AuthScheme, options.Endpoint, Given(options.Currency)?.ToUpperInvariant() ?? "USD");
    }

    /// <inheritdoc />
    public override string? AccountLabel(ConnectionOptions options) => options?.Environment == Revolv3Environment.Sandbox ? "api-sandbox" : null;

    private static Revolv3Configuration Of(IProviderConnection connection) => (Revolv3Configuration)(connection ?? throw new ArgumentNullException(nameof(connection))).Configuration;

    /// <inheritdoc />
    public override Uri ListEndpoint(IProviderConnection connection)
    {
        return Endpoint(connection, Of(connection).Endpoint == Revolv3Endpoint.V1 ? V1Path : LegacyPath);
    }

    /// <inheritdoc />
    public override Uri ItemEndpoint(IProviderConnection connection, string id) => Endpoint(connection, $"{LegacyPath}/{Uri.EscapeDataString(id)}");

    /// <inheritdoc />
    public override string? ValidateId(string id) =>
        base.ValidateId(id) ?? (IsWholeNumber(id) ? null : "Revolv3 invoice ids are whole numbers");

    /// <inheritdoc />
    public override Invoice ParseItem(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {
        var currency = Of(connection).Currency;
        return JsonItems.ReadSingle(body, InvoiceContract, (dto, raw) => Map(dto, raw, currency), null);
    }

    /// <inheritdoc />
    protected override bool PlanNumber(string number, QueryPlan plan, IProviderConnection connection)
    {
        // Only the legacy list endpoint filters on merchantInvoiceRefId (the number); v1 does not.
        if (plan is null || plan.Endpoint is not null || Of(connection).Endpoint == Revolv3Endpoint.V1)
        {
            return false;
        }

        plan.AddServerFilter("merchantInvoiceRefId", number, "Number");
        return true;
    }

    /// <inheritdoc />
    public override void ApplyCredentials(HttpRequestMessage request, string secret, ProviderConfiguration configuration)
    {
        if (request is null || configuration is null)
        {
            throw new ArgumentNullException(request is null ? nameof(request) : nameof(configuration));
        }

        if (((Revolv3Configuration)configuration).AuthScheme == Revolv3AuthScheme.Bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        else
        {
            request.Headers.TryAddWithoutValidation("x-revolv3-token", secret);
        }
    }

    /// <inheritdoc />
    public override InvoicePage ParsePage(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {

        var currency = Of(connection).Currency;
        var reader = LenientJson.Reader(body);
        if (!reader.Read())
        {
            throw new JsonException("the body is empty");
        }

        FieldReadLog? fieldReads = null;
        IReadOnlyList<Invoice> items = Array.Empty<Invoice>();
        fieldReads = JsonItems.ReadArray(ref reader, body, InvoiceContract, (dto, raw) => Map(dto, raw, currency), out items);
        return new InvoicePage(items) { FieldReads = fieldReads };
    }

    /// <inheritdoc />
    protected override void PlanFilters(InvoiceQuery query, QueryPlan plan, IProviderConnection connection)
    {
        if (query is null || plan is null || connection is null)
        {
            throw new ArgumentNullException(query is null ? nameof(query) : plan is null ? nameof(plan) : nameof(connection));
        }

        var needsV1 = query.UpdatedAfter is not null || query.UpdatedBefore is not null || !string.IsNullOrEmpty(query.CustomerReference);
        var setting = Of(connection).Endpoint;
        if (needsV1 && setting == Revolv3Endpoint.Legacy)
        {
            throw new InvoiceConfigurationException(
                "-UpdatedAfter, -UpdatedBefore and -CustomerReference need Revolv3's /api/Invoices/v1 endpoint, but the connection is set to -Endpoint Legacy.",
                "Reconnect with -Endpoint Auto or V1, or drop those filters.")
            { ParameterName = needsV1 && !string.IsNullOrEmpty(query.CustomerReference) ? "CustomerReference" : "UpdatedAfter", Provider = InvoiceProviderKind.Revolv3 };
        }

        var v1 = setting == Revolv3Endpoint.V1 || needsV1;
        if (needsV1 && setting == Revolv3Endpoint.Auto)
        {
            // ListEndpoint already answers v1 for -Endpoint V1; Auto switches per query.
            plan.Endpoint = Endpoint(connection, V1Path);
            plan.AddNote("Using /api/Invoices/v1, which is the Revolv3 endpoint with last-update and customer-reference filters");
        }

        if (query.Statuses.Count > 0)
        {
            _ = ProviderStatusesFor(query.Statuses, plan);
            AddClientStatusFilter(query.Statuses, plan);
        }

        // Revolv3 filters by billing date, whole days, inclusive; the module then trims to the exact instants.
        if (query.CreatedAfter is DateTimeOffset after)
        {
            var day = after.UtcDateTime.ToString(v1 ? "yyyy-MM-dd" : "MM-dd-yyyy", CultureInfo.InvariantCulture);
            plan.AddServerFilter(v1 ? "billingStartDate" : "startDate", day, (v1 ? "billingStartDate=" : "startDate=") + day);
        }

        if (query.CreatedBefore is DateTimeOffset before)
        {
            var day = before.UtcDateTime.ToString(v1 ? "yyyy-MM-dd" : "MM-dd-yyyy", CultureInfo.InvariantCulture);
            plan.AddServerFilter(v1 ? "billingEndDate" : "endDate", day, (v1 ? "billingEndDate=" : "endDate=") + day);
        }

        // Billing dates are whole days (midnight UTC), and Revolv3's start date is inclusive: -CreatedAfter 2024-02-19
        // includes the invoices billed that day, so -CreatedAfter d -CreatedBefore d+1 is one day's invoices.
        AddClientCreatedFilter(query.CreatedAfter, query.CreatedBefore, plan, afterInclusive: true);
        if (query.UpdatedAfter is DateTimeOffset updatedAfter)
        {
            plan.AddServerFilter("lastUpdateStartDate", Iso(updatedAfter), $"lastUpdateStartDate={Iso(updatedAfter)}");
        }

        if (query.UpdatedBefore is DateTimeOffset updatedBefore)
        {
            plan.AddServerFilter("lastUpdateEndDate", Iso(updatedBefore), $"lastUpdateEndDate={Iso(updatedBefore)}");
        }

        if (!string.IsNullOrEmpty(query.CustomerReference))
        {
            plan.AddServerFilter("merchantCustomerRefId", query.CustomerReference!, $"merchantCustomerRefId={query.CustomerReference}");
        }

        AddClientCustomerFilter(query.Customer, plan);
        AddClientExternalIdFilter(query.ExternalId, plan);
    }

    private static Invoice Map(Revolv3InvoiceDto dto, byte[] raw, string connectionCurrency)
    {
        var currency = (dto.Currency ?? connectionCurrency).ToUpperInvariant();
        var word = dto.InvoiceStatus ?? dto.Status;
        var status = Info.MapStatus(word);
        var total = dto.Total ?? (dto.Amount is decimal cents ? Currency.ToMajorUnits(cents, currency) : null);
        var billed = ParseBillingDate(dto.BillingDate) ?? ParseBillingDate(dto.IssueDate, "issue_date");
        var name = string.Join(" ", new[] { dto.CustomerFirstName, dto.CustomerLastName }).Trim();
        var id = dto.InvoiceId?.ToString(CultureInfo.InvariantCulture) ?? dto.Id ?? string.Empty;
        return new Invoice
        {
            Provider = nameof(InvoiceProviderKind.Revolv3),
            Id = id,
            Number = dto.MerchantInvoiceRefId,
            ExternalId = dto.MerchantInvoiceRefId,
            Status = status,
            ProviderStatus = word,
            Currency = currency,
            Subtotal = dto.Subtotal,
            Tax = dto.Tax,
            Total = total,
            AmountDue = status switch
            {
                InvoiceStatus.Open or InvoiceStatus.Failed or InvoiceStatus.Draft => total,
                InvoiceStatus.Paid or InvoiceStatus.Void or InvoiceStatus.Refunded or InvoiceStatus.PartiallyRefunded or InvoiceStatus.Uncollectible => 0m,
                _ => null,
            },
            CustomerId = dto.CustomerId?.ToString(CultureInfo.InvariantCulture) ?? dto.MerchantCustomerRefId,
            CustomerName = name.Length > 0 ? name : null,
            CreatedAt = dto.CreatedAt ?? billed,
            IssuedAt = billed,
            DueDate = ParseBillingDate(dto.DueDate, "due_date"),
            UpdatedAt = dto.LastUpdatedDate ?? dto.UpdatedAt,
            Description = dto.MerchantLegalName,
            Raw = new RawRecord(raw),
        };
    }
}
