using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Paging;

namespace InvoiceTools.Tests;

/// <summary>
/// The paging parts one at a time, over an in-memory list served by offset (no HTTP): the exact requests each part
/// sends, and the pages it hands out.
/// </summary>
public sealed class PagingPartsTests
{
    private static readonly PagingLabels Labels = new("Revere", "test", InvoiceProviderKind.Revere, uri => uri.PathAndQuery);

    /// <summary>A list of invoices served 10 at a time by offset, recording every request ("offset=N").</summary>
    private sealed class OffsetServer
    {
        private readonly ConcurrentDictionary<int, TaskCompletionSource<bool>> _gates = new();

        public OffsetServer(int count) => Ids = Enumerable.Range(0, count).Select(i => "inv" + i.ToString("D3", CultureInfo.InvariantCulture)).ToList();

        public List<string> Ids { get; }

        public ConcurrentQueue<string> Requests { get; } = new();

        /// <summary>Offsets answered with this exception.</summary>
        public Dictionary<int, Exception> Failures { get; } = new();

        /// <summary>Offsets answered with these ids instead (a list that changed), and the total they report.</summary>
        public Dictionary<int, Queue<(string[] Ids, long Total)>> Answers { get; } = new();

        /// <summary>When true, each answer waits until <see cref="Release"/> for its offset.</summary>
        public bool Held { get; init; }

        public long? Total { get; set; }

        public readonly OffsetLimitPaging Paging = new();

        public void Release(int offset) => Gate(offset).TrySetResult(true);

        public string[] Offsets => Requests.ToArray();

        public PageRequests Requester(CancellationToken cancellationToken = default) =>
            new((state, _) => new Uri("https://example.test/invoices?offset=" + ((OffsetState)state).Offset.ToString(CultureInfo.InvariantCulture)), SendAsync, cancellationToken);

        private TaskCompletionSource<bool> Gate(int offset) => _gates.GetOrAdd(offset, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));

        private async Task<(InvoicePage Page, bool Throttled)> SendAsync(Uri uri, CancellationToken cancellationToken)
        {
            var offset = int.Parse(uri.Query.AsSpan("?offset=".Length), NumberStyles.None, CultureInfo.InvariantCulture);
            Requests.Enqueue("offset=" + offset.ToString(CultureInfo.InvariantCulture));
            if (Held)
            {
                await Gate(offset).Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }

            if (Failures.TryGetValue(offset, out var failure))
            {
                throw failure;
            }

            string[] ids;
            long total;
            lock (Answers)
            {
                if (Answers.TryGetValue(offset, out var answers) && answers.Count > 0)
                {
                    (ids, total) = answers.Dequeue();
                }
                else
                {
                    ids = Ids.Skip(offset).Take(10).ToArray();
                    total = Total ?? Ids.Count;
                }
            }

            return (new InvoicePage(ids.Select(id => new Invoice { Id = id }).ToList()) { TotalCount = total }, false);
        }
    }

    private sealed class Report : IStreamReport
    {
        public List<string> Verbose { get; } = new();

        public List<string> Warnings { get; } = new();

        public List<int> Pages { get; } = new();

        public int ReadingAhead { get; private set; }

        public int PagesDone { get; private set; }

        public void OnVerbose(string message) => Verbose.Add(message);

        public void OnWarning(string message) => Warnings.Add(message);

        public void OnPage(FetchedPage page, long received) => Pages.Add(page.State.PageIndex + 1);

        public void OnReadingAhead() => ReadingAhead++;

        public void OnPagesDone() => PagesDone++;
    }

    private static ReadAhead ReadAheadOver(OffsetServer server, int prefetch = 1, int concurrency = 4, Func<long, bool>? wanted = null) =>
        new(server.Requester(), server.Paging, 10, prefetch, concurrency, wanted ?? (_ => true), _ => false, CancellationToken.None);

    private static async Task Settle(Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            await Task.Delay(10);
        }
    }

    [Fact]
    public void Each_pager_takes_only_its_own_state()
    {
        PagingStrategy offsets = new OffsetLimitPaging();
        PagingStrategy links = new NextLinkPaging();

        var error = Assert.Throws<ArgumentException>(() => offsets.Parameters(links.First(0), 10).ToList());
        Assert.Contains("NextLinkState is not a state of this pager, which takes OffsetState", error.Message, StringComparison.Ordinal);
        Assert.IsType<OffsetState>(offsets.First(30));
        Assert.Equal(new Uri("https://x.test/api?page=2"), links.Link(new NextLinkState { NextLink = new Uri("https://x.test/api?page=2") }));
        Assert.Null(offsets.Link(offsets.First(0)));
        Assert.False(offsets.SamePage(offsets.First(0), links.First(0)));
    }

    [Fact]
    public async Task Read_ahead_sends_nothing_before_the_consumer_asks_for_more_than_it_holds()
    {
        var server = new OffsetServer(100);
        var readAhead = ReadAheadOver(server);
        try
        {
            var first = await readAhead.NextAsync(server.Paging.First(0), 0, null);
            await Task.Delay(100);
            Assert.Equal(new[] { "offset=0" }, server.Offsets);

            readAhead.MoreWanted(first);
            await Settle(() => server.Requests.Count == 5);
            Assert.Equal(new[] { "offset=0", "offset=10", "offset=20", "offset=30", "offset=40" }, server.Offsets);
            Assert.True(readAhead.Parallel);
        }
        finally
        {
            await readAhead.StopAsync();
        }
    }

    [Fact]
    public async Task Read_ahead_hands_pages_out_in_order_when_they_complete_out_of_order()
    {
        var server = new OffsetServer(50) { Held = true };
        var readAhead = ReadAheadOver(server, concurrency: 3);
        try
        {
            var firstTask = readAhead.NextAsync(server.Paging.First(0), 0, null);
            server.Release(0);
            var held = await firstTask;
            readAhead.MoreWanted(held);
            Assert.Equal(new[] { "offset=0", "offset=10", "offset=20", "offset=30" }, server.Offsets);

            // The last page ahead arrives first, the next one last.
            server.Release(30);
            server.Release(20);
            var second = readAhead.NextAsync(server.Paging.Advance(held.State, held.Page, 10)!, 10, held.Uri);
            await Task.Delay(50);
            Assert.False(second.IsCompleted);
            server.Release(10);

            var handedOut = new List<FetchedPage> { held, await second };
            readAhead.MoreWanted(handedOut[^1]);
            server.Release(40);
            while (server.Paging.Advance(handedOut[^1].State, handedOut[^1].Page, 10) is { } next)
            {
                var page = await readAhead.NextAsync(next, handedOut.Sum(p => p.Page.Items.Count), handedOut[^1].Uri);
                handedOut.Add(page);
                readAhead.MoreWanted(page);
            }

            Assert.Equal(server.Ids, handedOut.SelectMany(p => p.Page.Items).Select(i => i.Id));
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, handedOut.Select(p => p.State.PageIndex));
            Assert.Equal(new[] { "offset=0", "offset=10", "offset=20", "offset=30", "offset=40" }, server.Offsets);
        }
        finally
        {
            await readAhead.StopAsync();
        }
    }

    [Fact]
    public async Task Read_ahead_requests_no_page_the_consumer_cannot_want()
    {
        // -First 25 without a module-side filter: the page from offset 30 cannot be needed.
        var server = new OffsetServer(100);
        var readAhead = ReadAheadOver(server, concurrency: 8, wanted: receivedBefore => receivedBefore < 25);
        try
        {
            var first = await readAhead.NextAsync(server.Paging.First(0), 0, null);
            readAhead.MoreWanted(first);
            await Task.Delay(100);
            Assert.Equal(new[] { "offset=0", "offset=10", "offset=20" }, server.Offsets);
        }
        finally
        {
            await readAhead.StopAsync();
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 4)]
    public async Task A_page_read_ahead_that_failed_is_the_pages_error_and_is_not_asked_for_again(int prefetch, int concurrency)
    {
        var server = new OffsetServer(100);
        server.Failures[10] = new InvoiceTransportException("offset 10 failed after 3 attempts");
        var readAhead = ReadAheadOver(server, prefetch, concurrency);
        try
        {
            var first = await readAhead.NextAsync(server.Paging.First(0), 0, null);
            readAhead.MoreWanted(first);
            var error = await Assert.ThrowsAsync<InvoiceTransportException>(() => readAhead.NextAsync(server.Paging.Advance(first.State, first.Page, 10)!, 10, first.Uri));

            Assert.Same(server.Failures[10], error);
            Assert.Equal(1, server.Offsets.Count(o => o == "offset=10"));
        }
        finally
        {
            await readAhead.StopAsync();
        }
    }

    [Fact]
    public async Task Chained_pages_are_read_prefetch_deep()
    {
        var items = Enumerable.Range(0, 50).Select(i => "c" + i.ToString("D2", CultureInfo.InvariantCulture)).ToList();
        var requests = new ConcurrentQueue<string>();
        var paging = new CursorPaging("limit", "after");
        var pages = new PageRequests(
            (state, _) => new Uri("https://example.test/invoices?after=" + (((CursorState)state).Cursor ?? "start")),
            async (uri, _) =>
            {
                var after = uri.Query.Substring("?after=".Length);
                requests.Enqueue(after);
                await Task.Yield();
                var start = after == "start" ? 0 : items.IndexOf(after) + 1;
                return (new InvoicePage(items.Skip(start).Take(10).Select(id => new Invoice { Id = id }).ToList()), false);
            },
            CancellationToken.None);
        var readAhead = new ReadAhead(pages, paging, 10, prefetch: 2, concurrency: 4, _ => true, _ => false, CancellationToken.None);
        try
        {
            var first = await readAhead.NextAsync(paging.First(0), 0, null);
            readAhead.MoreWanted(first);
            await Settle(() => requests.Count == 3);
            await Task.Delay(50);

            Assert.False(readAhead.Parallel);
            Assert.Equal(new[] { "start", "c09", "c19" }, requests.ToArray());
        }
        finally
        {
            await readAhead.StopAsync();
        }
    }

    [Fact]
    public async Task The_page_source_asks_for_a_repeated_page_once_more_then_stops_when_the_total_did_not_change()
    {
        var server = new OffsetServer(100);
        server.Answers[10] = new Queue<(string[], long)>(new[] { (server.Ids.Take(10).ToArray(), 100L), (server.Ids.Take(10).ToArray(), 100L) });
        var report = new Report();
        var source = new PageSource(server.Paging, 10, 0, server.Requester(), _ => false, Labels, report);

        var first = await source.NextAsync(0);
        var error = await Assert.ThrowsAsync<InvoicePagingException>(() => source.NextAsync(10));

        Assert.Equal(0, first!.State.PageIndex);
        Assert.Equal(new[] { "offset=0", "offset=10", "offset=10" }, server.Offsets);
        Assert.Contains("returned the same 10 invoice(s) again for page 2 (GET /invoices?offset=10)", error.Message, StringComparison.Ordinal);
        Assert.Contains("The 10 invoice(s) already returned are kept.", error.Message, StringComparison.Ordinal);
        Assert.Equal("/invoices?offset=10", error.RequestUri);
        Assert.Equal(new[] { "Revere returned only invoices of the previous page for page 2; requesting it once more." }, report.Verbose);
    }

    [Fact]
    public async Task The_page_source_keeps_a_repeated_page_that_is_right_when_asked_again()
    {
        var server = new OffsetServer(30);
        server.Answers[10] = new Queue<(string[], long)>(new[] { (server.Ids.Take(10).ToArray(), 30L) });
        var report = new Report();
        var source = new PageSource(server.Paging, 10, 0, server.Requester(), _ => false, Labels, report);

        var ids = new List<string>();
        while (await source.NextAsync(ids.Count) is { } page)
        {
            ids.AddRange(page.Page.Items.Select(i => i.Id));
        }

        Assert.Equal(server.Ids, ids);
        Assert.Equal(new[] { "offset=0", "offset=10", "offset=10", "offset=20" }, server.Offsets);
        Assert.Equal(30, source.Received);
        Assert.Equal("Revere: paging ended after page 3: all 30 invoice(s) the provider reported were received.", report.Verbose[^1]);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task The_page_source_fetches_a_page_read_ahead_again_when_the_total_changed_and_warns_once()
    {
        var server = new OffsetServer(40) { Held = true };
        server.Answers[20] = new Queue<(string[], long)>(new[] { (server.Ids.Skip(20).Take(10).ToArray(), 41L) });
        var report = new Report();
        var readAhead = ReadAheadOver(server, concurrency: 4);
        var source = new PageSource(server.Paging, 10, 0, readAhead, _ => false, Labels, report);
        try
        {
            var firstTask = source.NextAsync(0);
            server.Release(0);
            var first = (await firstTask)!;
            source.MoreWanted(first);
            Assert.Equal(new[] { "offset=0", "offset=10", "offset=20", "offset=30" }, server.Offsets);
            server.Release(10);
            server.Release(20);
            server.Release(30);

            var second = (await source.NextAsync(10))!;
            source.MoreWanted(second);
            var third = (await source.NextAsync(20))!;

            // Page 3 came ahead with a total of 41: asked again after page 2, with the total back at 40.
            Assert.Equal(new[] { "offset=0", "offset=10", "offset=20", "offset=30", "offset=20" }, server.Offsets);
            Assert.False(third.Ahead);
            Assert.Equal(server.Ids.Skip(20).Take(10), third.Page.Items.Select(i => i.Id));
            Assert.Equal("Revere reported 41 invoices instead of 40 on page 3, which was fetched in parallel; fetching it again after the previous page so that no invoice falls between the two.", Assert.Single(report.Verbose));
            Assert.Empty(report.Warnings);
            Assert.False(source.WarnedTotalChange);
        }
        finally
        {
            await source.StopAsync();
        }
    }

    [Fact]
    public async Task The_page_source_sends_a_failed_page_once()
    {
        var server = new OffsetServer(100);
        server.Failures[20] = new InvoiceTransportException("offset 20 failed");
        var source = new PageSource(server.Paging, 10, 0, server.Requester(), _ => false, Labels, new Report());

        await source.NextAsync(0);
        await source.NextAsync(10);
        await Assert.ThrowsAsync<InvoiceTransportException>(() => source.NextAsync(20));

        Assert.Equal(new[] { "offset=0", "offset=10", "offset=20" }, server.Offsets);
    }

    [Fact]
    public async Task The_stream_writes_each_invoice_once_in_the_whole_run_then_filters_skips_and_takes()
    {
        // An insert of more than a page moves invoices of page 1 onto page 3: remembering only the previous page would write them twice.
        var server = new OffsetServer(40);
        server.Answers[20] = new Queue<(string[], long)>(new[] { (server.Ids.Take(5).Concat(server.Ids.Skip(20).Take(5)).ToArray(), 40L) });
        var report = new Report();
        var source = new PageSource(server.Paging, 10, 0, server.Requester(), _ => false, Labels, report);
        var stream = new InvoiceStream(source, i => i.Id.EndsWith('0') || i.Id.EndsWith('2') || i.Id.EndsWith('4'), skip: 1, first: 6, Labels, report);

        var ids = new List<string>();
        await foreach (var invoice in stream.ReadAsync())
        {
            Assert.Equal("test", invoice.Connection);
            ids.Add(invoice.Id);
        }

        // Matches in order: 000 002 004 010 012 014 (000..004 again: skipped) 020 022 024 ...; -Skip 1, -First 6.
        Assert.Equal(new[] { "inv002", "inv004", "inv010", "inv012", "inv014", "inv020" }, ids);
        Assert.Equal(5, stream.Duplicates);
        Assert.Equal(new[] { "offset=0", "offset=10", "offset=20" }, server.Offsets);
        Assert.Equal(new[] { 1, 2, 3 }, report.Pages);
        Assert.Equal(5, report.Verbose.Count(v => v.StartsWith("Skipped invoice inv00", StringComparison.Ordinal)));
        Assert.Equal("Stopped after 6 invoice(s), all that was asked for; nothing further is requested.", report.Verbose[^1]);
        Assert.Equal(1, report.PagesDone);
        Assert.DoesNotContain(report.Verbose, v => v.Contains("done,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stream_warns_about_duplicates_when_the_total_did_not_say_the_list_changed()
    {
        var server = new OffsetServer(30);
        server.Answers[20] = new Queue<(string[], long)>(new[] { (server.Ids.Skip(5).Take(10).ToArray(), 30L) });
        var report = new Report();
        var source = new PageSource(server.Paging, 10, 0, server.Requester(), _ => false, Labels, report);
        var stream = new InvoiceStream(source, _ => true, skip: 0, first: null, Labels, report);

        var ids = new List<string>();
        await foreach (var invoice in stream.ReadAsync())
        {
            ids.Add(invoice.Id);
        }

        Assert.Equal(server.Ids.Take(20), ids);
        Assert.Equal("Revere connection 'test': 10 invoice(s) came again on later pages because invoices were added while paging; each was returned once. Invoices added during the run may be missing: run it again for a complete list.", Assert.Single(report.Warnings));
        Assert.Equal("Revere: done, 20 of the 30 invoice(s) received passed the query's filters, in 3 page request(s) (retries not counted).", report.Verbose[^1]);
    }

    [Fact]
    public async Task The_stream_reads_a_last_page_once_because_a_large_answer_is_read_from_its_body_on_every_pass()
    {
        var items = new CountingList(Enumerable.Range(0, 50).Select(i => new Invoice { Id = "big" + i.ToString(CultureInfo.InvariantCulture) }).ToList());
        var paging = new PageNumberPaging();
        var pages = new PageRequests((_, _) => new Uri("https://example.test/invoices"), (_, _) => Task.FromResult((new InvoicePage(items) { HasMore = false }, false)), CancellationToken.None);
        var report = new Report();
        var stream = new InvoiceStream(new PageSource(paging, 100, 0, pages, _ => false, Labels, report), _ => true, skip: 0, first: null, Labels, report);

        var count = 0;
        await foreach (var _ in stream.ReadAsync())
        {
            count++;
        }

        Assert.Equal(50, count);
        Assert.Equal(1, items.Passes);
    }

    /// <summary>A page's invoices that count how often they are walked.</summary>
    private sealed class CountingList : IReadOnlyList<Invoice>
    {
        private readonly List<Invoice> _items;

        public CountingList(List<Invoice> items) => _items = items;

        public int Passes { get; private set; }

        public int Count => _items.Count;

        public Invoice this[int index] => _items[index];

        public IEnumerator<Invoice> GetEnumerator()
        {
            Passes++;
            return _items.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    public async Task The_stream_over_read_ahead_requests_only_the_pages_First_needs(int first, int requests)
    {
        var server = new OffsetServer(100);
        var report = new Report();
        var readAhead = ReadAheadOver(server, prefetch: 1, concurrency: 4, wanted: receivedBefore => receivedBefore < first);
        var source = new PageSource(server.Paging, 10, 0, readAhead, _ => false, Labels, report);
        var stream = new InvoiceStream(source, _ => true, skip: 0, first: first, Labels, report);

        var ids = new List<string>();
        await foreach (var invoice in stream.ReadAsync())
        {
            ids.Add(invoice.Id);
        }

        Assert.Equal(server.Ids.Take(first), ids);
        Assert.Equal(requests, server.Requests.Count);
        Assert.Equal(requests > 1 ? 1 : 0, report.ReadingAhead);
    }
}
