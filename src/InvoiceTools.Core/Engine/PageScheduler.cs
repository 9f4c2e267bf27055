using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace InvoiceTools.Engine;

/// <summary>One page as it arrived, with where it came from.</summary>
internal sealed class FetchedPage
{
    public FetchedPage(PageState state, Uri uri, InvoicePage page, long receivedBefore, bool ahead, bool throttled)
    {
        State = state;
        Uri = uri;
        Page = page;
        ReceivedBefore = receivedBefore;
        Ahead = ahead;
        Throttled = throttled;
    }

    public PageState State { get; }

    public Uri Uri { get; }

    public InvoicePage Page { get; }

    /// <summary>Invoices received on the pages before this one.</summary>
    public long ReceivedBefore { get; }

    /// <summary>True when the request may have gone out before the previous page's answer (parallel paging), so it may predate a change the previous page saw.</summary>
    public bool Ahead { get; }

    /// <summary>True when the provider answered 429 on the way.</summary>
    public bool Throttled { get; }
}

/// <summary>
/// Keeps the next pages in flight while the consumer works through the current one, and hands them out strictly in
/// order. Pages that must be read one after another (cursor, next link) are chained, <c>Prefetch</c> deep; pages
/// the provider lets us address from a known total are fetched <c>PageConcurrency</c> at a time. A scheduled page
/// is used only if it is the page sequential paging would ask for next; anything else is cancelled and the right
/// page fetched, so the result never depends on the schedule.
/// </summary>
internal sealed class PageScheduler
{
    private readonly PagingStrategy _paging;
    private readonly int _pageSize;
    private readonly Func<PageState, Uri?, Uri> _address;
    private readonly Func<Uri, CancellationToken, Task<(InvoicePage Page, bool Throttled)>> _fetch;
    private readonly Func<long, bool> _wanted;
    private readonly Func<InvoicePage, bool> _lastWanted;
    private readonly Queue<Entry> _window = new();
    private readonly List<Entry> _discarded = new();
    private readonly CancellationTokenSource _run;
    private readonly int _prefetch;
    private int _step;
    private int _started;

    /// <param name="paging">The provider's paging.</param>
    /// <param name="pageSize">Invoices asked for per page.</param>
    /// <param name="options">How far ahead to read.</param>
    /// <param name="address">The URL for a page state, given the URL the previous page came from.</param>
    /// <param name="fetch">Sends one request and parses the page.</param>
    /// <param name="wanted">False when a page starting after this many received invoices cannot be needed (-First without client filters).</param>
    /// <param name="lastWanted">True when no page after this one can be needed (newest-first order passed -CreatedAfter).</param>
    /// <param name="cancellationToken">Stops everything.</param>
    public PageScheduler(
        PagingStrategy paging,
        int pageSize,
        PagingOptions options,
        Func<PageState, Uri?, Uri> address,
        Func<Uri, CancellationToken, Task<(InvoicePage Page, bool Throttled)>> fetch,
        Func<long, bool> wanted,
        Func<InvoicePage, bool> lastWanted,
        CancellationToken cancellationToken)
    {
        _paging = paging;
        _pageSize = pageSize;
        _address = address;
        _fetch = fetch;
        _wanted = wanted;
        _lastWanted = lastWanted;
        _prefetch = options.Prefetch;
        Concurrency = options.PageConcurrency;
        _run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Pages fetched at once in parallel mode; halved by every throttled page.</summary>
    public int Concurrency { get; private set; }

    /// <summary>True once the first page showed the provider's pages can be addressed from the total.</summary>
    public bool Parallel { get; private set; }

    /// <summary>Requests started, for tests and -Verbose.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>
    /// The page for <paramref name="expected"/>: the head of the window when it is that page, else fetched now.
    /// <paramref name="fresh"/> forces a new request sent after everything consumed so far.
    /// </summary>
    public async Task<FetchedPage> NextAsync(PageState expected, long receivedBefore, Uri? previousUri, bool fresh = false)
    {
        if (fresh)
        {
            DiscardWindow();
        }

        while (_window.Count > 0)
        {
            var head = _window.Dequeue();
            if (head.State is { } scheduled && !_paging.SamePage(expected, scheduled))
            {
                Discard(head);
                DiscardWindow();
                break;
            }

            // A page read ahead that failed has spent its one retry budget, with every wait hint honoured; asking again
            // would double its attempts and ignore the last hint, so its error is the page's error.
            FetchedPage? fetched;
            try
            {
                fetched = await head.Task.ConfigureAwait(false);
            }
            finally
            {
                head.Dispose();
            }

            if (fetched is not null && _paging.SamePage(expected, fetched.State))
            {
                if (_paging.Confirms(fetched.State, fetched.Page))
                {
                    return fetched;
                }

                // The server did not serve the page asked for by number: stop predicting and follow its links.
                Parallel = false;
            }

            DiscardWindow();
        }

        var entry = Start(expected, _address(expected, previousUri), receivedBefore, ahead: false);
        try
        {
            return (await entry.Task.ConfigureAwait(false))!;
        }
        finally
        {
            entry.Dispose();
        }
    }

    /// <summary>Schedules the pages after <paramref name="current"/>, as far ahead as allowed. Call it before consuming the page, so the network works while the pipeline does.</summary>
    public void ScheduleAfter(FetchedPage current)
    {
        if (current is null)
        {
            throw new ArgumentNullException(nameof(current));
        }

        if (current.Throttled)
        {
            HalveConcurrency();
        }

        try
        {
            if (current.State.PageIndex == 0)
            {
                DecideMode(current);
            }

            if (_lastWanted(current.Page))
            {
                return;
            }

            if (Parallel)
            {
                SchedulePredicted(current);
            }
            else
            {
                ScheduleChained(current);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Reading ahead is an optimisation: the consumer works out the next page itself and reports any problem
            // with it after this page's invoices.
            Parallel = false;
        }
    }

    private void HalveConcurrency()
    {
        if (Concurrency > 1)
        {
            Concurrency = Math.Max(1, Concurrency / 2);
            Throttled?.Invoke(Concurrency);
        }
    }

    /// <summary>Called with the new concurrency when a 429 lowered it.</summary>
    public Action<int>? Throttled { get; set; }

    /// <summary>Cancels whatever is in flight and waits until it has stopped, so nothing is left running.</summary>
    public async Task StopAsync()
    {
        _run.Cancel();
        DiscardWindow();
        try
        {
            foreach (var entry in _discarded)
            {
                try
                {
                    await entry.Task.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Cancelled on purpose, or failed after it was no longer wanted: nobody is waiting for this page.
                }
                finally
                {
                    entry.Dispose();
                }
            }
        }
        finally
        {
            _discarded.Clear();
            _run.Dispose();
        }
    }

    private void DecideMode(FetchedPage first)
    {
        var hasNext = _paging.Advance(first.State, first.Page, _pageSize) is not null;
        _step = first.Page.Items.Count;
        Parallel = Concurrency > 1 && hasNext && _step > 0 && _paging.Predict(first.State, first.Page, _step) is not null;
    }

    private void SchedulePredicted(FetchedPage current)
    {
        var tailState = current.State;
        var receivedBefore = current.ReceivedBefore + current.Page.Items.Count;
        foreach (var entry in _window)
        {
            tailState = entry.State!;
            receivedBefore = entry.ReceivedBefore + _step;
        }

        while (_window.Count < Concurrency)
        {
            var next = _paging.Predict(tailState, current.Page, _step);
            if (next is null || !_wanted(receivedBefore))
            {
                return;
            }

            Uri uri;
            try
            {
                uri = _address(next, current.Uri);
            }
            catch (Exception ex) when (ex is InvoiceToolsException or UriFormatException)
            {
                // A link that must not (or cannot) be followed: the consumer meets the error when it reaches that page.
                return;
            }

            _window.Enqueue(Start(next, uri, receivedBefore, ahead: true));
            tailState = next;
            receivedBefore += _step;
        }
    }

    private void ScheduleChained(FetchedPage current)
    {
        var tail = Task.FromResult<FetchedPage?>(current);
        foreach (var entry in _window)
        {
            tail = entry.Task;
        }

        while (_window.Count < _prefetch)
        {
            var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_run.Token);
            var entry = new Entry(null, 0, ChainAsync(tail, cancellation.Token), cancellation);
            _window.Enqueue(entry);
            tail = entry.Task;
        }
    }

    private async Task<FetchedPage?> ChainAsync(Task<FetchedPage?> previousTask, CancellationToken cancellationToken)
    {
        FetchedPage? previous;
        PageState? next;
        try
        {
            previous = await previousTask.ConfigureAwait(false);
            next = previous is null || _lastWanted(previous.Page) ? null : _paging.Advance(previous.State, previous.Page, _pageSize);
        }
        catch (Exception)
        {
            // The consumer meets the same failure on the page itself, or works out the next page again and reports it.
            return null;
        }

        if (next is null || previous is null)
        {
            return null;
        }

        var receivedBefore = previous.ReceivedBefore + previous.Page.Items.Count;
        if (!_wanted(receivedBefore))
        {
            return null;
        }

        Uri uri;
        try
        {
            uri = _address(next, previous.Uri);
        }
        catch (Exception ex) when (ex is InvoiceToolsException or UriFormatException)
        {
            return null;
        }

        return await FetchAsync(next, uri, receivedBefore, ahead: false, cancellationToken).ConfigureAwait(false);
    }

    private Entry Start(PageState state, Uri uri, long receivedBefore, bool ahead)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_run.Token);
        return new Entry(state, receivedBefore, FetchAsync(state, uri, receivedBefore, ahead, cancellation.Token), cancellation);
    }

    private async Task<FetchedPage?> FetchAsync(PageState state, Uri uri, long receivedBefore, bool ahead, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        var (page, throttled) = await _fetch(uri, cancellationToken).ConfigureAwait(false);
        return new FetchedPage(state, uri, page, receivedBefore, ahead, throttled);
    }

    private void DiscardWindow()
    {
        while (_window.Count > 0)
        {
            Discard(_window.Dequeue());
        }
    }

    private void Discard(Entry entry)
    {
        entry.Cancel();
        _discarded.RemoveAll(Forget);
        _discarded.Add(entry);
    }

    /// <summary>Lets go of a discarded page that has finished, so a long run keeps only the requests still in flight.</summary>
    private static bool Forget(Entry entry)
    {
        if (!entry.Task.IsCompleted)
        {
            return false;
        }

        _ = entry.Task.Exception;
        entry.Dispose();
        return true;
    }

    /// <summary>A scheduled page: its state when known at scheduling time (parallel), and the request.</summary>
    private sealed class Entry : IDisposable
    {
        private readonly CancellationTokenSource _cancellation;

        public Entry(PageState? state, long receivedBefore, Task<FetchedPage?> task, CancellationTokenSource cancellation)
        {
            State = state;
            ReceivedBefore = receivedBefore;
            Task = task;
            _cancellation = cancellation;
        }

        public PageState? State { get; }

        public long ReceivedBefore { get; }

        public Task<FetchedPage?> Task { get; }

        public void Cancel()
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose() => _cancellation.Dispose();
    }
}
