using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace InvoiceTools.Providers;

internal sealed class KitchenInvoiceDto
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("number")]
    public string? Number { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("currency")]
    public string? Currency { get; set; }

    [JsonPropertyName("amount")]
    public decimal? Amount { get; set; }

    [JsonPropertyName("total_amount")]
    public decimal? TotalAmount { get; set; }

    /// <summary>The legacy docs' misspelling of total_amount.</summary>
    [JsonPropertyName("total_mount")]
    public decimal? TotalMount { get; set; }

    [JsonPropertyName("tax_amount")]
    public decimal? TaxAmount { get; set; }

    /// <summary>The legacy docs' misspelling of tax_amount.</summary>
    [JsonPropertyName("tax_mount")]
    public decimal? TaxMount { get; set; }

    [JsonPropertyName("client")]
    public string? Client { get; set; }

    [JsonPropertyName("memo")]
    public string? Memo { get; set; }

    [JsonPropertyName("issue_date")]
    public DateTimeOffset? IssueDate { get; set; }

    [JsonPropertyName("due_date")]
    public DateTimeOffset? DueDate { get; set; }

    [JsonPropertyName("paid_at")]
    public DateTimeOffset? PaidAt { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; set; }

    [JsonPropertyName("items")]
    public List<KitchenItemDto>? Items { get; set; }

    [JsonPropertyName("tax_items")]
    public List<KitchenItemDto>? TaxItems { get; set; }
}

internal sealed class KitchenItemDto
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("title")]
    public string? Title { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("quantity")]
    public string? Quantity { get; set; }

    [JsonPropertyName("amount")]
    public decimal? Amount { get; set; }

    [JsonPropertyName("currency")]
    public string? Currency { get; set; }
}

internal sealed class KitchenLinksDto
{
    [JsonPropertyName("next")]
    public string? Next { get; set; }
}

internal sealed class KitchenMetaDto
{
    [JsonPropertyName("current_page")]
    public int? CurrentPage { get; set; }

    [JsonPropertyName("last_page")]
    public int? LastPage { get; set; }

    [JsonPropertyName("total")]
    public long? Total { get; set; }
}

[JsonSerializable(typeof(KitchenInvoiceDto))]
[JsonSerializable(typeof(KitchenLinksDto))]
[JsonSerializable(typeof(KitchenMetaDto))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class KitchenJsonContext : JsonSerializerContext
{
}
