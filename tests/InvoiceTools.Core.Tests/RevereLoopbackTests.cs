using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

public sealed class RevereLoopbackTests
{
    /// <summary>Every id the emulator holds, in its order, read with one raw request (no client code involved).</summary>
    private static async Task<List<string>> ServerOrder(LoopbackSandbox host, string extraQuery = "")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Server.ApiBase("revere"), "revere/api/v1/groups/" + RevereApi.GroupId + "/invoices?limit=1000000" + extraQuery));
        request.Headers.TryAddWithoutValidation("Authorization", RevereApi.ApiKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        host.Sandbox.ClearRequests();
        return document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
    }

    [Theory]
    [InlineData(1, 23)]
    [InlineData(7, 50)]
    [InlineData(100, 1200)]
    [InlineData(100, 1000)]
    [InlineData(10, 30)]
    public async Task Pages_return_every_invoice_exactly_once_in_server_order(int pageSize, int count)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = count });
        var expected = await ServerOrder(host);
        using var connection = host.ConnectRevere(paging: PagingOptions.Sequential);

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = pageSize }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id).ToList());
        Assert.Equal(count, invoices.Select(i => i.Id).Distinct().Count());
        var pages = (count + pageSize - 1) / pageSize;
        var expectedQueries = Enumerable.Range(0, pages).Select(p => "limit=" + pageSize + "&offset=" + (p * pageSize)).ToList();
        Assert.Equal(expectedQueries, host.Queries);
        Assert.All(invoices, i => Assert.Equal("Revere-8059f5c6", i.Connection));
    }

    [Fact]
    public async Task Status_filter_goes_to_the_server_as_comma_separated_words()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var expected = await ServerOrder(host, "&statuses=pending,past_due");
        using var connection = host.ConnectRevere();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Open, InvoiceStatus.Overdue } }).ToListAsync();

        Assert.NotEmpty(invoices);
        Assert.Equal(expected, invoices.Select(i => i.Id).ToList());
        Assert.All(invoices, i => Assert.Contains(i.Status, new[] { InvoiceStatus.Open, InvoiceStatus.Overdue }));
        Assert.All(invoices, i => Assert.Contains(i.ProviderStatus, new[] { "pending", "past_due" }));
        var pages = (expected.Count + 99) / 100;
        // Pages after the first go out in parallel, so they may arrive in any order.
        Assert.Equal(Enumerable.Range(0, pages).Select(p => "statuses=pending,past_due&limit=100&offset=" + (p * 100)), host.Queries.OrderBy(q => q.Length).ThenBy(q => q, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Created_range_goes_to_the_server_as_start_and_end()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere();
        var after = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var before = new DateTimeOffset(2025, 3, 1, 12, 30, 0, TimeSpan.FromHours(2));

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { CreatedAfter = after, CreatedBefore = before }).ToListAsync();

        Assert.NotEmpty(invoices);
        Assert.All(invoices, i => Assert.InRange(i.CreatedAt!.Value, after, before));
        Assert.Equal("start=2025-01-01T00:00:00Z&end=2025-03-01T10:30:00Z&limit=100&offset=0", host.Queries[0]);
        Assert.Equal((invoices.Count + 99) / 100, host.Queries.Count);
    }

    [Fact]
    public async Task Customer_filter_goes_to_the_server_as_partner_name()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Customer = "harbor" }).ToListAsync();

        Assert.NotEmpty(invoices);
        Assert.All(invoices, i => Assert.Contains("harbor", i.CustomerName!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, invoices.Select(i => i.CustomerName).Distinct().Count());
        Assert.StartsWith("partner_name=harbor&limit=100&offset=0", host.Queries[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task First_stops_fetching_as_soon_as_it_has_enough()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere();

        var one = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { First = 1 }).ToListAsync();
        Assert.Single(one);
        Assert.Single(host.Queries);

        host.Sandbox.ClearRequests();
        var many = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { First = 150 }).ToListAsync();
        Assert.Equal(150, many.Count);
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100" }, host.Queries);
    }

    [Fact]
    public async Task Taking_one_item_from_the_sync_stream_sends_one_request_when_nothing_is_read_ahead()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere(paging: PagingOptions.Sequential);

        var first = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All).First();

        Assert.NotNull(first);
        Assert.Equal(new[] { "limit=100&offset=0" }, host.Queries);
    }

    [Fact]
    public async Task Skip_is_done_by_the_server_when_nothing_is_filtered_locally()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var expected = await ServerOrder(host);
        using var connection = host.ConnectRevere();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Skip = 250, First = 60 }).ToListAsync();

        Assert.Equal(expected.Skip(250).Take(60), invoices.Select(i => i.Id));
        // The page holds just what -First wants: the server skips, and no more than 60 invoices travel.
        Assert.Equal(new[] { "limit=60&offset=250" }, host.Queries);
    }

    [Theory]
    [InlineData(1, 0, null, "limit=1&offset=0")]
    [InlineData(3, 10, null, "limit=3&offset=10")]
    [InlineData(150, 0, null, "limit=100&offset=0")]
    [InlineData(1, 0, 50, "limit=50&offset=0")]
    public async Task A_page_holds_no_more_than_First_wants_unless_PageSize_is_given(long first, long skip, int? pageSize, string query)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { First = first, Skip = skip, PageSize = pageSize }).ToListAsync();

        Assert.Equal(first, invoices.Count);
        Assert.Equal(query, host.Queries[0]);
    }

    [Fact]
    public async Task Total_count_is_reported_before_the_first_invoice()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere();
        var observer = new RecordingObserver();

        _ = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { First = 5 }, observer).ToListAsync();

        Assert.Equal(new[] { (1200L, true) }, observer.Totals);
        Assert.Equal(1, observer.Pages.Single().PageNumber);
        Assert.Equal(1200, observer.Pages.Single().Total);
    }

    [Fact]
    public async Task Wrong_key_is_an_authentication_error_without_retries()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere(apiKey: "not-the-key");

        var error = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(InvoiceProviderKind.Revere, error.Provider);
        Assert.Contains("Revere Payments answered 401", error.Message, StringComparison.Ordinal);
        Assert.Contains("/revere/api/v1/groups/" + RevereApi.GroupId + "/invoices?limit=100&offset=0", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing or invalid API key", error.ProviderMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-key", error.ToString(), StringComparison.Ordinal);
        Assert.NotNull(error.RecommendedAction);
        Assert.Single(host.Queries);
    }

    [Fact]
    public async Task Missing_key_header_is_refused_by_the_sandbox()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(host.Server.BaseUri, "revere/api/v1/groups/" + RevereApi.GroupId + "/invoices"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Rate_limit_then_success_waits_as_the_provider_asked()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250 });
        var expected = await ServerOrder(host);
        using var connection = host.ConnectRevere();
        var observer = new RecordingObserver();
        host.Sandbox.InjectFault(SandboxFault.RateLimited("7"));

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, observer).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=0" }, host.Queries.Take(2));
        Assert.Equal(new[] { "limit=100&offset=100", "limit=100&offset=200" }, host.Queries.Skip(2).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { TimeSpan.FromSeconds(7) }, host.Clock.Delays);
        Assert.Contains(observer.Verbose, m => m.Contains("Retry 1 of 4", StringComparison.Ordinal) && m.Contains("429", StringComparison.Ordinal) && m.Contains("waiting 7 s as the provider asked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rate_limit_with_an_http_date_waits_until_that_date()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 20 });
        using var connection = host.ConnectRevere();
        host.Sandbox.InjectFault(SandboxFault.RateLimitedUntil(host.Clock.GetUtcNow().AddSeconds(30)));

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        Assert.Equal(20, invoices.Count);
        Assert.Equal(new[] { TimeSpan.FromSeconds(30) }, host.Clock.Delays);
    }

    [Fact]
    public async Task Server_error_then_success_backs_off_and_loses_nothing()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250 });
        var expected = await ServerOrder(host);
        using var connection = host.ConnectRevere(paging: PagingOptions.Sequential);
        var stream = InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).GetAsyncEnumerator();
        var seen = new List<string>();
        for (var i = 0; i < 100 && await stream.MoveNextAsync(); i++)
        {
            seen.Add(stream.Current.Id);
        }

        host.Sandbox.InjectFault(SandboxFault.Status(500));
        while (await stream.MoveNextAsync())
        {
            seen.Add(stream.Current.Id);
        }

        await stream.DisposeAsync();
        Assert.Equal(expected, seen);
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=100", "limit=100&offset=200" }, host.Queries);
        var wait = Assert.Single(host.Clock.Delays);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Persistent_server_error_on_a_later_page_keeps_the_earlier_pages()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250 });
        var expected = await ServerOrder(host);
        using var connection = host.ConnectRevere(retry: new RetryOptions { MaxAttempts = 3, AttemptTimeout = Timeout.InfiniteTimeSpan }, paging: PagingOptions.Sequential);
        var seen = new List<string>();
        var error = await Assert.ThrowsAsync<InvoiceApiException>(async () =>
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All))
            {
                seen.Add(invoice.Id);
                if (seen.Count == 100)
                {
                    host.Sandbox.InjectFault(SandboxFault.Status(503), times: 10);
                }
            }
        });

        Assert.Equal(expected.Take(100), seen);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, host.Clock.Delays.Count);
    }

    [Fact]
    public async Task Cancellation_stops_the_stream_and_sends_nothing_more()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere(paging: PagingOptions.Sequential);
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, cancellationToken: cancel.Token))
            {
                if (++seen == 150)
                {
                    cancel.Cancel();
                }
            }
        });

        Assert.Equal(150, seen);
        Assert.Equal(2, host.Queries.Count);
    }

    [Fact]
    public async Task Cancellation_aborts_a_request_in_flight()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Latency = TimeSpan.FromSeconds(30) });
        using var connection = host.ConnectRevere();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, cancellationToken: cancel.Token).ToListAsync());

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Sync_bridge_delivers_observer_calls_on_the_enumerating_thread()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 120 });
        using var connection = host.ConnectRevere();
        host.Sandbox.InjectFault(SandboxFault.RateLimited("1"));
        var observer = new RecordingObserver();

        var count = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 50 }, observer).Count();

        Assert.Equal(120, count);
        Assert.Equal(new[] { Environment.CurrentManagedThreadId }, observer.Threads);
        Assert.Contains(observer.Verbose, m => m.StartsWith("Retry 1 of 4", StringComparison.Ordinal));
        Assert.Equal(new[] { 1, 2, 3 }, observer.Pages.Select(p => p.PageNumber));
        Assert.Equal(new long[] { 50, 100, 120 }, observer.Pages.Select(p => p.InvoicesSoFar));
        Assert.Equal(new int?[] { 41, 83, 100 }, observer.Pages.Select(p => p.PercentComplete));
    }

    [Fact]
    public async Task Verbose_says_which_filters_run_where()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 10 });
        using var connection = host.ConnectRevere();
        var observer = new RecordingObserver();

        _ = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid, InvoiceStatus.Draft } }, observer).ToListAsync();

        var plan = observer.Verbose[0];
        Assert.Contains("Filters sent to the server: statuses=paid", plan, StringComparison.Ordinal);
        Assert.Contains("Filters applied by the module: none", plan, StringComparison.Ordinal);
        Assert.Contains("no status that means Draft", plan, StringComparison.Ordinal);
        Assert.Contains(observer.Verbose, m => m.StartsWith("GET http://127.0.0.1:", StringComparison.Ordinal) && m.Contains("-> 200 OK", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Secrets_never_reach_messages_or_objects()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 30 });
        using var connection = host.ConnectRevere();
        var observer = new RecordingObserver();
        host.Sandbox.InjectFault(SandboxFault.Status(502));

        var invoices = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All, observer).ToList();

        Assert.NotEmpty(observer.Debug);
        Assert.All(observer.Debug, m => Assert.Matches(@"^GET http://127\.0\.0\.1:\d+/revere/\S+ -> \d{3} [^,]+, headers: ", m));
        Assert.DoesNotContain(observer.All, m => m.Contains(RevereApi.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(RevereApi.ApiKey, connection.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(RevereApi.ApiKey, connection.Authentication, StringComparison.Ordinal);
        Assert.DoesNotContain(RevereApi.ApiKey, JsonSerializer.Serialize(connection), StringComparison.Ordinal);
        Assert.All(invoices, i => Assert.DoesNotContain(RevereApi.ApiKey, i.Raw.ToJson(), StringComparison.Ordinal));
    }
}

public sealed class SandboxDataTests
{
    [Fact]
    public async Task Default_data_has_every_status_and_ties_in_creation_time()
    {
        var sandbox = new InvoiceTools.Sandbox.InvoiceSandbox();
        using var connection = InvoiceTools.Connections.InvoiceConnectionFactory.Connect(new InvoiceTools.Requests.ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, SandboxInstance = sandbox.AsServer() });
        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        Assert.Equal(1200, invoices.Count);
        var byStatus = invoices.GroupBy(i => i.ProviderStatus!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new[] { "archived", "paid", "past_due", "pending" }, byStatus.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(byStatus, pair => Assert.True(pair.Value >= 20, pair.Key + " has only " + pair.Value));
        Assert.Contains(invoices.Zip(invoices.Skip(1)), pair => pair.First.CreatedAt == pair.Second.CreatedAt);
        Assert.Equal(invoices.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal).Select(i => i.Id), invoices.Select(i => i.Id));
        Assert.All(invoices.Where(i => i.Status == InvoiceStatus.Open), i => Assert.True(i.DueDate >= InvoiceTools.Sandbox.SandboxOptions.ReferenceNow));
        Assert.True(invoices.Select(i => i.CustomerName).Distinct().Count() >= 25);
        Assert.Equal(invoices.Select(i => i.Id), (await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync()).Select(i => i.Id));
    }
}
