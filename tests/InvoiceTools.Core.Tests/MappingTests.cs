using System;
using System.Linq;
using System.Text;
using InvoiceTools.Connections;
using InvoiceTools.Providers;
using InvoiceTools.Requests;

namespace InvoiceTools.Tests;

public sealed class MappingTests
{
    // The success response from the Revere excerpt (shared/seeds/A-revere-payments.txt), trimmed to its first invoice.
    private const string SeedPage = """
        {"items":[{"id":"7e44c370-078e-4fa3-9909-bdd8554eb068","invoice_number":"MY-2025-002-INV","group_id":"8059f5c6-e1cd-4e46-9196-1d7e47401a3e",
        "slug":"8059f5c6-e1cd-4e46-9196-1d7e47401a3e/MY-2025-002-INV","invoice_number_numeric":"002","year":"2025","note":"Thank you for your purchase!",
        "external_id":"48a0f2dc-e7f1-42bb-a237-128990fa69e","due_date":"2025-12-18T00:00:00Z","send_email":false,"processor_id":"fbf2e44a-eed6-426f-b0e2-a3a5b34377c0",
        "card_enabled":true,"ach_enabled":true,
        "partner":{"id":"8d7fbc56-b2e1-4e33-8d52-e93bb9a91ab7","group_id":"8059f5c6-e1cd-4e46-9196-1d7e47401a3e","company":"Dan The Man Co.","first_name":"Dan","last_name":"Humphrey","email":"test@example.com","line_1":"E 123 22","line_2":"","city":"Brooklyn","country":"US","subdivision":"NY","postal_code":"11001","created_at":"2025-10-09T10:07:00.597584Z","updated_at":"2025-10-09T10:07:00.597584Z"},
        "products":[
        {"id":"0594c1c0-32b2-4d11-866c-29cb5c33f6fc","product_id":"4d685310-210f-4a62-924e-88d2bcc97783","name":"French fries","description":"","amount":500,"included_tax_amount":0,"unit_of_measure":"pc","quantity":4,"created_at":"2025-11-18T14:27:10.687571Z","updated_at":"2025-11-18T14:27:10.687571Z"},
        {"id":"16340baa-d8d6-4e85-a745-ef95f38dd7dd","product_id":"2237b93b-b27a-4d44-a474-78b83446f051","name":"Hamburger","description":"","amount":1200,"included_tax_amount":0,"unit_of_measure":"pc","quantity":1,"created_at":"2025-11-18T14:27:10.690051Z","updated_at":"2025-11-18T14:27:10.690051Z"},
        {"id":"5862120f-ea3c-46c2-8deb-aeb2d8ff31e0","product_id":"0f3385f6-f522-402c-ad5d-0dc1bd04eb3f","name":"Sandwich","description":"","amount":1000,"included_tax_amount":20,"unit_of_measure":"pc","quantity":1,"created_at":"2025-11-18T14:27:10.695221Z","updated_at":"2025-11-18T14:27:10.695221Z"},
        {"id":"60f1dbdd-a17f-426b-9751-b6686f97a8fe","product_id":"03e67641-d83a-461e-bfce-660386a6fbbc","name":"Tea","description":"","amount":300,"included_tax_amount":0,"unit_of_measure":"pc","quantity":5,"created_at":"2025-11-18T14:27:10.697749Z","updated_at":"2025-11-18T14:27:10.697749Z"},
        {"id":"71169f53-ffae-4457-a0a8-cfdb0910dd58","product_id":"3c35ec5c-843d-46a5-aba9-0180b0ad451d","name":"Steak","description":"","amount":5000,"included_tax_amount":200,"unit_of_measure":"pc","quantity":2,"created_at":"2025-11-18T14:27:10.684703Z","updated_at":"2025-11-18T14:27:10.684703Z"},
        {"id":"ae0cdb74-9310-40b7-8f86-4917d03ba46d","product_id":"e4f73d6e-e132-4d74-97ac-80ff4803c4c3","name":"Hot-Dog","description":"","amount":700,"included_tax_amount":0,"unit_of_measure":"pc","quantity":1,"created_at":"2025-11-18T14:27:10.692559Z","updated_at":"2025-11-18T14:27:10.692559Z"}],
        "amount":16400,"status":"pending","created_at":"2025-11-18T14:27:10.661796Z","updated_at":"2025-11-18T14:27:10.661796Z"}],"total_count":2}
        """;

    private static InvoiceProviderConnection SandboxConnection(string? currency = null) =>
        InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Currency = currency });

    [Fact]
    public void Revere_excerpt_invoice_maps_every_field()
    {
        using var connection = SandboxConnection();
        var page = RevereProvider.Instance.ParsePage(Encoding.UTF8.GetBytes(SeedPage), connection);

        Assert.Equal(2, page.TotalCount);
        var invoice = Assert.Single(page.Items);
        Assert.Equal("Revere", invoice.Provider);
        Assert.Equal("7e44c370-078e-4fa3-9909-bdd8554eb068", invoice.Id);
        Assert.Equal("MY-2025-002-INV", invoice.Number);
        Assert.Equal(InvoiceStatus.Open, invoice.Status);
        Assert.Equal("pending", invoice.ProviderStatus);
        Assert.Equal("USD", invoice.Currency);
        Assert.Equal(164.00m, invoice.Total);
        Assert.Equal(4.20m, invoice.Tax);
        Assert.Equal(159.80m, invoice.Subtotal);
        Assert.Equal(164.00m, invoice.AmountDue);
        Assert.Equal("8d7fbc56-b2e1-4e33-8d52-e93bb9a91ab7", invoice.CustomerId);
        Assert.Equal("Dan The Man Co.", invoice.CustomerName);
        Assert.Equal("test@example.com", invoice.CustomerEmail);
        Assert.Equal(new DateTimeOffset(2025, 12, 18, 0, 0, 0, TimeSpan.Zero), invoice.DueDate);
        Assert.Equal(new DateTimeOffset(2025, 11, 18, 14, 27, 10, TimeSpan.Zero).AddTicks(6617960), invoice.CreatedAt);
        Assert.Equal(TimeSpan.Zero, invoice.CreatedAt!.Value.Offset);
        Assert.Null(invoice.PaidAt);
        Assert.Null(invoice.IssuedAt);
        Assert.Equal("48a0f2dc-e7f1-42bb-a237-128990fa69e", invoice.ExternalId);
        Assert.Equal("6 items", invoice.LineItems.ToString());
        var steak = invoice.LineItems.Single(l => l.Name == "Steak");
        Assert.Equal(2m, steak.Quantity);
        Assert.Equal(50.00m, steak.UnitPrice);
        Assert.Equal(100.00m, steak.Amount);
        Assert.Equal(4.00m, steak.Tax);
        Assert.Equal("pc", steak.Unit);
        Assert.Equal("MY-2025-002-INV", steak.InvoiceNumber);
        Assert.Equal(invoice.Id, steak.InvoiceId);
        Assert.Equal(invoice.Total, invoice.LineItems.Sum(l => l.Amount));
    }

    [Fact]
    public void Raw_record_is_the_exact_item_and_opens_like_a_hashtable()
    {
        using var connection = SandboxConnection();
        var invoice = RevereProvider.Instance.ParsePage(Encoding.UTF8.GetBytes(SeedPage), connection).Items[0];

        Assert.StartsWith("{\"id\":\"7e44c370", invoice.Raw.ToJson(), StringComparison.Ordinal);
        Assert.EndsWith("\"updated_at\":\"2025-11-18T14:27:10.661796Z\"}", invoice.Raw.ToJson(), StringComparison.Ordinal);
        Assert.Equal("19 fields", invoice.Raw.ToString());
        Assert.Equal(16400L, invoice.Raw["amount"]);
        Assert.Equal("MY-2025-002-INV", invoice.Raw["INVOICE_NUMBER"]);
        var partner = Assert.IsType<RawRecord>(invoice.Raw["partner"]);
        Assert.Equal("Brooklyn", partner["city"]);
        var products = Assert.IsType<object?[]>(invoice.Raw["products"]);
        Assert.Equal(6, products.Length);
        Assert.Equal(false, invoice.Raw["send_email"]);
        Assert.Null(invoice.Raw["no_such_field"]);
        Assert.Throws<NotSupportedException>(() => invoice.Raw["amount"] = 1);
    }

    [Theory]
    [InlineData("pending", InvoiceStatus.Open, 164.00)]
    [InlineData("past_due", InvoiceStatus.Overdue, 164.00)]
    [InlineData("paid", InvoiceStatus.Paid, 0.0)]
    [InlineData("archived", InvoiceStatus.Void, 0.0)]
    [InlineData("PAID", InvoiceStatus.Paid, 0.0)]
    [InlineData("refunded_someday", InvoiceStatus.Unknown, null)]
    public void Revere_statuses_map_and_keep_the_raw_word(string word, InvoiceStatus expected, double? due)
    {
        using var connection = SandboxConnection();
        var body = SeedPage.Replace("\"status\":\"pending\"", "\"status\":\"" + word + "\"", StringComparison.Ordinal);
        var invoice = RevereProvider.Instance.ParsePage(Encoding.UTF8.GetBytes(body), connection).Items[0];

        Assert.Equal(expected, invoice.Status);
        Assert.Equal(word, invoice.ProviderStatus);
        Assert.Equal(due is null ? null : (decimal?)(decimal)due.Value, invoice.AmountDue);
    }

    [Fact]
    public void Connection_currency_drives_the_minor_unit_conversion()
    {
        using var connection = SandboxConnection("JPY");
        var invoice = RevereProvider.Instance.ParsePage(Encoding.UTF8.GetBytes(SeedPage), connection).Items[0];

        Assert.Equal("JPY", invoice.Currency);
        Assert.Equal(16400m, invoice.Total);
    }

    [Theory]
    [InlineData(12345L, "USD", "123.45")]
    [InlineData(12345L, "EUR", "123.45")]
    [InlineData(12345L, "JPY", "12345")]
    [InlineData(12345L, "KRW", "12345")]
    [InlineData(12345L, "KWD", "12.345")]
    [InlineData(12345L, "BHD", "12.345")]
    [InlineData(12345L, "CLF", "1.2345")]
    [InlineData(-250L, "usd", "-2.50")]
    [InlineData(5L, null, "0.05")]
    public void Minor_units_use_the_ISO_4217_exponent(long minor, string? currency, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Currency.ToMajorUnits(minor, currency));
    }

    [Fact]
    public void Truncated_page_is_a_json_error()
    {
        using var connection = SandboxConnection();
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RevereProvider.Instance.ParsePage(Encoding.UTF8.GetBytes(SeedPage[..200]), connection));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RevereProvider.Instance.ParsePage(Encoding.UTF8.GetBytes("[]"), connection));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RevereProvider.Instance.ParsePage(Encoding.UTF8.GetBytes("{\"total_count\":3}"), connection));
    }

    [Fact]
    public void Invoice_and_line_item_text_is_readable()
    {
        using var connection = SandboxConnection();
        var invoice = RevereProvider.Instance.ParsePage(Encoding.UTF8.GetBytes(SeedPage), connection).Items[0];

        Assert.Equal("MY-2025-002-INV (Open 164.00 USD)", invoice.ToString());
        Assert.Equal("4 x French fries = 20.00 USD", invoice.LineItems[0].ToString());
        Assert.Equal("0 items", InvoiceLineItemCollection.Empty.ToString());
    }
}
