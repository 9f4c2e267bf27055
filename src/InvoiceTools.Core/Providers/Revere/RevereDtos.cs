using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace InvoiceTools.Providers;

internal sealed class RevereInvoiceDto
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("invoice_number")]
    public string? InvoiceNumber { get; set; }

    [JsonPropertyName("external_id")]
    public string? ExternalId { get; set; }

    [JsonPropertyName("due_date")]
    public DateTimeOffset? DueDate { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("amount")]
    public decimal? Amount { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; set; }

    [JsonPropertyName("partner")]
    public ReverePartnerDto? Partner { get; set; }

    [JsonPropertyName("products")]
    public List<RevereProductDto>? Products { get; set; }
}

internal sealed class ReverePartnerDto
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("company")]
    public string? Company { get; set; }

    [JsonPropertyName("first_name")]
    public string? FirstName { get; set; }

    [JsonPropertyName("last_name")]
    public string? LastName { get; set; }

    [JsonPropertyName("email")]
    public string? Email { get; set; }
}

internal sealed class RevereProductDto
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("amount")]
    public decimal? Amount { get; set; }

    [JsonPropertyName("included_tax_amount")]
    public decimal? IncludedTaxAmount { get; set; }

    [JsonPropertyName("unit_of_measure")]
    public string? UnitOfMeasure { get; set; }

    [JsonPropertyName("quantity")]
    public decimal? Quantity { get; set; }
}

[JsonSerializable(typeof(RevereInvoiceDto))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
internal sealed partial class RevereJsonContext : JsonSerializerContext
{
}
