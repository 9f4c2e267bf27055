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
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

public sealed class XenditTests
{
    /// <summary>Every invoice the emulator holds, in its order, read with raw requests (no client code involved).</summary>
    private static async Task<List<JsonElement>> ServerOrder(LoopbackSandbox host, string query = "")
    {
        using var http = new HttpClient();
        var all = new List<JsonElement>();
        string? cursor = null;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Server.BaseUri, "xendit/v2/invoices?limit=100" + query + (cursor is null ? string.Empty : "&last_invoice_id=" + cursor)));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(XenditApi.SecretKey + ":")));
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
            all.AddRange(page);
            if (page.Count < 100)
            {
                break;
            }

            cursor = page[^1].GetProperty("id").GetString();
        }

        host.Sandbox.ClearRequests();
        return all;
    }

    private static IEnumerable<string> Ids(IEnumerable<JsonElement> items) => items.Select(e => e.GetProperty("id").GetString()!);

    [Theory]
    [InlineData(1, 9)]
    [InlineData(7, 40)]
    [InlineData(100, 750)]
    [InlineData(25, 100)]
    public async Task Cursor_pages_return_every_invoice_once_and_send_the_last_id_under_both_names(int pageSize, int count)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = count });
        var expected = Ids(await ServerOrder(host)).ToList();
        using var connection = host.ConnectXendit();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = pageSize }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        var expectedQueries = new List<string> { "limit=" + pageSize };
        for (var end = pageSize; end <= count; end += pageSize)
        {
            expectedQueries.Add("limit=" + pageSize + "&last_invoice_id=" + expected[end - 1] + "&last_invoice=" + expected[end - 1]);
        }

        Assert.Equal(expectedQueries, host.Queries);
    }

    [Theory]
    [InlineData(XenditCursorParameter.LastInvoiceId, "last_invoice_id")]
    [InlineData(XenditCursorParameter.LastInvoice, "last_invoice")]
    public async Task The_cursor_can_be_sent_under_one_name_only(XenditCursorParameter setting, string name)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 30 });
        var expected = Ids(await ServerOrder(host)).ToList();
        using var connection = host.ConnectXendit(cursor: setting);

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 20 }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.Equal(new[] { "limit=20", "limit=20&" + name + "=" + expected[19] }, host.Queries);
        Assert.Equal(setting.ToString(), connection.Setting("CursorParameter"));
    }

    [Fact]
    public async Task Status_goes_as_repeated_statuses_keys_and_paid_includes_settled()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var expected = Ids((await ServerOrder(host)).Where(e => e.GetProperty("status").GetString() is "PAID" or "SETTLED" or "EXPIRED")).ToList();
        using var connection = host.ConnectXendit();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid, InvoiceStatus.Expired } }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.Contains(invoices, i => i.ProviderStatus == "SETTLED");
        Assert.All(invoices.Where(i => i.ProviderStatus == "SETTLED"), i => Assert.Equal(InvoiceStatus.Paid, i.Status));
        Assert.StartsWith("statuses=PAID&statuses=SETTLED&statuses=EXPIRED&limit=100", host.Queries[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_created_bound_is_completed_because_Xendit_ignores_half_a_range()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var after = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var all = await ServerOrder(host);
        var expected = Ids(all.Where(e => e.GetProperty("created").GetDateTimeOffset() > after)).ToList();
        using var connection = host.ConnectXendit();
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { CreatedAfter = after }, observer).ToListAsync();

        Assert.True(expected.Count is > 0 and < 750);
        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.StartsWith("created_after=2026-06-01T00:00:00.000Z&created_before=2100-01-01T00:00:00.000Z&limit=100", host.Queries[0], StringComparison.Ordinal);
        Assert.Contains("both bounds", observer.Verbose[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_only_bounds_are_completed_too()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 50 });
        using var connection = host.ConnectXendit();
        var before = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PaidBefore = before, ExpiresBefore = before }).ToListAsync();

        Assert.All(invoices, i => Assert.True(i.PaidAt < before && i.ExpiresAt < before));
        Assert.StartsWith("paid_after=1970-01-01T00:00:00.000Z&paid_before=2025-01-01T00:00:00.000Z&expired_after=1970-01-01T00:00:00.000Z&expired_before=2025-01-01T00:00:00.000Z&limit=100", host.Queries[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_provider_filter_goes_to_the_server()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var all = await ServerOrder(host);
        using var connection = host.ConnectXendit();
        var sample = all.First(e => e.TryGetProperty("payment_channel", out _));
        var externalId = sample.GetProperty("external_id").GetString()!;
        var channel = sample.GetProperty("payment_channel").GetString()!;

        var byExternal = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { ExternalId = externalId }).ToListAsync();
        var byChannel = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PaymentChannels = new[] { channel.ToLowerInvariant() } }).ToListAsync();
        var byType = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { ClientTypes = new[] { XenditClientType.Recurring, XenditClientType.OnDemand } }).ToListAsync();
        var byRecurring = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { RecurringPaymentId = "rp_3" }).ToListAsync();
        var byLink = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { OnDemandLink = "od-link-2" }).ToListAsync();

        Assert.Equal(sample.GetProperty("id").GetString(), Assert.Single(byExternal).Id);
        Assert.NotEmpty(byChannel);
        Assert.All(byChannel, i => Assert.Equal(channel, i.PaymentChannel));
        Assert.Equal(all.Count(e => e.TryGetProperty("payment_channel", out var c) && c.GetString() == channel), byChannel.Count);
        Assert.NotEmpty(byType);
        Assert.NotEmpty(byRecurring);
        Assert.NotEmpty(byLink);
        Assert.True(byRecurring.Count < byType.Count && byLink.Count < byType.Count);
        var queries = host.Queries;
        Assert.Contains("external_id=" + externalId + "&limit=100", queries);
        Assert.Contains(queries, q => q.StartsWith("payment_channels=" + channel + "&limit=100", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.StartsWith("client_types=RECURRING&client_types=ON_DEMAND&limit=100", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.StartsWith("recurring_payment_id=rp_3&limit=100", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.StartsWith("on_demand_link=od-link-2&limit=100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Customer_is_filtered_by_the_module_and_verbose_says_so()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 200 });
        var hundredth = (await ServerOrder(host))[99].GetProperty("id").GetString();
        using var connection = host.ConnectXendit();
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Customer = "okafor" }, observer).ToListAsync();

        Assert.NotEmpty(invoices);
        Assert.All(invoices, i => Assert.Equal("Maya Okafor", i.CustomerName));
        Assert.Contains("Filters applied by the module: Customer contains 'okafor'", observer.Verbose[0], StringComparison.Ordinal);
        Assert.Equal(new[] { "limit=100", "limit=100&last_invoice_id=" + hundredth + "&last_invoice=" + hundredth }, host.Queries.Take(2));
    }

    [Fact]
    public async Task Emulator_accepts_statuses_as_a_json_array_and_rejects_a_bad_limit()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(XenditApi.SecretKey + ":")));
        var repeated = await http.GetStringAsync(new Uri(host.Server.BaseUri, "xendit/v2/invoices?limit=100&statuses=SETTLED&statuses=EXPIRED"));
        var json = await http.GetStringAsync(new Uri(host.Server.BaseUri, "xendit/v2/invoices?limit=100&statuses=" + Uri.EscapeDataString("[\"SETTLED\",\"EXPIRED\"]")));
        Assert.Equal(repeated, json);
        Assert.All(JsonDocument.Parse(json).RootElement.EnumerateArray(), e => Assert.Contains(e.GetProperty("status").GetString(), new[] { "SETTLED", "EXPIRED" }));

        using var tooMany = await http.GetAsync(new Uri(host.Server.BaseUri, "xendit/v2/invoices?limit=101"));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("API_VALIDATION_ERROR", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paid_invoice_maps_money_customer_items_fees_and_payment()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectXendit();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        Assert.Equal(new[] { "IDR", "MYR", "PHP", "THB", "USD", "VND" }, invoices.Select(i => i.Currency).Distinct().OrderBy(c => c, StringComparer.Ordinal));
        var paid = invoices.First(i => i.ProviderStatus == "PAID" && i.Fees is not null);
        Assert.Equal(InvoiceStatus.Paid, paid.Status);
        Assert.Equal(paid.Total, paid.AmountPaid);
        Assert.Equal(0m, paid.AmountDue);
        Assert.NotNull(paid.PaidAt);
        Assert.NotNull(paid.PaymentMethod);
        Assert.NotNull(paid.PaymentChannel);
        Assert.True(paid.Fees > 0);
        Assert.Equal(paid.Total, paid.LineItems.Sum(l => l.Amount));
        Assert.All(paid.LineItems, l => Assert.Equal(paid.Currency, l.Currency));
        Assert.Null(paid.Number);
        Assert.Null(paid.LineItems[0].InvoiceNumber);
        Assert.Equal(paid.Id, paid.LineItems[0].InvoiceId);
        Assert.Matches("^[A-Z][a-z]+ [A-Z]", paid.CustomerName!);
        Assert.EndsWith(".example", paid.CustomerEmail, StringComparison.Ordinal);
        Assert.Equal(paid.Raw["external_id"], paid.ExternalId);
        var pending = invoices.First(i => i.ProviderStatus == "PENDING");
        Assert.Equal((InvoiceStatus.Open, pending.Total), (pending.Status, pending.AmountDue));
        Assert.Null(pending.PaidAt);
        var expired = invoices.First(i => i.ProviderStatus == "EXPIRED");
        Assert.Equal((InvoiceStatus.Expired, 0m), (expired.Status, expired.AmountDue));
        Assert.True(expired.ExpiresAt < SandboxOptions.ReferenceNow);
    }

    [Fact]
    public void Unknown_statuses_map_to_unknown_and_keep_the_raw_word()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Sandbox = true });
        var page = Providers.XenditProvider.Instance.ParsePage(Encoding.UTF8.GetBytes("[{\"id\":\"inv_1\",\"status\":\"VOIDED\",\"amount\":8500000,\"currency\":\"IDR\"}]"), connection);
        var invoice = Assert.Single(page.Items);
        Assert.Equal((InvoiceStatus.Unknown, "VOIDED", 8500000m, "IDR"), (invoice.Status, invoice.ProviderStatus, invoice.Total, invoice.Currency));
        Assert.Null(invoice.AmountDue);
    }

    [Fact]
    public async Task Rate_limit_waits_for_Rate_Limit_Reset()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 30 });
        using var connection = host.ConnectXendit();
        host.Sandbox.InjectFault(XenditApi.RateLimited(2.5), api: XenditApi.DirectApiName);
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, observer).ToListAsync();

        Assert.Equal(30, invoices.Count);
        Assert.Equal(new[] { TimeSpan.FromSeconds(2.5) }, host.Clock.Delays);
        Assert.Equal(new[] { "limit=100", "limit=100" }, host.Queries);
        Assert.Contains(observer.Verbose, m => m.Contains("429", StringComparison.Ordinal) && m.Contains("waiting 2.5 s as the provider asked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Error_records_carry_error_code_and_every_errors_entry_even_without_message()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 30 });
        using var connection = host.ConnectXendit();
        host.Sandbox.InjectFault(SandboxFault.Status(400, body: "{\"error_code\":\"API_VALIDATION_ERROR\",\"errors\":[{\"path\":\"created_after\",\"message\":\"must be a date\"},{\"path\":\"limit\",\"message\":\"too large\"}]}"));

        var error = await Assert.ThrowsAsync<InvoiceValidationException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync());

        Assert.Equal("API_VALIDATION_ERROR", error.ProviderErrorCode);
        Assert.Null(error.ProviderMessage);
        Assert.Equal(new[] { "created_after: must be a date", "limit: too large" }, error.Details);
        Assert.Contains("API_VALIDATION_ERROR (created_after: must be a date; limit: too large)", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Wrong_key_reports_INVALID_API_KEY_in_both_modes()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 5 });
        using var direct = host.ConnectXendit(apiKey: "xnd_development_wrong");
        using var proxy = host.ConnectXendit(XenditGateway.Appgregator, apiKey: "wrong");

        var directError = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(direct, InvoiceQuery.All).ToListAsync());
        var proxyError = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(proxy, InvoiceQuery.All).ToListAsync());

        Assert.Equal("INVALID_API_KEY", directError.ProviderErrorCode);
        Assert.Equal("INVALID_API_KEY", proxyError.ProviderErrorCode);
        Assert.DoesNotContain("xnd_development_wrong", directError.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cursor_that_does_not_advance_is_an_error_after_the_first_page()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 60 });
        var expected = Ids(await ServerOrder(host)).ToList();
        using var connection = host.ConnectXendit();
        host.Sandbox.Xendit.StuckCursor = true;
        var seen = new List<string>();

        var error = await Assert.ThrowsAsync<InvoicePagingException>(async () =>
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 20 }))
            {
                seen.Add(invoice.Id);
            }
        });

        Assert.Equal(expected.Take(20), seen);
        Assert.Contains(expected[19], error.Message, StringComparison.Ordinal);
        // Page 2 came back as page 1, so it was asked for once more before the cursor check stopped the run.
        Assert.Equal(3, host.Queries.Count);
        Assert.Equal(host.Queries[1], host.Queries[2]);
    }

    [Fact]
    public async Task Appgregator_mode_sends_the_api_key_header_and_project_names()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 30 });
        using var connection = host.ConnectXendit(XenditGateway.Appgregator, project: "acme billing", proxyConnection: "xendit-live");

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Open } }).ToListAsync();

        Assert.All(invoices, i => Assert.Equal("PENDING", i.ProviderStatus));
        var request = Assert.Single(host.Sandbox.Requests);
        Assert.Equal("/appgregator/xendit/invoices/", request.Path);
        Assert.Equal("name=acme%20billing&connection_name=xendit-live&statuses=PENDING&limit=100", request.QueryString);
        Assert.Equal(XenditApi.ProxyKey, request.Header("x-api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.Equal("Appgregator", connection.Setting("Gateway"));
    }

    [Fact]
    public async Task Direct_mode_uses_basic_auth_and_the_sub_account_header()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 5 });
        using var connection = host.ConnectXendit(forUserId: "5f6b7c8d9e0a1b2c3d4e5f61");

        _ = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        var request = Assert.Single(host.Sandbox.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(XenditApi.SecretKey + ":")), request.Header("Authorization"));
        Assert.Equal("5f6b7c8d9e0a1b2c3d4e5f61", request.Header("for-user-id"));
        Assert.Equal("Test", connection.Setting("KeyKind"));
        Assert.DoesNotContain(XenditApi.SecretKey, JsonSerializer.Serialize(connection), StringComparison.Ordinal);
    }
}

public sealed class XenditValidationTests
{
    private static InvoiceConfigurationException Refused(ConnectionOptions options) =>
        Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(options));

    [Fact]
    public void A_public_key_is_rejected_before_any_request_with_the_reason()
    {
        var error = Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, ApiKey = LoopbackSandbox.Secure("xnd_public_development_abc123") });
        Assert.Contains("public key", error.Message, StringComparison.Ordinal);
        Assert.Contains("xnd_development_", error.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", error.Message, StringComparison.Ordinal);
        Assert.Equal("ApiKey", error.ParameterName);
    }

    [Theory]
    [InlineData("xnd_development_abc", "Test")]
    [InlineData("xnd_production_abc", "Live")]
    [InlineData("something_else", "Unknown")]
    public void The_key_kind_is_shown_never_the_key(string key, string kind)
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, ApiKey = LoopbackSandbox.Secure(key) });
        Assert.Equal(kind, connection.Setting("KeyKind"));
        Assert.Equal("https://api.xendit.co/", connection.BaseUri.AbsoluteUri);
        Assert.DoesNotContain(connection.Settings.Values, v => v.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Mode_specific_settings_are_checked()
    {
        Assert.Equal("Gateway", Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Sandbox = true, AppgregatorProject = "p" }).ParameterName);
        Assert.Equal("ForUserId", Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Sandbox = true, Gateway = XenditGateway.Appgregator, ForUserId = "u" }).ParameterName);
        using var proxy = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Gateway = XenditGateway.Appgregator, ApiKey = LoopbackSandbox.Secure("k") });
        Assert.Equal("https://us-central1-appgregator.cloudfunctions.net/", proxy.BaseUri.AbsoluteUri);
    }

    [Fact]
    public void Bad_filter_combinations_fail_before_any_request()
    {
        using var xendit = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Sandbox = true });
        using var revere = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        var now = DateTimeOffset.UtcNow;

        Assert.Equal("Status", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(xendit, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Open }, PaidAfter = now })).ParameterName);
        Assert.Equal("PaidAfter", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(xendit, new InvoiceQuery { PaidAfter = now, PaidBefore = now.AddDays(-1) })).ParameterName);
        Assert.Equal("PageSize", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(xendit, new InvoiceQuery { PageSize = 101 })).ParameterName);
        Assert.Contains("Open, Paid, Expired", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(xendit, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Overdue } })).RecommendedAction, StringComparison.Ordinal);
        var foreign = Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(revere, new InvoiceQuery { PaymentChannels = new[] { "BCA" } }));
        Assert.Equal("PaymentChannel", foreign.ParameterName);
        Assert.Contains("works with Xendit", foreign.Message, StringComparison.Ordinal);
        Assert.Empty(xendit.Emulator().Requests);
        Assert.Equal(750, InvoiceEngine.GetInvoices(xendit, InvoiceQuery.All).Count());
    }

    [Fact]
    public void Revere_applies_external_id_in_the_module()
    {
        using var revere = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        var target = InvoiceEngine.GetInvoices(revere, InvoiceQuery.All).First(i => i.ExternalId is not null);
        var plan = InvoiceEngine.Plan(revere, new InvoiceQuery { ExternalId = target.ExternalId });
        Assert.Equal(new[] { "ExternalId=" + target.ExternalId }, plan.ClientFilters);
        Assert.Equal(target.Id, Assert.Single(InvoiceEngine.GetInvoices(revere, new InvoiceQuery { ExternalId = target.ExternalId })).Id);
    }
}
