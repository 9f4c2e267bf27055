using System;
using System.Text.Json.Serialization;

namespace InvoiceTools.Providers;

internal sealed class Revolv3InvoiceDto
{
    [JsonPropertyName("invoiceId")]
    public long? InvoiceId { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("customerId")]
    public long? CustomerId { get; set; }

    [JsonPropertyName("merchantInvoiceRefId")]
    public string? MerchantInvoiceRefId { get; set; }

    [JsonPropertyName("merchantCustomerRefId")]
    public string? MerchantCustomerRefId { get; set; }

    [JsonPropertyName("invoiceStatus")]
    public string? InvoiceStatus { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("subtotal")]
    public decimal? Subtotal { get; set; }

    [JsonPropertyName("tax")]
    public decimal? Tax { get; set; }

    [JsonPropertyName("total")]
    public decimal? Total { get; set; }

    [JsonPropertyName("amount")]
    public decimal? Amount { get; set; }

    [JsonPropertyName("currency")]
    public string? Currency { get; set; }

    [JsonPropertyName("billingDate")]
    public string? BillingDate { get; set; }

    [JsonPropertyName("issue_date")]
    public string? IssueDate { get; set; }

    [JsonPropertyName("due_date")]
    public string? DueDate { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; set; }

    [JsonPropertyName("lastUpdatedDate")]
    public DateTimeOffset? LastUpdatedDate { get; set; }

    [JsonPropertyName("merchantLegalName")]
    public string? MerchantLegalName { get; set; }

    [JsonPropertyName("customerFirstName")]
    public string? CustomerFirstName { get; set; }

    [JsonPropertyName("customerLastName")]
    public string? CustomerLastName { get; set; }
}

[JsonSerializable(typeof(Revolv3InvoiceDto))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class Revolv3JsonContext : JsonSerializerContext
{
}
