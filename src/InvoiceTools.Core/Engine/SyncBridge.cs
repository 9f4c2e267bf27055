using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace InvoiceTools.Engine;

/// <summary>
/// Turns an async stream into a blocking one for PowerShell's pipeline thread. While it waits for the next item
/// it runs the observer calls the engine queued from worker threads, so verbose, warning and progress records are
/// written on the pipeline thread, in order, even during a long retry wait.
/// </summary>
internal static class SyncBridge
{
    /// <summary>Enumerates <paramref name="start"/>'s stream, relaying observer calls to <paramref name="target"/> on this thread.</summary>
    public static IEnumerable<T> Enumerate<T>(Func<IInvoiceStreamObserver, IAsyncEnumerable<T>> start, IInvoiceStreamObserver target, CancellationToken cancellationToken)
    {
        if (start is null)
        {
            throw new ArgumentNullException(nameof(start));
        }

        var relayed = target ?? NullInvoiceStreamObserver.Instance;
        return EnumerateCore(relayFor => start(relayFor(relayed)), cancellationToken);
    }

    /// <summary>
    /// Enumerates <paramref name="start"/>'s stream; the function it is given turns any observer into one whose calls
    /// run on this thread, so several streams (one per connection) can each report to their own observer.
    /// </summary>
    public static IEnumerable<T> Enumerate<T>(Func<Func<IInvoiceStreamObserver, IInvoiceStreamObserver>, IAsyncEnumerable<T>> start, CancellationToken cancellationToken)
    {
        if (start is null)
        {
            throw new ArgumentNullException(nameof(start));
        }

        return EnumerateCore(start, cancellationToken);
    }

    private static IEnumerable<T> EnumerateCore<T>(Func<Func<IInvoiceStreamObserver, IInvoiceStreamObserver>, IAsyncEnumerable<T>> start, CancellationToken cancellationToken)
    {
        using var inbox = new BlockingCollection<Action?>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var enumerator = start(target => new QueueingObserver(inbox, target ?? NullInvoiceStreamObserver.Instance)).GetAsyncEnumerator(stop.Token);
        Task<bool>? pending = null;
        try
        {
            while (true)
            {
                var move = enumerator.MoveNextAsync();
                bool hasItem;
                if (move.IsCompleted)
                {
                    hasItem = move.GetAwaiter().GetResult();
                }
                else
                {
                    pending = move.AsTask();
                    _ = pending.ContinueWith(static (_, state) => Signal((BlockingCollection<Action?>)state!), inbox, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    while (inbox.Take(CancellationToken.None) is { } action)
                    {
                        action();
                    }

                    hasItem = pending.GetAwaiter().GetResult();
                    pending = null;
                }

                Drain(inbox);
                if (!hasItem)
                {
                    break;
                }

                yield return enumerator.Current;
            }
        }
        finally
        {
            if (pending is not null)
            {
                // A relayed call threw (for example the pipeline stopped) while a page was in flight: abort it, let the
                // iterator unwind, and only then dispose it, so the original exception is the one that surfaces.
                stop.Cancel();
                try
                {
                    pending.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                }
            }

            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Drain(inbox);
            inbox.CompleteAdding();
        }

        void Drain(BlockingCollection<Action?> queue)
        {
            while (queue.TryTake(out var action))
            {
                action?.Invoke();
            }
        }
    }

    private static void Signal(BlockingCollection<Action?> inbox)
    {
        try
        {
            inbox.Add(null);
        }
        catch (InvalidOperationException)
        {
            // The consumer is gone (also covers ObjectDisposedException).
        }
    }

    /// <summary>Queues observer calls; they run on the enumerating thread when the bridge drains the queue.</summary>
    private sealed class QueueingObserver : IInvoiceStreamObserver
    {
        private readonly BlockingCollection<Action?> _inbox;
        private readonly IInvoiceStreamObserver _target;

        public QueueingObserver(BlockingCollection<Action?> inbox, IInvoiceStreamObserver target)
        {
            _inbox = inbox;
            _target = target;
        }

        public void OnVerbose(string message) => Post(t => t.OnVerbose(message));

        public void OnDebug(string message) => Post(t => t.OnDebug(message));

        public void OnWarning(string message) => Post(t => t.OnWarning(message));

        public void OnPage(PageProgress progress) => Post(t => t.OnPage(progress));

        public void OnTotalCount(long total, bool exact) => Post(t => t.OnTotalCount(total, exact));

        private void Post(Action<IInvoiceStreamObserver> call)
        {
            // A worker can still report after the consumer stopped (a cancelled retry); that message has nowhere to go.
            try
            {
                _inbox.Add(() => call(_target));
            }
            catch (InvalidOperationException)
            {
                // Also covers ObjectDisposedException.
            }
        }
    }
}
