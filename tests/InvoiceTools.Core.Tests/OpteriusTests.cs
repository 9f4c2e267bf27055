using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

public sealed class OpteriusTests
{
    /// <summary>The emulator's invoices in its order, read with one raw request in the real shape (no client code).</summary>
    private static async Task<List<JsonElement>> ServerOrder(LoopbackSandbox host, string query = "")
    {
        var real = host.Sandbox.Opterius.RealShape;
        host.Sandbox.Opterius.RealShape = true;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OpteriusApi.Token);
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(host.Server.BaseUri, "opterius/api/v1/invoices" + query)));
        host.Sandbox.Opterius.RealShape = real;
        host.Sandbox.ClearRequests();
        return document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Theory]
    [InlineData(1, 12)]
    [InlineData(15, 260)]
    [InlineData(100, 260)]
    [InlineData(20, 100)]
    public async Task Documented_pages_are_walked_to_meta_last_page(int pageSize, int count)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { OpteriusInvoiceCount = count });
        var expected = (await ServerOrder(host)).Select(e => e.GetProperty("id").GetRawText()).ToList();
        using var connection = host.ConnectOpterius(paging: PagingOptions.Sequential);

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = pageSize }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        var pages = (count + pageSize - 1) / pageSize;
        Assert.Equal(Enumerable.Range(1, pages).Select(p => "page=" + p + "&per_page=" + pageSize), host.Queries);
    }

    [Fact]
    public async Task The_real_unpaginated_shape_is_one_complete_page()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.Opterius.RealShape = true;
        var expected = (await ServerOrder(host)).Select(e => e.GetProperty("id").GetRawText()).ToList();
        using var connection = host.ConnectOpterius();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 20 }).ToListAsync();

        Assert.Equal(260, invoices.Count);
        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.Equal(new[] { "page=1&per_page=20" }, host.Queries);
    }

    [Fact]
    public async Task Amount_units_are_detected_from_the_shape_and_agree_across_both()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectOpterius();
        var documented = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();
        host.Sandbox.Opterius.RealShape = true;
        var real = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        var usd = documented.First(i => i.Currency == "USD");
        Assert.Equal((long)(usd.Total!.Value * 100), (long)usd.Raw["total"]!);
        Assert.Equal(usd.Subtotal + usd.Tax, usd.Total);
        var realUsd = real.Single(i => i.Id == usd.Id);
        Assert.Equal(usd.Total, realUsd.Total);
        Assert.Equal(usd.AmountDue, realUsd.AmountDue);
        Assert.Equal("USD", realUsd.Currency);
        Assert.Equal(usd.PaidAt?.Date, realUsd.PaidAt?.Date);
        var jpy = documented.First(i => i.Currency == "JPY");
        Assert.Equal((long)jpy.Raw["total"]!, jpy.Total);
        var kwd = documented.First(i => i.Currency == "KWD");
        Assert.Equal((long)kwd.Raw["total"]! / 1000m, kwd.Total);
    }

    [Theory]
    [InlineData(OpteriusAmountUnit.Minor, false, 100)]
    [InlineData(OpteriusAmountUnit.Major, false, 1)]
    [InlineData(OpteriusAmountUnit.Minor, true, 100)]
    [InlineData(OpteriusAmountUnit.Major, true, 1)]
    public async Task The_amount_unit_can_be_overridden(OpteriusAmountUnit unit, bool realShape, int divisor)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { OpteriusInvoiceCount = 40 });
        host.Sandbox.Opterius.RealShape = realShape;
        using var connection = host.ConnectOpterius(unit);

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        var usd = invoices.First(i => i.Currency == "USD");
        Assert.Equal(Convert.ToDecimal(usd.Raw["total"], System.Globalization.CultureInfo.InvariantCulture) / divisor, usd.Total);
        Assert.Equal(unit.ToString(), connection.Setting("AmountUnit"));
    }

    [Fact]
    public async Task One_status_goes_to_the_server_and_several_are_filtered_here()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var all = await ServerOrder(host);
        using var connection = host.ConnectOpterius();
        var observer = new RecordingObserver();

        var overdue = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Overdue } }).ToListAsync();
        var serverQueries = host.Queries.ToList();
        host.Sandbox.ClearRequests();
        var balance = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Open, InvoiceStatus.Overdue } }, observer).ToListAsync();

        Assert.Equal(all.Where(e => e.GetProperty("status").GetString() == "overdue").Select(e => e.GetProperty("id").GetRawText()), overdue.Select(i => i.Id));
        Assert.All(serverQueries, q => Assert.StartsWith("status=overdue&page=", q, StringComparison.Ordinal));
        Assert.Equal(all.Where(e => e.GetProperty("status").GetString() is "unpaid" or "overdue").Select(e => e.GetProperty("id").GetRawText()), balance.Select(i => i.Id));
        Assert.Contains(balance, i => i.Status == InvoiceStatus.Open);
        Assert.Contains(balance, i => i.Status == InvoiceStatus.Overdue);
        Assert.All(host.Queries, q => Assert.DoesNotContain("status", q, StringComparison.Ordinal));
        Assert.Contains("Filters applied by the module: Status in Open, Overdue", observer.Verbose[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_vocabulary_statuses_are_filtered_here_and_mapped()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.Opterius.RealShape = true;
        using var connection = host.ConnectOpterius();

        var drafts = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Draft } }).ToListAsync();
        var refunded = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Refunded } }).ToListAsync();

        Assert.NotEmpty(drafts);
        Assert.All(drafts, i => Assert.Equal("draft", i.ProviderStatus));
        Assert.NotEmpty(refunded);
        Assert.All(refunded, i => Assert.Equal(0m, i.AmountDue));
        Assert.All(host.Queries, q => Assert.DoesNotContain("status", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Both_401_forms_are_authentication_errors()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { OpteriusInvoiceCount = 5 });
        using var connection = host.ConnectOpterius(token: "expired");

        var documented = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync());
        host.Sandbox.Opterius.RealShape = true;
        var real = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync());

        Assert.Equal("Unauthenticated.", documented.ProviderMessage);
        Assert.Equal("Invalid or expired token.", real.ProviderMessage);
    }

    [Fact]
    public async Task A_422_names_the_field()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { OpteriusInvoiceCount = 5 });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OpteriusApi.Token);
        using var response = await http.GetAsync(new Uri(host.Server.BaseUri, "opterius/api/v1/invoices?status=draft"));
        Assert.Equal(422, (int)response.StatusCode);
        using var connection = host.ConnectOpterius();
        host.Sandbox.InjectFault(SandboxFault.Status(422, body: await response.Content.ReadAsStringAsync()));

        var error = await Assert.ThrowsAsync<InvoiceValidationException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync());

        Assert.Equal(new[] { "status: The selected status is invalid." }, error.Details);
    }

    [Fact]
    public void Base_uri_is_mandatory_and_customer_cannot_be_applied()
    {
        var missing = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Opterius, ApiKey = LoopbackSandbox.Secure("t") }));
        Assert.Equal("BaseUri", missing.ParameterName);
        Assert.Contains("every installation has its own address", missing.Message, StringComparison.Ordinal);
        using var sandbox = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Opterius, Sandbox = true });
        Assert.Equal("Customer", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(sandbox, new InvoiceQuery { Customer = "x" })).ParameterName);
        Assert.Equal(260, InvoiceEngine.GetInvoices(sandbox, InvoiceQuery.All).Count());
    }

    [Fact]
    public void Excerpt_invoice_maps_as_documented()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Opterius, Sandbox = true });
        var body = "{\"data\":[{\"id\":305,\"invoice_number\":\"INV-0305\",\"status\":\"paid\",\"subtotal\":2000,\"tax_amount\":200,\"total\":2200,\"amount_due\":0,\"currency_code\":\"USD\",\"due_date\":\"2026-04-10\",\"paid_at\":\"2026-04-08T14:33:10Z\",\"created_at\":\"2026-04-01T00:00:00Z\"}],\"meta\":{\"current_page\":1,\"last_page\":3,\"per_page\":15,\"total\":38}}";

        var page = OpteriusProvider.Instance.ParsePage(Encoding.UTF8.GetBytes(body), connection);

        var invoice = Assert.Single(page.Items);
        Assert.Equal(("305", "INV-0305", InvoiceStatus.Paid, 20.00m, 2.00m, 22.00m, 0m), (invoice.Id, invoice.Number, invoice.Status, invoice.Subtotal!.Value, invoice.Tax!.Value, invoice.Total!.Value, invoice.AmountDue!.Value));
        Assert.Equal(new DateTimeOffset(2026, 4, 10, 0, 0, 0, TimeSpan.Zero), invoice.DueDate);
        Assert.Equal((1, 3, 38L), (page.CurrentPage!.Value, page.LastPage!.Value, page.TotalCount!.Value));
    }
}
