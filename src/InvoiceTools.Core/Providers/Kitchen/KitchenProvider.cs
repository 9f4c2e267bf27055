using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using InvoiceTools.Paging;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// Kitchen: <c>GET https://{workspace}.kitchen.co/api/invoices</c> with a Bearer key, Laravel length-aware
/// pagination (<c>data</c>, <c>links</c>, <c>meta</c>) followed by <c>links.next</c>, decimal major units.
/// Laravel drops the query string from its next links, so the filters are re-applied to every link followed.
/// </summary>
internal sealed class KitchenProvider : InvoiceProvider
{
    /// <summary>How an invoice is read: as documented, and leniently field by field when it is not (<see cref="LenientJson"/>).</summary>
    private static readonly DtoContract<KitchenInvoiceDto> InvoiceContract = LenientJson.Contract<KitchenInvoiceDto>(KitchenJsonContext.Default);

    /// <summary>The shared instance.</summary>
    public static readonly KitchenProvider Instance = new();

    private static readonly Regex WorkspacePattern = new("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant);

    private static readonly ProviderDescriptor Info = new()
    {
        Kind = InvoiceProviderKind.Kitchen,
        DisplayName = "Kitchen",
        DatesWithoutOffset = "UTC: Laravel timestamps without an offset are read as UTC (Laravel's default zone); a date alone is that day at midnight UTC.",
        DefaultBaseUri = null,
        AuthModes = new[] { "Bearer API key (Authorization: Bearer), with Accept: application/json and X-Requested-With: XMLHttpRequest" },
        Paging = "Laravel length-aware: per_page + links.next, meta.current_page/last_page/total",
        NewestFirst = true,
        MaxPageSize = 100,
        PageSizeSource = "per_page is 1-100, default 20 (Kitchen API documentation)",
        Settings = KitchenSettings.All,
        Filters = new[]
        {
            FilterUse.Server("state", "State"),
            FilterUse.Module("Status"), FilterUse.Module("CreatedAfter"), FilterUse.Module("CreatedBefore"), FilterUse.Module("Customer"), FilterUse.Module("ExternalId"),
        },
        DerivedStatuses = new[] { InvoiceStatus.Overdue },
        StatusMap = new Dictionary<string, InvoiceStatus>(StringComparer.OrdinalIgnoreCase)
        {
            ["draft"] = InvoiceStatus.Draft,
            ["open"] = InvoiceStatus.Open,
            ["paid"] = InvoiceStatus.Paid,
            ["void"] = InvoiceStatus.Void,
            ["uncollectible"] = InvoiceStatus.Uncollectible,
        },
    };

    private static readonly NextLinkPaging LinkPaging = new("per_page");

    /// <inheritdoc />
    public override ProviderDescriptor Descriptor => Info;

    /// <inheritdoc />
    public override PagingStrategy Paging => LinkPaging;

    /// <inheritdoc />
    public override SandboxDefaults SandboxDefaults { get; } = new("kitchen");

    /// <inheritdoc />
    public override Uri? DefaultBaseUriFor(ConnectionOptions options)
    {
        var workspace = options?.Workspace?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(workspace))
        {
            return null;
        }

        if (!WorkspacePattern.IsMatch(workspace!))
        {
            throw new InvoiceConfigurationException(
                $"'{options!.Workspace}' is not a Kitchen workspace name: it is the subdomain of kitchen.co (letters, digits and hyphens).",
                "For https://acme.kitchen.co pass -Workspace acme.")
            { ParameterName = "Workspace", Provider = InvoiceProviderKind.Kitchen };
        }

        return new Uri($"https://{workspace}.kitchen.co");
    }

    /// <inheritdoc />
    public override ProviderConfiguration ConfigureConnection(ConnectionOptions options, SandboxAccount? sandbox)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var hasWorkspace = !string.IsNullOrWhiteSpace(options.Workspace);
        if (sandbox is null && !hasWorkspace && string.IsNullOrWhiteSpace(options.BaseUri))
        {
            throw new InvoiceConfigurationException(
                "Kitchen needs -Workspace (your subdomain of kitchen.co) or -BaseUri.",
                "For https://acme.kitchen.co pass -Workspace acme.")
            { ParameterName = "Workspace", Provider = InvoiceProviderKind.Kitchen };
        }

        if (hasWorkspace && !string.IsNullOrWhiteSpace(options.BaseUri))
        {
            throw new InvoiceConfigurationException("Give -Workspace or -BaseUri, not both.", "Use -Workspace for https://{workspace}.kitchen.co, or -BaseUri for any other address.")
            { ParameterName = "Workspace", Provider = InvoiceProviderKind.Kitchen };
        }

        if (hasWorkspace)
        {
            _ = DefaultBaseUriFor(options);
            return new KitchenConfiguration(options.Workspace!.Trim().ToLowerInvariant());
        }

        return new KitchenConfiguration(sandbox?.Settings["Workspace"]);
    }

    /// <inheritdoc />
    public override string? AccountLabel(ConnectionOptions options) => Given(options?.Workspace);

    /// <inheritdoc />
    public override Uri ListEndpoint(IProviderConnection connection)
    {
        return Endpoint(connection, "/api/invoices");
    }

    /// <inheritdoc />
    public override Uri ItemEndpoint(IProviderConnection connection, string id) => Endpoint(connection, $"/api/invoices/{Uri.EscapeDataString(id)}");

    /// <inheritdoc />
    public override Invoice ParseItem(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {
        var now = (connection ?? throw new ArgumentNullException(nameof(connection))).Now;
        return JsonItems.ReadSingle(body, InvoiceContract, (dto, raw) => Map(dto, raw, now), "data");
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
    public override void PrepareRequest(HttpRequestMessage request, IProviderConnection connection)
    {
        base.PrepareRequest(request, connection);

        // Without it, Laravel answers an auth failure with a redirect to a login page instead of JSON.
        request!.Headers.TryAddWithoutValidation("X-Requested-With", "XMLHttpRequest");
    }

    /// <inheritdoc />
    public override InvoicePage ParsePage(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {

        var now = (connection ?? throw new ArgumentNullException(nameof(connection))).Now;
        var reader = LenientJson.Reader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON object with 'data', 'links' and 'meta'");
        }

        FieldReadLog? fieldReads = null;
        IReadOnlyList<Invoice> items = Array.Empty<Invoice>();
        string? next = null;
        int? current = null;
        int? last = null;
        long? total = null;
        var sawData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                sawData = true;
                fieldReads = JsonItems.ReadArray(ref reader, body, InvoiceContract, (dto, raw) => Map(dto, raw, now), out items);
            }
            else if (reader.ValueTextEquals("links"u8))
            {
                reader.Read();
                var links = JsonSerializer.Deserialize(ref reader, KitchenJsonContext.Default.KitchenLinksDto);
                next = links?.Next;
            }
            else if (reader.ValueTextEquals("meta"u8))
            {
                reader.Read();
                var meta = JsonSerializer.Deserialize(ref reader, KitchenJsonContext.Default.KitchenMetaDto);
                current = meta?.CurrentPage;
                last = meta?.LastPage;
                total = meta?.Total;
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

        return new InvoicePage(items) { FieldReads = fieldReads, NextLink = next, CurrentPage = current, LastPage = last, TotalCount = total };
    }

    /// <inheritdoc />
    protected override void PlanFilters(InvoiceQuery query, QueryPlan plan, IProviderConnection connection)
    {
        if (query is null || plan is null)
        {
            throw new ArgumentNullException(query is null ? nameof(query) : nameof(plan));
        }

        if (query.State is KitchenState state)
        {
            var word = state.ToString().ToLowerInvariant();
            plan.AddServerFilter("state", word, $"state={word}");
        }
        else
        {
            plan.AddNote("Kitchen lists only active (not archived) invoices unless -State All or Archived is given");
        }

        if (query.Statuses.Count > 0)
        {
            _ = ProviderStatusesFor(query.Statuses.Where(s => s != InvoiceStatus.Overdue).DefaultIfEmpty(InvoiceStatus.Open).ToList(), plan);
        }

        AddClientStatusFilter(query.Statuses, plan);
        AddClientCreatedFilter(query.CreatedAfter, query.CreatedBefore, plan);
        AddClientCustomerFilter(query.Customer, plan);
        AddClientExternalIdFilter(query.ExternalId, plan);
    }

    private static Invoice Map(KitchenInvoiceDto dto, byte[] raw, DateTimeOffset now)
    {
        var id = dto.Id ?? string.Empty;
        var currency = dto.Currency?.ToUpperInvariant();
        var status = Info.MapStatus(dto.Status);
        if (status == InvoiceStatus.Open && dto.DueDate is DateTimeOffset due && due < now)
        {
            // Kitchen has no overdue status: an open invoice past its due date is overdue (ProviderStatus stays "open").
            status = InvoiceStatus.Overdue;
        }

        var total = dto.TotalAmount ?? dto.TotalMount;
        var tax = dto.TaxAmount ?? dto.TaxMount ?? dto.TaxItems?.Sum(t => t.Amount ?? 0m);
        var lines = dto.Items?.Select(item =>
        {
            var quantity = decimal.TryParse(item.Quantity, NumberStyles.Number, CultureInfo.InvariantCulture, out var q) ? q : (decimal?)null;
            return new InvoiceLineItem
            {
                Provider = nameof(InvoiceProviderKind.Kitchen),
                InvoiceId = id,
                InvoiceNumber = dto.Number,
                Id = item.Id,
                Name = item.Title,
                Description = item.Description,
                Quantity = quantity,
                Amount = item.Amount,
                UnitPrice = item.Amount is decimal a && quantity is decimal n && n != 0 ? Math.Round(a / n, 4) : null,
                Currency = item.Currency?.ToUpperInvariant() ?? currency,
            };
        }).ToList();
        return new Invoice
        {
            Provider = nameof(InvoiceProviderKind.Kitchen),
            Id = id,
            Number = dto.Number,
            Status = status,
            ProviderStatus = dto.Status,
            Currency = currency,
            Subtotal = dto.Amount,
            Tax = tax,
            Total = total,
            AmountDue = status switch
            {
                InvoiceStatus.Open or InvoiceStatus.Overdue => total,
                InvoiceStatus.Paid or InvoiceStatus.Void or InvoiceStatus.Uncollectible => 0m,
                _ => null,
            },
            CustomerId = dto.Client,
            CreatedAt = dto.CreatedAt?.ToUniversalTime(),
            IssuedAt = dto.IssueDate?.ToUniversalTime(),
            DueDate = dto.DueDate?.ToUniversalTime(),
            PaidAt = dto.PaidAt?.ToUniversalTime(),
            UpdatedAt = dto.UpdatedAt?.ToUniversalTime(),
            Description = dto.Memo,
            LineItems = lines is null ? InvoiceLineItemCollection.Empty : new InvoiceLineItemCollection(lines),
            Raw = new RawRecord(raw),
        };
    }
}
