using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InvoiceTools.Providers;

internal sealed class OpteriusInvoiceDto
{
    [JsonPropertyName("id")]
    public JsonElement Id { get; set; }

    [JsonPropertyName("invoice_number")]
    public string? InvoiceNumber { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("subtotal")]
    public decimal? Subtotal { get; set; }

    [JsonPropertyName("tax_amount")]
    public decimal? TaxAmount { get; set; }

    [JsonPropertyName("total")]
    public decimal? Total { get; set; }

    [JsonPropertyName("amount_due")]
    public decimal? AmountDue { get; set; }

    [JsonPropertyName("currency_code")]
    public string? CurrencyCode { get; set; }

    [JsonPropertyName("currency")]
    public string? Currency { get; set; }

    [JsonPropertyName("due_date")]
    public DateTimeOffset? DueDate { get; set; }

    [JsonPropertyName("paid_at")]
    public DateTimeOffset? PaidAt { get; set; }

    [JsonPropertyName("paid_date")]
    public DateTimeOffset? PaidDate { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }
}

internal sealed class OpteriusMetaDto
{
    [JsonPropertyName("current_page")]
    public int? CurrentPage { get; set; }

    [JsonPropertyName("last_page")]
    public int? LastPage { get; set; }

    [JsonPropertyName("total")]
    public long? Total { get; set; }
}

[JsonSerializable(typeof(OpteriusInvoiceDto))]
[JsonSerializable(typeof(OpteriusMetaDto))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class OpteriusJsonContext : JsonSerializerContext
{
}
