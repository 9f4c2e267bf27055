using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

public sealed class Revolv3Tests
{
    /// <summary>The emulator's invoices in its order, read with raw requests (no client code).</summary>
    private static async Task<List<JsonElement>> ServerOrder(LoopbackSandbox host, string path = "api/Invoices", string query = "")
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-revolv3-token", Revolv3Api.Token);
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(host.Server.BaseUri, "revolv3/" + path + "?pageSize=100&page=" + page + query)));
            var items = document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
            all.AddRange(items);
            if (items.Count < 100)
            {
                break;
            }
        }

        host.Sandbox.ClearRequests();
        return all;
    }

    private static IEnumerable<string> Ids(IEnumerable<JsonElement> items) => items.Select(e => e.GetProperty("invoiceId").GetRawText());

    [Theory]
    [InlineData(1, 9)]
    [InlineData(7, 50)]
    [InlineData(100, 430)]
    [InlineData(100, 400)]
    public async Task Pages_until_a_short_page_in_server_order(int pageSize, int count)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Revolv3InvoiceCount = count });
        var expected = Ids(await ServerOrder(host)).ToList();
        using var connection = host.ConnectRevolv3();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = pageSize }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        var pages = (count / pageSize) + 1;
        Assert.Equal(Enumerable.Range(1, pages).Select(p => "page=" + p + "&pageSize=" + pageSize), host.Queries);
        Assert.All(host.Sandbox.Requests, r => Assert.Equal("/revolv3/api/Invoices", r.Path));
    }

    [Fact]
    public async Task Billing_dates_are_sorted_newest_first_with_invoice_id_breaking_ties()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevolv3();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        Assert.Equal(invoices.OrderByDescending(i => i.IssuedAt).ThenBy(i => long.Parse(i.Id, System.Globalization.CultureInfo.InvariantCulture)).Select(i => i.Id), invoices.Select(i => i.Id));
        Assert.Contains(invoices.Zip(invoices.Skip(1)), p => p.First.IssuedAt == p.Second.IssuedAt);
    }

    [Theory]
    [InlineData(Revolv3DateFormat.MonthDayYear)]
    [InlineData(Revolv3DateFormat.DayMonthNameYear)]
    [InlineData(Revolv3DateFormat.Iso)]
    public async Task Every_billing_date_format_maps_to_the_same_instant(Revolv3DateFormat format)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Revolv3InvoiceCount = 60 });
        using var connection = host.ConnectRevolv3();
        var reference = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();
        host.Sandbox.Revolv3.DateFormat = format;

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        Assert.Equal(reference.Select(i => i.IssuedAt), invoices.Select(i => i.IssuedAt));
        Assert.All(invoices, i => Assert.Equal(TimeSpan.Zero, i.IssuedAt!.Value.TimeOfDay));
    }

    [Theory]
    [InlineData("12-15-2024", 2024, 12, 15)]
    [InlineData("08-Aug-25", 2025, 8, 8)]
    [InlineData("2025-08-08", 2025, 8, 8)]
    [InlineData("2025-08-08T00:00:00", 2025, 8, 8)]
    public void Billing_date_parser_reads_each_format(string text, int year, int month, int day)
    {
        Assert.Equal(new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero), Revolv3Provider.ParseBillingDate(text));
    }

    [Fact]
    public async Task Billing_range_goes_to_the_legacy_endpoint_as_month_day_year_and_is_trimmed_here()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var after = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var before = new DateTimeOffset(2025, 6, 30, 0, 0, 0, TimeSpan.Zero);
        using var connection = host.ConnectRevolv3();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { CreatedAfter = after, CreatedBefore = before }).ToListAsync();

        Assert.NotEmpty(invoices);
        Assert.All(invoices, i => Assert.InRange(i.CreatedAt!.Value, after.AddTicks(1), before.AddTicks(-1)));
        Assert.StartsWith("startDate=03-01-2025&endDate=06-30-2025&page=1&pageSize=100", host.Queries[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Last_update_and_customer_reference_switch_to_the_v1_endpoint()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var expected = Ids(await ServerOrder(host, "api/Invoices/v1", "&merchantCustomerRefId=CUST-004&lastUpdateStartDate=2025-01-01T00:00:00Z")).ToList();
        using var connection = host.ConnectRevolv3();
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { CustomerReference = "CUST-004", UpdatedAfter = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), CreatedAfter = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero) }, observer).ToListAsync();

        Assert.NotEmpty(invoices);
        Assert.Equal(expected, invoices.Select(i => i.Id).Where(expected.Contains));
        Assert.All(invoices, i => Assert.Equal("CUST-004", i.Raw["merchantCustomerRefId"]));
        Assert.All(invoices, i => Assert.True(i.UpdatedAt >= new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.All(host.Sandbox.Requests, r => Assert.Equal("/revolv3/api/Invoices/v1", r.Path));
        Assert.StartsWith("billingStartDate=2024-06-01&lastUpdateStartDate=2025-01-01T00:00:00Z&merchantCustomerRefId=CUST-004&page=1&pageSize=100", host.Queries[0], StringComparison.Ordinal);
        Assert.Contains("/api/Invoices/v1", observer.Verbose[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_v1_gives_a_clear_404()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Revolv3InvoiceCount = 10 });
        host.Sandbox.Revolv3.V1Enabled = false;
        using var legacy = host.ConnectRevolv3();
        using var v1 = host.ConnectRevolv3(endpoint: Revolv3Endpoint.V1);

        Assert.Equal(10, (await InvoiceEngine.GetInvoicesAsync(legacy, InvoiceQuery.All).ToListAsync()).Count);
        var error = await Assert.ThrowsAsync<InvoiceNotFoundException>(() => InvoiceEngine.GetInvoicesAsync(v1, InvoiceQuery.All).ToListAsync());
        Assert.Contains("/api/Invoices/v1", error.Message, StringComparison.Ordinal);
        using var forcedLegacy = host.ConnectRevolv3(endpoint: Revolv3Endpoint.Legacy);
        Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(forcedLegacy, new InvoiceQuery { CustomerReference = "x" }));
    }

    [Fact]
    public async Task Status_is_filtered_here_across_the_real_vocabulary()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevolv3();

        var all = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();
        var failed = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Failed, InvoiceStatus.Uncollectible } }).ToListAsync();

        Assert.Equal(17, all.Select(i => i.ProviderStatus).Distinct().Count());
        Assert.DoesNotContain(all, i => i.Status == InvoiceStatus.Unknown);
        Assert.Equal(all.Where(i => i.ProviderStatus is "Failed" or "Recycle" or "RetryPending" or "Noncollectable").Select(i => i.Id), failed.Select(i => i.Id));
        Assert.All(host.Queries, q => Assert.DoesNotContain("status", q, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Paid", InvoiceStatus.Paid)]
    [InlineData("Void", InvoiceStatus.Void)]
    [InlineData("Pending", InvoiceStatus.Open)]
    [InlineData("Recycle", InvoiceStatus.Failed)]
    [InlineData("Noncollectable", InvoiceStatus.Uncollectible)]
    [InlineData("Failed", InvoiceStatus.Failed)]
    [InlineData("Refund", InvoiceStatus.Refunded)]
    [InlineData("MerchantPaid", InvoiceStatus.Paid)]
    [InlineData("MerchantCancelled", InvoiceStatus.Void)]
    [InlineData("OneTimePaymentPending", InvoiceStatus.Open)]
    [InlineData("PartialRefund", InvoiceStatus.PartiallyRefunded)]
    [InlineData("BatchPending", InvoiceStatus.Open)]
    [InlineData("CapturePending", InvoiceStatus.Open)]
    [InlineData("RefundPending", InvoiceStatus.Paid)]
    [InlineData("RefundDeclined", InvoiceStatus.Paid)]
    [InlineData("RefundFailed", InvoiceStatus.Paid)]
    [InlineData("RetryPending", InvoiceStatus.Failed)]
    [InlineData("open", InvoiceStatus.Open)]
    [InlineData("paid", InvoiceStatus.Paid)]
    [InlineData("voided", InvoiceStatus.Void)]
    [InlineData("draft", InvoiceStatus.Draft)]
    [InlineData("Somethingnew", InvoiceStatus.Unknown)]
    public void Every_status_word_maps(string word, InvoiceStatus expected)
    {
        Assert.Equal(expected, Revolv3Provider.Instance.Descriptor.MapStatus(word));
    }

    [Fact]
    public void The_excerpt_invoice_maps_with_the_connection_currency()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revolv3, Sandbox = true });
        var body = "[{\"invoiceId\":388815,\"customerId\":null,\"merchantInvoiceRefId\":\"1234-5678-9101\",\"binNumber\":\"444433\",\"last4Digit\":\"1111\",\"invoiceStatus\":\"Paid\",\"subtotal\":150.0000,\"tax\":0.0000,\"total\":150.0000,\"billingDate\":\"12-15-2024\",\"merchantLegalName\":\"Test Merchant\",\"merchantCustomerRefId\":null,\"customerFirstName\":null,\"customerLastName\":null}]";

        var invoice = Assert.Single(Revolv3Provider.Instance.ParsePage(Encoding.UTF8.GetBytes(body), connection).Items);

        Assert.Equal(("388815", "1234-5678-9101", InvoiceStatus.Paid, "Paid", 150m, 0m, 150m, "USD"), (invoice.Id, invoice.Number, invoice.Status, invoice.ProviderStatus, invoice.Subtotal!.Value, invoice.Tax!.Value, invoice.Total!.Value, invoice.Currency));
        Assert.Equal(new DateTimeOffset(2024, 12, 15, 0, 0, 0, TimeSpan.Zero), invoice.IssuedAt);
        Assert.Null(invoice.CustomerName);
        Assert.Equal(0m, invoice.AmountDue);
    }

    [Fact]
    public async Task Rate_limit_without_any_hint_backs_off_with_jitter_and_recovers()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Revolv3InvoiceCount = 150 });
        var expected = Ids(await ServerOrder(host)).ToList();
        using var connection = host.ConnectRevolv3();
        host.Sandbox.InjectFault(SandboxFault.RateLimited(), times: 2, api: Revolv3Api.ApiName);
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, observer).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.Equal(new[] { "page=1&pageSize=100", "page=1&pageSize=100", "page=1&pageSize=100", "page=2&pageSize=100" }, host.Queries);
        Assert.Equal(2, host.Clock.Delays.Count);
        Assert.All(host.Clock.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30)));
        Assert.Equal(2, observer.Verbose.Count(m => m.Contains("exponential backoff with jitter", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(Revolv3AuthScheme.Token, "x-revolv3-token", Revolv3Api.Token)]
    [InlineData(Revolv3AuthScheme.Bearer, "Authorization", "Bearer " + Revolv3Api.Token)]
    public async Task Both_auth_schemes_are_sent_as_asked(Revolv3AuthScheme scheme, string header, string value)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Revolv3InvoiceCount = 5 });
        using var connection = host.ConnectRevolv3(scheme);

        Assert.Equal(5, (await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync()).Count);
        Assert.Equal(value, Assert.Single(host.Sandbox.Requests).Header(header));
        using var wrong = host.ConnectRevolv3(scheme, token: "nope");
        await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(wrong, InvoiceQuery.All).ToListAsync());
    }

    [Fact]
    public async Task Validation_errors_arrive_as_an_array_and_are_all_shown()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Revolv3InvoiceCount = 5 });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-revolv3-token", Revolv3Api.Token);
        using var response = await http.GetAsync(new Uri(host.Server.BaseUri, "revolv3/api/Invoices?pageSize=500&startDate=2025-01-01"));
        var body = await response.Content.ReadAsStringAsync();
        using var connection = host.ConnectRevolv3();
        host.Sandbox.InjectFault(SandboxFault.Status(400, body: body));

        var error = await Assert.ThrowsAsync<InvoiceValidationException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync());

        Assert.Equal(new[] { "PageSize: 'pageSize' must be between 1 and 100.", "startDate: 'startDate' is not a valid date." }, error.Details);
    }

    [Fact]
    public void Hosts_and_settings_are_checked()
    {
        var key = LoopbackSandbox.Secure("t");
        using var production = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revolv3, ApiKey = key });
        using var sandbox = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revolv3, ApiKey = key, Environment = Revolv3Environment.Sandbox });
        Assert.Equal("https://api.revolv3.com/", production.BaseUri.AbsoluteUri);
        Assert.Equal("https://api-sandbox.revolv3.com/", sandbox.BaseUri.AbsoluteUri);
        Assert.Equal("Environment", Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revolv3, ApiKey = key, Environment = Revolv3Environment.Sandbox, BaseUri = "https://x.test" })).ParameterName);
        using var emulator = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revolv3, Sandbox = true });
        Assert.Equal(430, InvoiceEngine.GetInvoices(emulator, InvoiceQuery.All).Count());
        Assert.Equal("PageSize", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(emulator, new InvoiceQuery { PageSize = 101 })).ParameterName);
    }
}

/// <summary>Billing dates are whole days: a one-day window is that day's invoices (found by a fresh-eyes review).</summary>
public sealed class Revolv3DayWindowTests
{
    [Theory]
    [InlineData(Revolv3Endpoint.Legacy)]
    [InlineData(Revolv3Endpoint.V1)]
    public async Task A_one_day_window_returns_the_invoices_billed_that_day(Revolv3Endpoint endpoint)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevolv3(endpoint: endpoint);
        var all = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 100 }).ToListAsync();
        var days = all.Where(i => i.CreatedAt is not null).GroupBy(i => i.CreatedAt!.Value).OrderByDescending(g => g.Count()).Take(3).ToList();
        Assert.NotEmpty(days);

        foreach (var day in days)
        {
            var window = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 100, CreatedAfter = day.Key, CreatedBefore = day.Key.AddDays(1) }).ToListAsync();

            Assert.Equal(day.Select(i => i.Id).OrderBy(i => i, StringComparer.Ordinal), window.Select(i => i.Id).OrderBy(i => i, StringComparer.Ordinal));
        }
    }
}
