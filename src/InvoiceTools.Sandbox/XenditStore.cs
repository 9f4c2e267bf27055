using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace InvoiceTools.Sandbox;

/// <summary>The Xendit account both emulated routes read: deterministic invoices in six currencies, newest first.</summary>
internal sealed class XenditStore
{
    private static readonly (string Code, decimal Min, decimal Max, decimal Step)[] Currencies =
    {
        ("IDR", 50_000m, 25_000_000m, 500m), ("USD", 5m, 2_500m, 0.01m), ("THB", 100m, 50_000m, 0.01m),
        ("VND", 100_000m, 50_000_000m, 1000m), ("PHP", 200m, 100_000m, 0.01m), ("MYR", 20m, 10_000m, 0.01m),
    };

    private static readonly (string Method, string Channel)[] Payments =
    {
        ("BANK_TRANSFER", "BCA"), ("BANK_TRANSFER", "MANDIRI"), ("BANK_TRANSFER", "BNI"), ("EWALLET", "OVO"), ("EWALLET", "DANA"),
        ("CREDIT_CARD", "CREDIT_CARD"), ("RETAIL_OUTLET", "ALFAMART"), ("QR_CODE", "QRIS"), ("DIRECT_DEBIT", "DD_BRI"),
    };

    private static readonly string[] ClientTypes = { "API_GATEWAY", "DASHBOARD", "INTEGRATION", "ON_DEMAND", "RECURRING", "MOBILE" };

    private readonly SampleData _extra;
    private readonly DateTimeOffset _today;
    private int _sequence;

    public XenditStore(SandboxOptions options)
    {
        var data = new SampleData(options.Seed + 5);
        _today = options.Today;
        var start = options.Moved(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var spacing = (_today - start).Ticks / Math.Max(1, options.XenditInvoiceCount);
        Invoices = Enumerable.Range(1, options.XenditInvoiceCount).Select(n => Generate(data, n, start.AddTicks(spacing * (n - 1)), _today)).ToList();
        Invoices.Sort((a, b) => b.Created != a.Created ? b.Created.CompareTo(a.Created) : string.CompareOrdinal(a.Id, b.Id));
        _extra = new SampleData(options.Seed + 6);
        _sequence = options.XenditInvoiceCount;
    }

    public IReadOnlyList<string> AddNewest(int count)
    {
        var added = new List<string>();
        for (var k = 0; k < count; k++)
        {
            var record = Generate(_extra, ++_sequence, (Invoices.Count == 0 ? _today : Invoices[0].Created).AddHours(2), _today);
            Invoices.Insert(0, record);
            added.Add(record.Id);
        }

        return added;
    }

    public IReadOnlyList<string> RemoveNewest(int count) => SandboxApi.RemoveFirst(Invoices, count, i => i.Id);

    public List<XenditRecord> Invoices { get; }

    public bool StuckCursor { get; set; }

    public static void Write(Utf8JsonWriter w, XenditRecord i)
    {
        w.WriteStartObject();
        w.WriteString("id", i.Id);
        w.WriteString("external_id", i.ExternalId);
        w.WriteString("user_id", "5f6b7c8d9e0a1b2c3d4e5f60");
        w.WriteString("status", i.Status);
        w.WriteString("merchant_name", "Sandbox Merchant");
        w.WriteString("merchant_profile_picture_url", "https://sandbox.invoicetools.invalid/merchant.png");
        w.WriteNumber("amount", i.Amount);
        w.WriteString("payer_email", i.Customer.Email);
        w.WriteString("description", i.Description);
        w.WriteString("invoice_url", "https://checkout-staging.xendit.co/web/" + i.Id);
        w.WriteString("expiry_date", Iso(i.ExpiryDate));
        w.WriteBoolean("should_send_email", false);
        w.WriteString("locale", "en");
        w.WriteString("currency", i.Currency);
        w.WriteString("created", Iso(i.Created));
        w.WriteString("updated", Iso(i.Updated));
        if (i.PaidAt is { } paidAt)
        {
            w.WriteString("paid_at", Iso(paidAt));
            w.WriteNumber("paid_amount", i.Amount);
            w.WriteString("payment_method", i.PaymentMethod);
            w.WriteString("payment_channel", i.PaymentChannel);
            w.WriteString("payment_destination", "8808" + i.Id.Substring(i.Id.Length - 8));
        }

        w.WriteStartObject("customer");
        w.WriteString("id", "cust-" + i.Customer.Index.ToString("D4", CultureInfo.InvariantCulture));
        w.WriteString("given_names", i.Customer.FirstName);
        w.WriteString("surname", i.Customer.LastName);
        w.WriteString("email", i.Customer.Email);
        w.WriteString("mobile_number", "+62812" + (1000000 + (i.Customer.Index * 7919)).ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteStartArray("items");
        foreach (var item in i.Items)
        {
            w.WriteStartObject();
            w.WriteString("name", item.Name);
            w.WriteNumber("quantity", item.Quantity);
            w.WriteNumber("price", item.Price);
            w.WriteString("category", item.Category);
            w.WriteString("reference_id", item.ReferenceId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("fees");
        foreach (var fee in i.Fees)
        {
            w.WriteStartObject();
            w.WriteString("type", fee.Type);
            w.WriteNumber("value", fee.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("metadata");
        w.WriteString("store_branch", i.Customer.City);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static XenditRecord Generate(SampleData data, int n, DateTimeOffset created, DateTimeOffset today)
    {
        created = created.AddSeconds(data.Next(0, 3600));
        var (code, min, max, step) = Currencies[data.Next(Currencies.Length)];
        var customer = SampleData.Customer(data.Next(SampleData.CustomerCount));
        var itemCount = data.Next(1, 4);
        var items = new List<XenditItem>();
        for (var k = 0; k < itemCount; k++)
        {
            var price = Math.Round((min + ((max - min) * (decimal)data.NextDouble() / itemCount)) / step) * step;
            items.Add(new XenditItem("Item " + (k + 1).ToString(CultureInfo.InvariantCulture) + " for order " + n.ToString(CultureInfo.InvariantCulture), data.Next(1, 4), price, k == 0 ? "Goods" : "Services", "SKU-" + data.Next(1000, 9999).ToString(CultureInfo.InvariantCulture)));
        }

        var amount = items.Sum(i => i.Price * i.Quantity);
        var expiry = created.AddDays(new[] { 1, 3, 7, 14 }[data.Next(4)]);
        var roll = data.NextDouble();
        string status;
        DateTimeOffset? paidAt = null;
        if (roll < 0.65)
        {
            paidAt = SandboxApi.Earlier(created.AddHours(data.Next(1, 48)), today);
            status = paidAt < today.AddDays(-2) && roll < 0.45 ? "SETTLED" : "PAID";
        }
        else
        {
            status = expiry < today ? "EXPIRED" : "PENDING";
        }

        var payment = Payments[data.Next(Payments.Length)];
        var clientType = ClientTypes[data.Next(ClientTypes.Length)];
        var id = "inv_" + data.NextGuid().ToString("N").Substring(0, 24);
        return new XenditRecord
        {
            Id = id,
            ExternalId = "order-" + n.ToString("D5", CultureInfo.InvariantCulture),
            Status = status,
            Amount = amount,
            Currency = code,
            Description = "Order " + n.ToString(CultureInfo.InvariantCulture) + " for " + customer.Company,
            Created = created,
            Updated = paidAt ?? created,
            ExpiryDate = expiry,
            PaidAt = paidAt,
            PaymentMethod = paidAt is null ? null : payment.Method,
            PaymentChannel = paidAt is null ? null : payment.Channel,
            ClientType = clientType,
            RecurringPaymentId = clientType == "RECURRING" ? "rp_" + (n % 7).ToString(CultureInfo.InvariantCulture) : null,
            OnDemandLink = clientType == "ON_DEMAND" ? "od-link-" + (n % 5).ToString(CultureInfo.InvariantCulture) : null,
            Customer = customer,
            Items = items,
            Fees = amount > 0 && n % 4 == 0 ? new List<XenditFee> { new("ADMIN", Math.Round(amount * 0.01m / step) * step) } : new List<XenditFee>(),
        };
    }
}

internal sealed class XenditRecord
{
    public string Id { get; set; } = string.Empty;

    public string ExternalId { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public decimal Amount { get; set; }

    public string Currency { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Updated { get; set; }

    public DateTimeOffset ExpiryDate { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    public string? PaymentMethod { get; set; }

    public string? PaymentChannel { get; set; }

    public string ClientType { get; set; } = string.Empty;

    public string? RecurringPaymentId { get; set; }

    public string? OnDemandLink { get; set; }

    public SampleCustomer Customer { get; set; } = null!;

    public List<XenditItem> Items { get; set; } = new();

    public List<XenditFee> Fees { get; set; } = new();
}

internal sealed record XenditItem(string Name, int Quantity, decimal Price, string Category, string ReferenceId);

internal sealed record XenditFee(string Type, decimal Value);
