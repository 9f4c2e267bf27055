using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace InvoiceTools.Paging;

/// <summary>
/// Reads pages ahead of the consumer, over <see cref="PageRequests"/>. The contract:
/// <list type="bullet">
/// <item>Nothing is requested ahead before the consumer asks for more than what it holds (<see cref="MoreWanted"/>), so
/// a consumer that stops within the page it holds costs no further request.</item>
/// <item>Only pages the consumer may still want are requested: none that starts after the invoices it can want
/// (<c>wanted</c>), none after the page where the list ends for it (<c>lastWanted</c>).</item>
/// <item>Pages addressable from a known total (<see cref="PagingStrategy.Predict"/>) are requested
/// <see cref="Concurrency"/> at a time; pages chained by a cursor or link, <c>prefetch</c> deep. Either way they are
/// handed out strictly in order, and a page is used only if it is the one sequential paging asks for next; anything
/// else is cancelled and the right page fetched, so the result never depends on the schedule.</item>
/// <item>A page answered with a 429 halves <see cref="Concurrency"/> for the rest of the run.</item>
/// <item>A page read ahead that failed has spent its one retry budget: its error is the page's error, never a
/// second request.</item>
/// </list>
/// </summary>
internal sealed class ReadAhead : IPages
{
    private readonly PageRequests _requests;
    private readonly PagingStrategy _paging;
    private readonly int _pageSize;
    private readonly Func<long, bool> _wanted;
    private readonly Func<InvoicePage, bool> _lastWanted;
    private readonly Queue<Entry> _window = new();
    private readonly List<Entry> _discarded = new();
    private readonly CancellationTokenSource _run;
    private readonly int _prefetch;
    private int _step;

    /// <param name="requests">Sends one request per page.</param>
    /// <param name="paging">The provider's pager.</param>
    /// <param name="pageSize">Invoices asked for per page.</param>
    /// <param name="prefetch">Chained pages requested ahead (0 to 8; 0 turns chained read-ahead off).</param>
    /// <param name="concurrency">Pages requested at once when they can be addressed from a known total (1 turns it off).</param>
    /// <param name="wanted">False when a page starting after this many received invoices cannot be needed (-First without client filters).</param>
    /// <param name="lastWanted">True when no page after this one can be needed (newest-first order passed -CreatedAfter).</param>
    /// <param name="cancellationToken">Stops everything.</param>
    public ReadAhead(
        PageRequests requests,
        PagingStrategy paging,
        int pageSize,
        int prefetch,
        int concurrency,
        Func<long, bool> wanted,
        Func<InvoicePage, bool> lastWanted,
        CancellationToken cancellationToken)
    {
        _requests = requests;
        _paging = paging;
        _pageSize = pageSize;
        _wanted = wanted;
        _lastWanted = lastWanted;
        _prefetch = prefetch;
        Concurrency = concurrency;
        _run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Pages fetched at once in parallel mode; halved by every throttled page.</summary>
    public int Concurrency { get; private set; }

    /// <summary>True once the first page showed the provider's pages can be addressed from the total.</summary>
    public bool Parallel { get; private set; }

    /// <inheritdoc />
    public int Started => _requests.Started;

    /// <summary>Called with the new concurrency when a 429 lowered it.</summary>
    public Action<int>? Throttled { get; set; }

    /// <summary>The head of the window when it is <paramref name="expected"/>, else a request sent now.</summary>
    /// <inheritdoc />
    public async Task<FetchedPage> NextAsync(PageState expected, long receivedBefore, Uri? previousUri, bool again = false)
    {
        if (again)
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

        var entry = Start(expected, _requests.Address(expected, previousUri), receivedBefore, ahead: false);
        try
        {
            return (await entry.Task.ConfigureAwait(false))!;
        }
        finally
        {
            entry.Dispose();
        }
    }

    /// <summary>Requests the pages after <paramref name="held"/> that the consumer may still want, as far ahead as allowed.</summary>
    /// <inheritdoc />
    public void MoreWanted(FetchedPage held)
    {
        if (held is null)
        {
            throw new ArgumentNullException(nameof(held));
        }

        if (held.Throttled)
        {
            HalveConcurrency();
        }

        try
        {
            if (held.State.PageIndex == 0)
            {
                DecideMode(held);
            }

            if (_lastWanted(held.Page))
            {
                return;
            }

            if (Parallel)
            {
                SchedulePredicted(held);
            }
            else
            {
                ScheduleChained(held);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Reading ahead is an optimisation: the consumer works out the next page itself and reports any problem
            // with it after this page's invoices.
            Parallel = false;
        }
    }

    /// <inheritdoc />
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

    private void HalveConcurrency()
    {
        if (Concurrency > 1)
        {
            Concurrency = Math.Max(1, Concurrency / 2);
            Throttled?.Invoke(Concurrency);
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
                uri = _requests.Address(next, current.Uri);
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
            uri = _requests.Address(next, previous.Uri);
        }
        catch (Exception ex) when (ex is InvoiceToolsException or UriFormatException)
        {
            return null;
        }

        return await _requests.SendAsync(next, uri, receivedBefore, ahead: false, cancellationToken).ConfigureAwait(false);
    }

    private Entry Start(PageState state, Uri uri, long receivedBefore, bool ahead)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_run.Token);
        return new Entry(state, receivedBefore, AsNullable(_requests.SendAsync(state, uri, receivedBefore, ahead, cancellation.Token)), cancellation);
    }

    private static async Task<FetchedPage?> AsNullable(Task<FetchedPage> task) => await task.ConfigureAwait(false);

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

    /// <summary>A page requested ahead: its state when known at scheduling time (parallel), and the request.</summary>
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
