using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Requests;

namespace InvoiceTools.Engine;

/// <summary>One connection's part of a run over several: its query and the observer its messages go to.</summary>
internal sealed class ConnectionRead
{
    /// <summary>Creates a part.</summary>
    public ConnectionRead(InvoiceProviderConnection connection, InvoiceQuery query, IInvoiceStreamObserver? observer = null)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        Query = query ?? throw new ArgumentNullException(nameof(query));
        Observer = observer ?? NullInvoiceStreamObserver.Instance;
    }

    /// <summary>The connection read.</summary>
    public InvoiceProviderConnection Connection { get; }

    /// <summary>What is read from it.</summary>
    public InvoiceQuery Query { get; }

    /// <summary>Where its verbose, warning, progress and total messages go (on the enumerating thread).</summary>
    public IInvoiceStreamObserver Observer { get; }
}

/// <summary>
/// What a run over several connections yields, in order: a part's invoices, then that part's end, which is
/// <see cref="Failure"/> when it failed (after the invoices it returned) and neither an invoice nor a failure when it completed.
/// </summary>
internal sealed class ConnectionReadItem
{
    private ConnectionReadItem(ConnectionRead part, Invoice? invoice, InvoiceToolsException? failure)
    {
        Part = part;
        Invoice = invoice;
        Failure = failure;
    }

    /// <summary>The part this item belongs to.</summary>
    public ConnectionRead Part { get; }

    /// <summary>An invoice of the part, or null at the part's end.</summary>
    public Invoice? Invoice { get; }

    /// <summary>Why the part ended early, or null.</summary>
    public InvoiceToolsException? Failure { get; }

    /// <summary>True at the part's end (completed or failed).</summary>
    public bool IsEnd => Invoice is null;

    internal static ConnectionReadItem Of(ConnectionRead part, Invoice invoice) => new(part, invoice, null);

    internal static ConnectionReadItem End(ConnectionRead part, InvoiceToolsException? failure) => new(part, null, failure);
}

/// <summary>
/// Reads several connections at once and returns their invoices in the order of the parts, as reading them one after
/// another would: connection 1's invoices, its end, connection 2's, and so on. Up to <c>throttleLimit</c> connections
/// are read at a time, each into a buffer of at most <c>bufferPerConnection</c> invoices (a full buffer pauses its
/// reader), so later connections are fetched while earlier ones are written and memory stays bounded.
/// </summary>
internal static class ManyConnections
{
    /// <summary>The default number of connections read at once (-ThrottleLimit): 5, as ForEach-Object -Parallel.</summary>
    public const int DefaultThrottleLimit = 5;

    /// <summary>The most connections read at once.</summary>
    public const int MostThrottleLimit = 16;

    /// <summary>Invoices one connection may hold ahead of the pipeline: about 20 MB of typical invoices.</summary>
    public const int DefaultBufferPerConnection = 10_000;

    /// <summary>
    /// The items of <paramref name="parts"/>, in order. Observer calls arrive on the enumerating thread. Stopping the
    /// enumeration (or <paramref name="cancellationToken"/>) cancels every read in flight. A failure of one part is
    /// its end item; any other exception ends the run.
    /// </summary>
    public static IEnumerable<ConnectionReadItem> Read(IReadOnlyList<ConnectionRead> parts, int throttleLimit = DefaultThrottleLimit, int bufferPerConnection = DefaultBufferPerConnection, CancellationToken cancellationToken = default)
    {
        if (parts is null)
        {
            throw new ArgumentNullException(nameof(parts));
        }

        if (throttleLimit is < 1 or > MostThrottleLimit || bufferPerConnection < 1)
        {
            throw new ArgumentOutOfRangeException(throttleLimit is < 1 or > MostThrottleLimit ? nameof(throttleLimit) : nameof(bufferPerConnection));
        }

        // Every part is planned before the first request, so a query a connection cannot run fails before anything is sent.
        var plans = parts.Select(p => InvoiceEngine.Plan(p.Connection, p.Query)).ToList();
        return SyncBridge.Enumerate(relayFor => ReadAsync(parts, plans, relayFor, throttleLimit, bufferPerConnection, default), cancellationToken);
    }

    private static async IAsyncEnumerable<ConnectionReadItem> ReadAsync(
        IReadOnlyList<ConnectionRead> parts,
        List<QueryPlan> plans,
        Func<IInvoiceStreamObserver, IInvoiceStreamObserver> relayFor,
        int throttleLimit,
        int bufferPerConnection,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(throttleLimit);
        var buffers = parts.Select(_ => new PartBuffer(bufferPerConnection)).ToList();
        var readers = new List<Task>();
        var starter = Task.Run(
            async () =>
            {
                for (var i = 0; i < parts.Count; i++)
                {
                    await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                    var index = i;
                    lock (readers)
                    {
                        readers.Add(Task.Run(() => ReadPartAsync(parts[index], plans[index], relayFor(parts[index].Observer), buffers[index], slots, stop.Token)));
                    }
                }
            },
            stop.Token);
        try
        {
            for (var i = 0; i < parts.Count; i++)
            {
                while (true)
                {
                    var item = await buffers[i].TakeAsync(stop.Token).ConfigureAwait(false);
                    if (item.Error is { } error)
                    {
                        throw error;
                    }

                    yield return item.Item!;
                    if (item.Item!.IsEnd)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                await starter.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            Task[] running;
            lock (readers)
            {
                running = readers.ToArray();
            }

            // Readers end on cancellation and swallow their own failures; waiting means no request outlives the run.
            await Task.WhenAll(running).ConfigureAwait(false);
            foreach (var buffer in buffers)
            {
                buffer.Dispose();
            }
        }
    }

    private static async Task ReadPartAsync(ConnectionRead part, QueryPlan plan, IInvoiceStreamObserver observer, PartBuffer buffer, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var invoice in InvoiceEngine.StreamPlannedAsync(part.Connection, plan, observer, cancellationToken).ConfigureAwait(false))
            {
                await buffer.AddAsync(new Buffered(ConnectionReadItem.Of(part, invoice), null), cancellationToken).ConfigureAwait(false);
            }

            await buffer.AddAsync(new Buffered(ConnectionReadItem.End(part, null), null), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (InvoiceToolsException ex)
        {
            await AddLastAsync(buffer, new Buffered(ConnectionReadItem.End(part, ex), null), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await AddLastAsync(buffer, new Buffered(null, ex), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task AddLastAsync(PartBuffer buffer, Buffered item, CancellationToken cancellationToken)
    {
        try
        {
            await buffer.AddAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private readonly struct Buffered
    {
        public Buffered(ConnectionReadItem? item, Exception? error)
        {
            Item = item;
            Error = error;
        }

        public ConnectionReadItem? Item { get; }

        public Exception? Error { get; }
    }

    /// <summary>A bounded queue between one part's reader and the consumer.</summary>
    private sealed class PartBuffer : IDisposable
    {
        private readonly ConcurrentQueue<Buffered> _queue = new();
        private readonly SemaphoreSlim _items = new(0);
        private readonly SemaphoreSlim _space;

        public PartBuffer(int capacity) => _space = new SemaphoreSlim(capacity);

        public async Task AddAsync(Buffered item, CancellationToken cancellationToken)
        {
            await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
            _queue.Enqueue(item);
            _items.Release();
        }

        public async Task<Buffered> TakeAsync(CancellationToken cancellationToken)
        {
            await _items.WaitAsync(cancellationToken).ConfigureAwait(false);
            _queue.TryDequeue(out var item);
            _space.Release();
            return item;
        }

        public void Dispose()
        {
            _items.Dispose();
            _space.Dispose();
        }
    }
}
