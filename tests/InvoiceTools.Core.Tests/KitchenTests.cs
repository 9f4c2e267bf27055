using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
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

public sealed class KitchenTests
{
    /// <summary>The emulator's invoices for a state, in its order, read with raw requests that follow page numbers (no client code).</summary>
    private static async Task<List<JsonElement>> ServerOrder(LoopbackSandbox host, string state = "active")
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KitchenApi.ApiKey);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(host.Server.BaseUri, "kitchen/api/invoices?per_page=100&state=" + state + "&page=" + page)));
            all.AddRange(document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone()));
            if (page >= document.RootElement.GetProperty("meta").GetProperty("last_page").GetInt32())
            {
                break;
            }
        }

        host.Sandbox.ClearRequests();
        return all;
    }

    [Theory]
    [InlineData(7, false, false)]
    [InlineData(100, false, false)]
    [InlineData(25, true, false)]
    [InlineData(25, true, true)]
    [InlineData(50, false, true)]
    public async Task Next_links_are_followed_to_the_end_with_page_size_reapplied(int pageSize, bool absoluteLinks, bool linksKeepQuery)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.Kitchen.AbsoluteLinks = absoluteLinks;
        host.Sandbox.Kitchen.LinksKeepQuery = linksKeepQuery;
        var expected = (await ServerOrder(host)).Select(e => e.GetProperty("id").GetString()).ToList();
        using var connection = host.ConnectKitchen(paging: PagingOptions.Sequential);
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = pageSize }, observer).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        var pages = (expected.Count + pageSize - 1) / pageSize;
        // Links that keep their query still carry the server's default state=active; ours re-applies per_page either way.
        var prefix = linksKeepQuery ? "state=active&" : string.Empty;
        Assert.Equal(new[] { "per_page=" + pageSize }.Concat(Enumerable.Range(2, pages - 1).Select(p => prefix + "page=" + p + "&per_page=" + pageSize)), host.Queries);
        Assert.Equal(expected.Count, observer.Totals.Single().Total);
        Assert.Contains("only active", observer.Verbose[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KitchenState.Archived, "archived")]
    [InlineData(KitchenState.All, "all")]
    public async Task State_is_reapplied_to_next_links_that_dropped_it(KitchenState state, string word)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var expected = (await ServerOrder(host, word)).Select(e => e.GetProperty("id").GetString()).ToList();
        using var connection = host.ConnectKitchen();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { State = state, PageSize = 20 }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.All(host.Queries, q => Assert.Contains("state=" + word, q, StringComparison.Ordinal));
        if (state == KitchenState.Archived)
        {
            Assert.All(invoices, i => Assert.NotNull(i.Raw["archived_at"]));
            Assert.Equal(50, invoices.Count);
        }
        else
        {
            Assert.Equal(350, invoices.Count);
        }
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_refused_after_the_first_page()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.Kitchen.ForeignNextLinkHost = "evil.example.com";
        using var connection = host.ConnectKitchen();
        var seen = 0;

        var error = await Assert.ThrowsAsync<InvoicePagingException>(async () =>
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 10 }))
            {
                seen++;
            }
        });

        Assert.Equal(10, seen);
        Assert.Contains("https://evil.example.com/kitchen/api/invoices?page=2", error.Message, StringComparison.Ordinal);
        Assert.Contains("not followed", error.Message, StringComparison.Ordinal);
        Assert.Single(host.Queries);
    }

    [Fact]
    public async Task Status_and_dates_are_filtered_by_the_module_and_overdue_is_derived_from_the_due_date()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var all = await ServerOrder(host);
        using var connection = host.ConnectKitchen();
        var observer = new RecordingObserver();

        var overdue = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Overdue } }, observer).ToListAsync();

        var expected = all.Where(e => e.GetProperty("status").GetString() == "open" && e.GetProperty("due_date").GetDateTimeOffset() < DateTimeOffset.UtcNow).Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, overdue.Select(i => i.Id));
        Assert.All(overdue, i => Assert.Equal("open", i.ProviderStatus));
        Assert.Contains("Filters applied by the module: Status in Overdue", observer.Verbose[0], StringComparison.Ordinal);
        Assert.All(host.Queries, q => Assert.DoesNotContain("status", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoice_maps_money_dates_items_and_tax()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectKitchen();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { State = KitchenState.All }).ToListAsync();

        Assert.Equal(new[] { "EUR", "GBP", "USD" }, invoices.Select(i => i.Currency).Distinct().OrderBy(c => c, StringComparer.Ordinal));
        Assert.Equal(new[] { "draft", "open", "paid", "uncollectible", "void" }, invoices.Select(i => i.ProviderStatus!).Distinct().OrderBy(s => s, StringComparer.Ordinal));
        var taxed = invoices.First(i => i.Tax > 0 && i.Status == InvoiceStatus.Paid);
        Assert.Equal(taxed.Subtotal + taxed.Tax, taxed.Total);
        Assert.Equal(taxed.Subtotal, taxed.LineItems.Sum(l => l.Amount));
        Assert.Equal(0m, taxed.AmountDue);
        Assert.NotNull(taxed.PaidAt);
        Assert.NotNull(taxed.IssuedAt);
        Assert.StartsWith("PREFIX-", taxed.Number, StringComparison.Ordinal);
        Assert.StartsWith("u_", taxed.CustomerId, StringComparison.Ordinal);
        var line = taxed.LineItems[0];
        Assert.Equal(line.Amount, line.UnitPrice * line.Quantity);
        var open = invoices.First(i => i.ProviderStatus == "open");
        Assert.Equal(open.Total, open.AmountDue);
        Assert.Null(invoices.First(i => i.Status == InvoiceStatus.Draft).AmountDue);
    }

    [Fact]
    public void Legacy_misspelled_totals_are_read_too()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true });
        var body = "{\"data\":[{\"id\":\"in_1\",\"number\":\"PREFIX-1\",\"status\":\"paid\",\"currency\":\"USD\",\"amount\":100.5,\"tax_mount\":7.25,\"total_mount\":107.75,\"items\":[{\"id\":\"invi_1\",\"title\":\"Work\",\"quantity\":\"2.00\",\"amount\":100.5,\"currency\":\"USD\"}]}],\"links\":{\"next\":null},\"meta\":{\"current_page\":1,\"last_page\":1,\"total\":1}}";

        var invoice = Assert.Single(KitchenProvider.Instance.ParsePage(Encoding.UTF8.GetBytes(body), connection).Items);

        Assert.Equal((107.75m, 7.25m, 100.5m), (invoice.Total!.Value, invoice.Tax!.Value, invoice.Subtotal!.Value));
        Assert.Equal((2m, 50.25m), (invoice.LineItems[0].Quantity!.Value, invoice.LineItems[0].UnitPrice!.Value));
    }

    [Fact]
    public async Task The_sandbox_emulates_the_legacy_spelling_variant()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.Kitchen.LegacySpelling = true;
        using var connection = host.ConnectKitchen();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { First = 30 }).ToListAsync();

        Assert.All(invoices, i => Assert.Null(i.Raw["total_amount"]));
        Assert.All(invoices, i => Assert.Equal(i.Subtotal + i.Tax, i.Total));
    }

    [Fact]
    public async Task Wrong_key_is_a_json_401_because_the_module_asks_for_json()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectKitchen(apiKey: "wrong");

        var error = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync());

        Assert.Equal("Unauthenticated.", error.ProviderMessage);
        var request = Assert.Single(host.Sandbox.Requests);
        Assert.Equal("XMLHttpRequest", request.Header("X-Requested-With"));
        Assert.Contains("application/json", request.Header("Accept"), StringComparison.Ordinal);

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var bare = await http.GetAsync(new Uri(host.Server.BaseUri, "kitchen/api/invoices"));
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
    }

    [Fact]
    public async Task Laravel_validation_errors_are_surfaced_with_their_fields()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectKitchen();
        host.Sandbox.InjectFault(SandboxFault.Status(422, body: "{\"message\":\"The selected state is invalid.\",\"errors\":{\"state\":[\"The selected state is invalid.\"]}}"));

        var error = await Assert.ThrowsAsync<InvoiceValidationException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync());

        Assert.Equal("The selected state is invalid.", error.ProviderMessage);
        Assert.Equal(new[] { "state: The selected state is invalid." }, error.Details);
    }

    [Fact]
    public void Workspace_settings_are_checked()
    {
        InvoiceConfigurationException Refused(ConnectionOptions o) => Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(o));
        var key = LoopbackSandbox.Secure("k");
        Assert.Contains("-Workspace", Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, ApiKey = key }).Message, StringComparison.Ordinal);
        Assert.Contains("subdomain", Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, ApiKey = key, Workspace = "acme.kitchen.co" }).Message, StringComparison.Ordinal);
        Assert.Contains("not both", Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, ApiKey = key, Workspace = "acme", BaseUri = "https://x.test" }).Message, StringComparison.Ordinal);
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, ApiKey = key, Workspace = "Acme" });
        Assert.Equal("https://acme.kitchen.co/", connection.BaseUri.AbsoluteUri);
        Assert.Equal("acme", connection.Setting("Workspace"));
        using var sandbox = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true });
        Assert.Equal(350 - 50, InvoiceEngine.GetInvoices(sandbox, InvoiceQuery.All).Count());
    }

    [Fact]
    public void State_is_a_Kitchen_only_filter()
    {
        using var revere = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(revere, new InvoiceQuery { State = KitchenState.All }));
        Assert.Contains("works with Kitchen", error.Message, StringComparison.Ordinal);
    }
}
