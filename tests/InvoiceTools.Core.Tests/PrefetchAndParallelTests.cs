using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Paging;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Prefetch and parallel pages change when requests go out, never what comes out.</summary>
public sealed class PrefetchAndParallelTests
{
    public static TheoryData<InvoiceProviderKind, int, int, int> Modes()
    {
        var data = new TheoryData<InvoiceProviderKind, int, int, int>();
        foreach (var kind in new[] { InvoiceProviderKind.Revere, InvoiceProviderKind.Opterius, InvoiceProviderKind.Kitchen, InvoiceProviderKind.Xendit, InvoiceProviderKind.Revolv3 })
        {
            foreach (var (prefetch, concurrency) in new[] { (1, 4), (3, 1), (0, 8), (2, 2) })
            {
                data.Add(kind, 17, prefetch, concurrency);
            }
        }

        data.Add(InvoiceProviderKind.Revere, 100, 1, 4);
        data.Add(InvoiceProviderKind.Kitchen, 1, 1, 16);
        return data;
    }

    private static InvoiceProviderConnection Connect(InvoiceSandbox sandbox, InvoiceProviderKind kind, PagingOptions paging) =>
        InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = kind, Sandbox = true, SandboxInstance = sandbox.AsServer(), Paging = LoopbackSandbox.Pinned(paging) });

    /// <summary>A query string as a set of pairs, so "page=3&amp;per_page=7" and "per_page=7&amp;page=3" compare equal.</summary>
    private static string Normalized(string query) => string.Join("&", query.Split('&').OrderBy(p => p, StringComparer.Ordinal));

    private static int PageNumberOf(string query) =>
        int.Parse(query.Split('&').Single(p => p.StartsWith("page=", StringComparison.Ordinal)).AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);

    private static (List<string> Ids, List<string> Queries) Run(InvoiceProviderKind kind, PagingOptions paging, InvoiceQuery query, Action<InvoiceSandbox>? arrange = null)
    {
        var sandbox = new InvoiceSandbox();
        arrange?.Invoke(sandbox);
        using var connection = Connect(sandbox, kind, paging);
        var ids = InvoiceEngine.GetInvoices(connection, query).Select(i => i.Id).ToList();
        Assert.Equal(0, sandbox.InFlight);
        return (ids, sandbox.Requests.Select(r => Normalized(r.QueryString)).ToList());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Taking_the_first_invoice_sends_one_request_in_every_mode(InvoiceProviderKind kind, int pageSize, int prefetch, int concurrency)
    {
        // What `Get-Invoice | Select-Object -First 1` does: take one invoice, then dispose the stream.
        var paging = new PagingOptions { Prefetch = prefetch, PageConcurrency = concurrency };
        var query = new InvoiceQuery { PageSize = pageSize };
        var sandbox = new InvoiceSandbox();
        using (var connection = Connect(sandbox, kind, paging))
        {
            var first = InvoiceEngine.GetInvoices(connection, query).First();
            Assert.False(string.IsNullOrEmpty(first.Id));
        }

        Assert.Single(sandbox.Requests);
        Assert.Equal(0, sandbox.InFlight);

        var asyncSandbox = new InvoiceSandbox();
        using (var connection = Connect(asyncSandbox, kind, paging))
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, query))
            {
                Assert.False(string.IsNullOrEmpty(invoice.Id));
                break;
            }
        }

        Assert.Single(asyncSandbox.Requests);
    }

    public static TheoryData<InvoiceProviderKind, int, int> InsertCases()
    {
        var data = new TheoryData<InvoiceProviderKind, int, int>();
        foreach (var kind in ProviderKinds.BuiltIn)
        {
            foreach (var (prefetch, concurrency) in new[] { (0, 1), (1, 4), (3, 8) })
            {
                data.Add(kind, prefetch, concurrency);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InsertCases))]
    public void Inserting_more_than_a_page_while_paging_writes_no_invoice_twice_and_warns_truthfully(InvoiceProviderKind kind, int prefetch, int concurrency)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, kind, new PagingOptions { Prefetch = prefetch, PageConcurrency = concurrency });
        var before = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 50 }).Select(i => i.Id).ToList();
        var api = kind switch
        {
            InvoiceProviderKind.Revere => (SandboxApi)sandbox.Revere,
            InvoiceProviderKind.Revolv3 => sandbox.Revolv3,
            InvoiceProviderKind.Opterius => sandbox.Opterius,
            InvoiceProviderKind.Kitchen => sandbox.Kitchen,
            _ => sandbox.Xendit,
        };
        var requests = 0;
        IReadOnlyList<string> added = Array.Empty<string>();
        sandbox.BeforeAnswer = _ =>
        {
            if (++requests == 3)
            {
                added = api.AddNewest(60);
            }
        };
        var observer = new RecordingObserver();

        var ids = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 50 }, observer).Select(i => i.Id).ToList();

        Assert.Equal(60, added.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Empty(before.Except(ids));
        Assert.Empty(ids.Except(before).Except(added));
        var skipped = observer.Verbose.Count(m => m.StartsWith("Skipped invoice ", StringComparison.Ordinal));
        if (skipped > 0)
        {
            // Whatever the provider reports, the one warning says that duplicates were skipped and that invoices may be missing.
            var warning = Assert.Single(observer.Warnings);
            Assert.True(warning.Contains("duplicates are skipped", StringComparison.Ordinal) || warning.Contains($"{skipped} invoice(s) came again on later pages", StringComparison.Ordinal), warning);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void First_with_a_filter_the_module_applies_reads_no_page_it_cannot_need(int first)
    {
        // Kitchen filters statuses in the module. When the first page holds the matches -First asks for, nothing else is asked.
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, InvoiceProviderKind.Kitchen, PagingOptions.Default);
        var query = new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid }, PageSize = 10 };
        var pageOne = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 10, First = 10 }).Where(i => i.Status == InvoiceStatus.Paid).Select(i => i.Id).ToList();
        Assert.True(pageOne.Count >= first, "the first page holds the matches");
        sandbox.ClearRequests();

        var found = InvoiceEngine.GetInvoices(connection, query with { First = first }).Select(i => i.Id).ToList();

        Assert.Equal(pageOne.Take(first), found);
        Assert.Single(sandbox.Requests);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, 4)]
    [InlineData(InvoiceProviderKind.Kitchen, 4)]
    [InlineData(InvoiceProviderKind.Opterius, 4)]
    [InlineData(InvoiceProviderKind.Xendit, 1)]
    [InlineData(InvoiceProviderKind.Revolv3, 1)]
    public void Asking_for_a_second_invoice_starts_reading_ahead(InvoiceProviderKind kind, int pagesAhead)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, kind, new PagingOptions { Prefetch = 1, PageConcurrency = 4 });
        using var stream = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 10 }).GetEnumerator();
        Assert.True(stream.MoveNext());
        Assert.Single(sandbox.Requests);

        Assert.True(stream.MoveNext());
        SpinWait.SpinUntil(() => sandbox.Requests.Count == 1 + pagesAhead, TimeSpan.FromSeconds(10));
        Assert.Equal(1 + pagesAhead, sandbox.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_mode_returns_exactly_the_sequential_order_and_requests_the_same_pages(InvoiceProviderKind kind, int pageSize, int prefetch, int concurrency)
    {
        var query = new InvoiceQuery { PageSize = pageSize };
        var sequential = Run(kind, PagingOptions.Sequential, query);

        var scheduled = Run(kind, new PagingOptions { Prefetch = prefetch, PageConcurrency = concurrency }, query);

        Assert.True(sequential.Ids.Count > 3 * pageSize, "the data set spans several pages");
        Assert.Equal(sequential.Ids, scheduled.Ids);
        Assert.Equal(sequential.Ids.Count, scheduled.Ids.Distinct().Count());
        Assert.Equal(sequential.Queries.OrderBy(q => q, StringComparer.Ordinal), scheduled.Queries.OrderBy(q => q, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Kitchen_pages_addressed_by_number_keep_the_filters_of_every_link_variant(bool absoluteLinks, bool linksKeepQuery)
    {
        void Arrange(InvoiceSandbox sandbox)
        {
            sandbox.Kitchen.AbsoluteLinks = absoluteLinks;
            sandbox.Kitchen.LinksKeepQuery = linksKeepQuery;
        }

        var query = new InvoiceQuery { PageSize = 20, State = KitchenState.All };
        var sequential = Run(InvoiceProviderKind.Kitchen, PagingOptions.Sequential, query, Arrange);

        var parallel = Run(InvoiceProviderKind.Kitchen, new PagingOptions { PageConcurrency = 4 }, query, Arrange);

        Assert.Equal(350, parallel.Ids.Count);
        Assert.Equal(sequential.Ids, parallel.Ids);
        Assert.All(parallel.Queries, q => Assert.Contains("state=all", q, StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(2, 17), parallel.Queries.Skip(1).Select(PageNumberOf).OrderBy(p => p));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, "limit=100&offset=0", "limit=100&offset=100")]
    [InlineData(InvoiceProviderKind.Opterius, "page=1&per_page=100", "page=2&per_page=100")]
    [InlineData(InvoiceProviderKind.Kitchen, "per_page=100", "page=2&per_page=100")]
    [InlineData(InvoiceProviderKind.Xendit, "limit=100", "last_invoice")]
    [InlineData(InvoiceProviderKind.Revolv3, "page=1&pageSize=100", "page=2&pageSize=100")]
    public void First_1_sends_one_request_and_First_150_sends_two_in_every_default_mode(InvoiceProviderKind kind, string firstQuery, string secondQueryPart)
    {
        var one = Run(kind, PagingOptions.Default, new InvoiceQuery { First = 1, PageSize = 100 });
        var many = Run(kind, PagingOptions.Default, new InvoiceQuery { First = 150, PageSize = 100 });

        Assert.Single(one.Ids);
        Assert.Equal(new[] { Normalized(firstQuery) }, one.Queries);
        Assert.Equal(150, many.Ids.Count);
        Assert.Equal(2, many.Queries.Count);
        Assert.Equal(Normalized(firstQuery), many.Queries[0]);
        Assert.Contains(secondQueryPart, many.Queries[1], StringComparison.Ordinal);
    }

    [Fact]
    public void First_with_skip_on_parallel_pages_asks_only_for_the_pages_it_needs()
    {
        var result = Run(InvoiceProviderKind.Opterius, PagingOptions.Default, new InvoiceQuery { Skip = 30, First = 50, PageSize = 20 });
        var all = Run(InvoiceProviderKind.Opterius, PagingOptions.Sequential, new InvoiceQuery { PageSize = 20 });

        Assert.Equal(all.Ids.Skip(30).Take(50), result.Ids);
        Assert.Equal(new[] { 1, 2, 3, 4 }, result.Queries.Select(PageNumberOf).OrderBy(p => p));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere)]
    [InlineData(InvoiceProviderKind.Xendit)]
    public async Task Cancelling_mid_page_leaves_no_request_running(InvoiceProviderKind kind)
    {
        var sandbox = new InvoiceSandbox(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(300) });
        using var connection = Connect(sandbox, kind, new PagingOptions { Prefetch = 2, PageConcurrency = 4 });
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, cancellationToken: cancel.Token))
            {
                if (++seen == 10)
                {
                    Assert.True(SpinWait.SpinUntil(() => sandbox.InFlight > 0, TimeSpan.FromSeconds(5)), "the next pages are in flight while the first is consumed");
                    cancel.Cancel();
                }
            }
        });

        Assert.Equal(10, seen);
        Assert.Equal(0, sandbox.InFlight);
    }

    [Fact]
    public void First_reached_with_a_client_filter_cancels_the_prefetched_page()
    {
        var sandbox = new InvoiceSandbox(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(200) });
        using var connection = Connect(sandbox, InvoiceProviderKind.Kitchen, new PagingOptions { Prefetch = 1, PageConcurrency = 1 });
        var target = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 5 }).Last();
        sandbox.ClearRequests();

        var found = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { Number = target.Number, First = 1 }).ToList();

        Assert.Equal(target.Id, Assert.Single(found).Id);
        Assert.InRange(sandbox.Requests.Count, 1, 2);
        Assert.Equal(0, sandbox.InFlight);
    }

    [Fact]
    public void Invoices_inserted_while_pages_are_fetched_in_parallel_are_neither_lost_nor_duplicated()
    {
        var sandbox = new InvoiceSandbox(new SandboxOptions { RevereInvoiceCount = 1000 });
        var original = sandbox.Revere.Ids.ToList();
        var inserted = 0;
        sandbox.BeforeAnswer = request =>
        {
            if (request.QueryString.Contains("offset=300", StringComparison.Ordinal) && Interlocked.Exchange(ref inserted, 1) == 0)
            {
                for (var i = 0; i < 3; i++)
                {
                    sandbox.Revere.AddInvoice(SandboxOptions.ReferenceNow.AddMinutes(i));
                }
            }
        };
        using var connection = Connect(sandbox, InvoiceProviderKind.Revere, new PagingOptions { PageConcurrency = 4 });
        var observer = new RecordingObserver();

        var ids = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All, observer).Select(i => i.Id).ToList();

        Assert.Equal(original, ids);
        Assert.Contains(observer.Verbose, v => v.StartsWith("Skipped invoice ", StringComparison.Ordinal));
        var warning = Assert.Single(observer.Warnings);
        Assert.Contains("from 1000 to 1003", warning, StringComparison.Ordinal);
        Assert.Contains("Revere Payments", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoices_deleted_while_paging_are_reported_as_a_possibly_incomplete_result()
    {
        var sandbox = new InvoiceSandbox(new SandboxOptions { RevereInvoiceCount = 500 });
        var removed = 0;
        sandbox.BeforeAnswer = request =>
        {
            if (request.QueryString.Contains("offset=200", StringComparison.Ordinal) && Interlocked.Exchange(ref removed, 1) == 0)
            {
                sandbox.Revere.RemoveNewest(2);
            }
        };
        using var connection = Connect(sandbox, InvoiceProviderKind.Revere, PagingOptions.Sequential);
        var observer = new RecordingObserver();

        var ids = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All, observer).Select(i => i.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        var warning = Assert.Single(observer.Warnings);
        Assert.Contains("from 500 to 498", warning, StringComparison.Ordinal);
        Assert.Contains("may be incomplete", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_429_halves_the_parallel_pages_for_the_rest_of_the_run()
    {
        var sandbox = new InvoiceSandbox(new SandboxOptions { RevereInvoiceCount = 2000 });
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Revere,
            Sandbox = true,
            SandboxInstance = sandbox.AsServer(),
            Paging = LoopbackSandbox.Pinned(new PagingOptions { PageConcurrency = 4 }),
            TimeProvider = new RecordingTimeProvider(),
        });
        var observer = new RecordingObserver();
        sandbox.BeforeAnswer = request =>
        {
            if (request.QueryString.Contains("offset=300", StringComparison.Ordinal) && sandbox.Requests.Count(r => r.QueryString.Contains("offset=300", StringComparison.Ordinal)) == 1)
            {
                sandbox.InjectFault(SandboxFault.RateLimited("1"), api: RevereApi.ApiName);
            }
        };

        var ids = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All, observer).Select(i => i.Id).ToList();

        Assert.Equal(sandbox.Revere.Ids, ids);
        Assert.Contains(observer.Verbose, v => v.Contains("429 Too Many Requests: at most 2 page(s) at a time", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Kitchen)]
    [InlineData(InvoiceProviderKind.Opterius)]
    public void Newest_first_paging_stops_once_a_page_passes_CreatedAfter(InvoiceProviderKind kind)
    {
        var all = Run(kind, PagingOptions.Sequential, new InvoiceQuery { PageSize = 50 });
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, kind, PagingOptions.Default);
        var listed = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 50 }).ToList();
        var bound = listed[129].CreatedAt!.Value;
        sandbox.ClearRequests();
        var observer = new RecordingObserver();

        var recent = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 50, CreatedAfter = bound }, observer).ToList();

        Assert.Equal(listed.Where(i => i.CreatedAt > bound).Select(i => i.Id), recent.Select(i => i.Id));
        Assert.True(all.Queries.Count > 5);
        Assert.Equal(3, sandbox.Requests.Count);
        Assert.Contains(observer.Verbose, v => v.Contains("page 3 reached invoices created before -CreatedAfter", StringComparison.Ordinal));
    }

    public static TheoryData<string, int, int> ReadAheadModes() => new()
    {
        { "sequential", 0, 1 },
        { "next page ahead", 1, 1 },
        { "4 pages at once", 1, 4 },
        { "8 pages at once", 3, 8 },
    };

    /// <summary>Revere with 300 invoices in pages of 50, 3 attempts per request, on a clock whose waits pass at once.</summary>
    private static (InvoiceSandbox Sandbox, InvoiceProviderConnection Connection, RecordingTimeProvider Clock) RevereWithRetries(int prefetch, int concurrency)
    {
        var sandbox = new InvoiceSandbox(new SandboxOptions { RevereInvoiceCount = 300 });
        var clock = new RecordingTimeProvider();
        var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Revere,
            Sandbox = true,
            SandboxInstance = sandbox.AsServer(),
            Paging = LoopbackSandbox.Pinned(new PagingOptions { Prefetch = prefetch, PageConcurrency = concurrency }),
            Retry = new Http.RetryOptions { MaxAttempts = 3 },
            TimeProvider = clock,
        });
        return (sandbox, connection, clock);
    }

    private static int RequestsFor(InvoiceSandbox sandbox, string offset) =>
        sandbox.Requests.Count(r => r.QueryString.Split('&').Contains(offset));

    /// <summary>Revere's sandbox answers <paramref name="fault"/> to requests for the page at <paramref name="offset"/> ("offset=50"), whoever asks for it.</summary>
    private static void FailPage(InvoiceSandbox sandbox, string offset, SandboxFault fault, bool firstRequestOnly = false)
    {
        var failed = 0;
        sandbox.BeforeAnswer = request =>
        {
            if (request.QueryString.Split('&').Contains(offset) && (!firstRequestOnly || Interlocked.Exchange(ref failed, 1) == 0))
            {
                sandbox.InjectFault(fault, api: RevereApi.ApiName);
            }
        };
    }

    /// <summary>Reads 50-invoice pages until the run fails; the ids returned before the failure, and the failure.</summary>
    private static (List<string> Ids, TException Error) ReadUntilFailure<TException>(InvoiceProviderConnection connection)
        where TException : Exception
    {
        var ids = new List<string>();
        var error = Assert.ThrowsAny<TException>(() =>
        {
            foreach (var invoice in InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 50 }))
            {
                ids.Add(invoice.Id);
            }
        });
        return (ids, error);
    }

    [Theory]
    [MemberData(nameof(ReadAheadModes))]
    public void A_page_that_keeps_failing_has_one_retry_budget_in_every_read_ahead_mode(string mode, int prefetch, int concurrency)
    {
        // The server answers 503 to every request for the page at offset 50, whoever asks for it.
        var (sandbox, connection, clock) = RevereWithRetries(prefetch, concurrency);
        using var _ = connection;
        FailPage(sandbox, "offset=50", SandboxFault.Status(503));

        var (ids, error) = ReadUntilFailure<InvoiceToolsException>(connection);

        Assert.Equal(sandbox.Revere.Ids.Take(50), ids);
        Assert.True(RequestsFor(sandbox, "offset=50") == 3, $"{mode}: {RequestsFor(sandbox, "offset=50")} requests for the failing page");
        Assert.Equal(3, error.Attempts);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, clock.Delays.Count(d => d > TimeSpan.Zero && d < Http.RetryOptions.Default.AttemptTimeout));
    }

    [Theory]
    [MemberData(nameof(ReadAheadModes))]
    public void A_page_that_fails_once_is_retried_once_and_nothing_is_lost_in_every_read_ahead_mode(string mode, int prefetch, int concurrency)
    {
        var (sandbox, connection, clock) = RevereWithRetries(prefetch, concurrency);
        using var _ = connection;
        FailPage(sandbox, "offset=150", SandboxFault.Status(503), firstRequestOnly: true);

        var ids = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 50 }).Select(i => i.Id).ToList();

        Assert.Equal(sandbox.Revere.Ids, ids);
        Assert.True(RequestsFor(sandbox, "offset=150") == 2, $"{mode}: {RequestsFor(sandbox, "offset=150")} requests for the page that failed once");
        Assert.Equal(7, sandbox.Requests.Count);
        Assert.Single(clock.Delays, d => d > TimeSpan.Zero && d < Http.RetryOptions.Default.AttemptTimeout);
    }

    [Theory]
    [MemberData(nameof(ReadAheadModes))]
    public void A_wait_hint_longer_than_allowed_is_honoured_by_not_asking_again_in_every_read_ahead_mode(string mode, int prefetch, int concurrency)
    {
        // Retry-After: 999999 is beyond -MaxRetryWaitSeconds: the page is not asked for again, by any path.
        var (sandbox, connection, _) = RevereWithRetries(prefetch, concurrency);
        using var __ = connection;
        FailPage(sandbox, "offset=100", SandboxFault.RateLimited("999999"));

        var (ids, error) = ReadUntilFailure<InvoiceRateLimitException>(connection);
        Assert.IsType<InvoiceRateLimitException>(error);

        Assert.Equal(sandbox.Revere.Ids.Take(100), ids);
        Assert.True(RequestsFor(sandbox, "offset=100") == 1, $"{mode}: {RequestsFor(sandbox, "offset=100")} requests for the throttled page");
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_failure_on_a_page_nobody_waits_for_any_more_does_not_escape()
    {
        var paging = new OffsetLimitPaging();
        var requests = new PageRequests(
            (state, _) => new Uri("https://example.test/invoices?offset=" + ((OffsetState)state).Offset),
            async (uri, token) =>
            {
                var offset = int.Parse(uri.Query.AsSpan("?offset=".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
                await Task.Yield();
                if (offset == 20)
                {
                    throw new InvalidOperationException("a bug in a page nobody reads");
                }

                return (new InvoicePage(Enumerable.Range(offset, 10).Select(i => new Invoice { Id = "inv" + i }).ToList()) { TotalCount = 100 }, false);
            },
            CancellationToken.None);
        var scheduler = new ReadAhead(requests, paging, 10, prefetch: 1, concurrency: 4, _ => true, _ => false, CancellationToken.None);

        var first = await scheduler.NextAsync(paging.First(0), 0, null);
        scheduler.MoreWanted(first);
        await scheduler.StopAsync();

        Assert.Equal(10, first.Page.Items.Count);
        Assert.Equal(5, scheduler.Started);
    }

    [Fact]
    public async Task After_a_429_no_more_than_the_lowered_number_of_pages_is_requested_ahead()
    {
        // The scheduler alone, with pages that arrive at once: what it keeps outstanding is exactly what it asked for.
        const int Pages = 20;
        var consumed = 0;
        var started = 0;
        var outstandingAtStart = new List<(int Page, int Outstanding)>();
        var throttledPage = 3;
        var paging = new OffsetLimitPaging();
        var requests = new PageRequests(
            (state, _) => new Uri("https://example.test/invoices?offset=" + ((OffsetState)state).Offset),
            (uri, _) =>
            {
                var offset = int.Parse(uri.Query.AsSpan("?offset=".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
                var page = offset / 10;
                outstandingAtStart.Add((page, ++started - consumed));
                var items = Enumerable.Range(offset, 10).Select(i => new Invoice { Id = "inv" + i }).ToList();
                return Task.FromResult((new InvoicePage(items) { TotalCount = Pages * 10 }, page == throttledPage));
            },
            CancellationToken.None);
        var scheduler = new ReadAhead(requests, paging, 10, prefetch: 1, concurrency: 4, _ => true, _ => false, CancellationToken.None);
        var lowered = new List<int>();
        scheduler.Throttled = lowered.Add;
        var received = new List<string>();
        try
        {
            PageState? expected = paging.First(0);
            while (expected is not null)
            {
                var fetched = await scheduler.NextAsync(expected, received.Count, null);
                consumed++;
                scheduler.MoreWanted(fetched);
                received.AddRange(fetched.Page.Items.Select(i => i.Id));
                expected = paging.Advance(fetched.State, fetched.Page, 10);
            }
        }
        finally
        {
            await scheduler.StopAsync();
        }

        Assert.Equal(Enumerable.Range(0, Pages * 10).Select(i => "inv" + i), received);
        Assert.Equal(new[] { 2 }, lowered);
        Assert.Equal(Pages, started);
        Assert.All(outstandingAtStart.Where(s => s.Page <= throttledPage + 1), s => Assert.InRange(s.Outstanding, 1, 5));
        Assert.All(outstandingAtStart.Where(s => s.Page > throttledPage + 4), s => Assert.InRange(s.Outstanding, 1, 3));
    }
}

public sealed class IdHashSetTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(250_000)]
    public void Holds_each_hash_once_across_growth_including_zero(int count)
    {
        var set = new IdHashSet();
        var reference = new HashSet<ulong>();
        var random = new Random(count);
        var hashes = Enumerable.Range(0, count).Select(i => i % 7 == 0 ? (ulong)i : (ulong)random.NextInt64()).Append(0UL).Append(0UL).ToList();

        foreach (var hash in hashes)
        {
            Assert.Equal(reference.Add(hash == 0 ? 1 : hash), set.Add(hash));
        }

        Assert.Equal(reference.Count, set.Count);
        Assert.All(hashes, h => Assert.False(set.Add(h)));
    }

    [Fact]
    public void Ids_hash_apart_and_the_same_id_hashes_alike()
    {
        Assert.Equal(InvoiceIds.Hash("in_4371eb121b2440bcaccef40e"), InvoiceIds.Hash("in_4371eb121b2440bcaccef40e"));
        var ids = Enumerable.Range(0, 100_000).Select(i => "RV-2026-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + "-INV").ToList();
        Assert.Equal(ids.Count, ids.Select(InvoiceIds.Hash).Distinct().Count());
    }
}
