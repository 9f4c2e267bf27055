using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using InvoiceTools.Paging;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// Revere Payments: <c>GET {base}/api/v1/groups/{group_id}/invoices</c>, the key in a bare <c>Authorization</c>
/// header, limit/offset paging with <c>total_count</c>, integer cents, and no currency field (USD unless the
/// connection says otherwise).
/// </summary>
internal sealed class RevereProvider : InvoiceProvider
{
    /// <summary>How an invoice is read: as documented, and leniently field by field when it is not (<see cref="LenientJson"/>).</summary>
    private static readonly DtoContract<RevereInvoiceDto> InvoiceContract = LenientJson.Contract<RevereInvoiceDto>(RevereJsonContext.Default);

    /// <summary>The shared instance.</summary>
    public static readonly RevereProvider Instance = new();

    private static readonly ProviderDescriptor Info = new()
    {
        Kind = InvoiceProviderKind.Revere,
        DisplayName = "Revere Payments",
        DatesWithoutOffset = "UTC: Revere writes times with Z; one without an offset is read as UTC, and a date alone as that day at midnight UTC (Revere documents no other zone).",
        DefaultBaseUri = new Uri("https://api.reverepayments.dev"),
        AuthModes = new[] { "API key in the Authorization header (View Invoices or Manage Invoices permission)" },
        Paging = "limit/offset, total_count",
        MaxPageSize = 1000,
        PageSizeSource = "Revere documents no maximum; the module asks for 1000 and follows whatever page size the server answers with",
        Settings = RevereSettings.All,
        Filters = new[]
        {
            FilterUse.Server("statuses", "Status"), FilterUse.Server("start", "CreatedAfter"), FilterUse.Server("end", "CreatedBefore"), FilterUse.Server("partner_name", "Customer"),
            FilterUse.Module("ExternalId"),
        },
        StatusMap = new Dictionary<string, InvoiceStatus>(StringComparer.OrdinalIgnoreCase)
        {
            ["pending"] = InvoiceStatus.Open,
            ["past_due"] = InvoiceStatus.Overdue,
            ["paid"] = InvoiceStatus.Paid,
            ["archived"] = InvoiceStatus.Void,
        },
    };

    private static readonly OffsetLimitPaging OffsetPaging = new("limit", "offset");

    /// <inheritdoc />
    public override ProviderDescriptor Descriptor => Info;

    /// <inheritdoc />
    public override PagingStrategy Paging => OffsetPaging;

    /// <inheritdoc />
    public override SandboxDefaults SandboxDefaults { get; } = new("revere");

    /// <inheritdoc />
    public override ProviderConfiguration ConfigureConnection(ConnectionOptions options, SandboxAccount? sandbox)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        string groupId;
        if (string.IsNullOrWhiteSpace(options.GroupId))
        {
            if (sandbox is null)
            {
                throw new InvoiceConfigurationException(
                    "Revere Payments needs -GroupId: the id (a UUID) of the group whose invoices to list.",
                    "Find the group id in the Revere dashboard, then pass -GroupId <uuid>.")
                { ParameterName = "GroupId", Provider = InvoiceProviderKind.Revere };
            }

            groupId = sandbox.Settings["GroupId"];
        }
        else if (Guid.TryParse(options.GroupId, out var group))
        {
            groupId = group.ToString();
        }
        else
        {
            throw new InvoiceConfigurationException(
                $"'{options.GroupId}' is not a valid Revere group id; it must be a UUID such as 8059f5c6-e1cd-4e46-9196-1d7e47401a3e.",
                "Copy the group id from the Revere dashboard.")
            { ParameterName = "GroupId", Provider = InvoiceProviderKind.Revere };
        }

        return new RevereConfiguration(groupId, Given(options.Currency)?.ToUpperInvariant() ?? "USD");
    }

    /// <inheritdoc />
    public override string? AccountLabel(ConnectionOptions options) => First8(Given(options?.GroupId));

    private static RevereConfiguration Of(IProviderConnection connection) => (RevereConfiguration)(connection ?? throw new ArgumentNullException(nameof(connection))).Configuration;

    /// <inheritdoc />
    public override Uri ListEndpoint(IProviderConnection connection)
    {
        return Endpoint(connection, $"/api/v1/groups/{Uri.EscapeDataString(Of(connection).GroupId)}/invoices");
    }

    /// <inheritdoc />
    public override Uri ItemEndpoint(IProviderConnection connection, string id) =>
        new($"{ListEndpoint(connection).AbsoluteUri}/{Uri.EscapeDataString(id)}");

    /// <inheritdoc />
    public override Invoice ParseItem(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {
        var currency = Of(connection).Currency;
        return JsonItems.ReadSingle(body, InvoiceContract, (dto, raw) => Map(dto, raw, currency), null);
    }

    /// <inheritdoc />
    public override void ApplyCredentials(HttpRequestMessage request, string secret, ProviderConfiguration configuration)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        // Revere takes the bare key, with no scheme word.
        request.Headers.TryAddWithoutValidation("Authorization", secret);
    }

    /// <inheritdoc />
    public override InvoicePage ParsePage(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {
        var currency = Of(connection).Currency;
        var reader = LenientJson.Reader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON object with 'items' and 'total_count'");
        }

        FieldReadLog? fieldReads = null;
        IReadOnlyList<Invoice> items = Array.Empty<Invoice>();
        long? total = null;
        var sawItems = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    sawItems = true;
                    continue;
                }

                sawItems = true;
                fieldReads = JsonItems.ReadArray(ref reader, body, InvoiceContract, (dto, raw) => Map(dto, raw, currency), out items);
            }
            else if (reader.ValueTextEquals("total_count"u8))
            {
                reader.Read();
                total = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!sawItems)
        {
            throw new JsonException("the object has no 'items' array");
        }

        return new InvoicePage(items) { FieldReads = fieldReads, TotalCount = total };
    }

    /// <inheritdoc />
    protected override void PlanFilters(InvoiceQuery query, QueryPlan plan, IProviderConnection connection)
    {
        if (query is null || plan is null)
        {
            throw new ArgumentNullException(query is null ? nameof(query) : nameof(plan));
        }

        if (query.Statuses.Count > 0)
        {
            if (ProviderStatusesFor(query.Statuses, plan) is { } statusWords)
            {
                var words = string.Join(",", statusWords);
                plan.AddServerFilter("statuses", words, $"statuses={words}");
            }
            else
            {
                AddClientStatusFilter(query.Statuses, plan);
            }
        }

        if (query.CreatedAfter is DateTimeOffset after)
        {
            plan.AddServerFilter("start", Iso(after), $"start={Iso(after)}");
        }

        if (query.CreatedBefore is DateTimeOffset before)
        {
            plan.AddServerFilter("end", Iso(before), $"end={Iso(before)}");
        }

        if (!string.IsNullOrWhiteSpace(query.Customer))
        {
            // partner_name searches substrings; a wildcard goes to the server as its longest plain part and is matched here.
            var customer = query.Customer!.Trim();
            var search = IsWildcard(customer) ? LongestLiteral(customer) : customer;
            if (search.Length > 0)
            {
                plan.AddServerFilter("partner_name", search, $"partner_name={search}");
            }

            if (IsWildcard(customer))
            {
                AddClientCustomerFilter(customer, plan);
            }
        }

        AddClientExternalIdFilter(query.ExternalId, plan);
    }

    private static Invoice Map(RevereInvoiceDto dto, byte[] raw, string currency)
    {
        var status = Info.MapStatus(dto.Status);
        var total = dto.Amount is decimal cents ? Currency.ToMajorUnits(cents, currency) : (decimal?)null;
        var id = dto.Id ?? string.Empty;
        var lines = dto.Products?.Select(p => new InvoiceLineItem
        {
            Provider = nameof(InvoiceProviderKind.Revere),
            InvoiceId = id,
            InvoiceNumber = dto.InvoiceNumber,
            Id = p.Id,
            Name = p.Name,
            Description = string.IsNullOrEmpty(p.Description) ? null : p.Description,
            Quantity = p.Quantity,
            Unit = p.UnitOfMeasure,
            UnitPrice = p.Amount is decimal unit ? Currency.ToMajorUnits(unit, currency) : null,
            Amount = p.Amount is decimal a && p.Quantity is decimal q ? Currency.ToMajorUnits(a * q, currency) : null,
            Tax = p.IncludedTaxAmount is decimal t && p.Quantity is decimal tq ? Currency.ToMajorUnits(t * tq, currency) : null,
            Currency = currency,
        }).ToList();
        decimal? tax = lines is null || lines.Any(l => l.Tax is null) ? null : lines.Sum(l => l.Tax!.Value);
        var partner = dto.Partner;
        var person = partner is null ? null : $"{partner.FirstName} {partner.LastName}".Trim();
        return new Invoice
        {
            Provider = nameof(InvoiceProviderKind.Revere),
            Id = id,
            Number = dto.InvoiceNumber,
            Status = status,
            ProviderStatus = dto.Status,
            Currency = currency,
            Total = total,
            Tax = tax,
            Subtotal = total is decimal tt && tax is decimal tx ? tt - tx : null,
            AmountDue = status switch
            {
                InvoiceStatus.Paid or InvoiceStatus.Void => 0m,
                InvoiceStatus.Open or InvoiceStatus.Overdue => total,
                _ => null,
            },
            CustomerId = partner?.Id,
            CustomerName = string.IsNullOrWhiteSpace(partner?.Company) ? (string.IsNullOrEmpty(person) ? null : person) : partner!.Company,
            CustomerEmail = string.IsNullOrEmpty(partner?.Email) ? null : partner!.Email,
            CreatedAt = dto.CreatedAt?.ToUniversalTime(),
            UpdatedAt = dto.UpdatedAt?.ToUniversalTime(),
            DueDate = dto.DueDate?.ToUniversalTime(),
            ExternalId = string.IsNullOrEmpty(dto.ExternalId) ? null : dto.ExternalId,
            LineItems = lines is null ? InvoiceLineItemCollection.Empty : new InvoiceLineItemCollection(lines),
            Raw = new RawRecord(raw),
        };
    }
}
