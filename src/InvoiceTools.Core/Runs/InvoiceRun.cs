using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using InvoiceTools.Checkpoints;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Requests;

namespace InvoiceTools.Runs;

/// <summary>
/// One Get-Invoice command's reading of its connections: -Skip and -First counted across them, the -Checkpoint
/// workflow, the failure policy, the total (-IncludeTotalCount) and the -Id and -Number lookups. Everything it yields
/// goes to an <see cref="IInvoiceRunSink"/> on the calling thread, in the order a command writes it.
/// </summary>
/// <remarks>
/// <para>Every connection is planned before the first request. With one connection a filter it cannot apply, or a
/// rejected key, stops the run (<see cref="IInvoiceRunSink.OnStop"/>); over several (or piped ones) it is a
/// non-terminating error for that connection, after the invoices it returned, and the others are read.</para>
/// <para>Several connections without -First and -Checkpoint are read <see cref="InvoiceRunOptions.ThrottleLimit"/> at a
/// time and written one connection after another, in the order given; with -First or -Checkpoint they are read one
/// after another, so no account is asked for invoices that are not written.</para>
/// <para>One run per command; not thread-safe. A sink call that throws (a cmdlet's stopped pipeline) or a cancelled
/// token ends it where it is.</para>
/// </remarks>
public sealed class InvoiceRun
{
    private readonly InvoiceRunOptions _options;
    private readonly IInvoiceRunSink _sink;
    private readonly List<InvoiceProviderConnection> _together = new();
    private InvoiceQuery? _togetherQuery;
    private long _toSkip;
    private long? _toWrite;

    // With one connection the engine applies -Skip/-First itself (servers with offsets skip for free); across several
    // connections, or when a checkpoint hides unchanged invoices, they apply to what is written, so the run counts.
    private bool _runCounts;
    private bool _stopped;
    private long _combinedTotal;
    private bool _combinedTotalExact = true;
    private bool _anyTotal;
    private int _connectionsRead;
    private int _connectionsWithTotal;

    /// <summary>Creates the run of one command.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Skip or First is negative, or ThrottleLimit is outside 1 to <see cref="InvoiceRunOptions.MostThrottleLimit"/>.</exception>
    public InvoiceRun(InvoiceRunOptions options, IInvoiceRunSink sink)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        if (options.Skip < 0 || options.First < 0 || options.ThrottleLimit is < 1 or > InvoiceRunOptions.MostThrottleLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Skip and First cannot be negative; ThrottleLimit is 1 to {Count(InvoiceRunOptions.MostThrottleLimit)}.");
        }

        _toSkip = options.Skip;
        _toWrite = options.First;
        _runCounts = options.FromPipeline || options.CheckpointPath is not null;
    }

    /// <summary>
    /// Reads <paramref name="query"/> from <paramref name="connections"/> (one command's, or one pipeline input's).
    /// Connections read at once are written here, or at <see cref="End"/> when they come from the pipeline.
    /// </summary>
    public void Read(IReadOnlyList<InvoiceProviderConnection> connections, InvoiceQuery query, CancellationToken cancellationToken = default)
    {
        if (query is null)
        {
            throw new ArgumentNullException(nameof(query));
        }

        var several = Several(connections);
        if (_stopped)
        {
            return;
        }

        var readable = new List<InvoiceProviderConnection>();
        foreach (var connection in connections)
        {
            try
            {
                InvoiceEngine.Plan(connection, query);
                readable.Add(connection);
            }
            catch (InvoiceConfigurationException ex) when (several)
            {
                _sink.OnError(ex, connection);
            }
            catch (InvoiceConfigurationException ex)
            {
                Stop(ex, connection);
                return;
            }
        }

        if (_options.ThrottleLimit > 1 && _options.CheckpointPath is null && _toWrite is null && (readable.Count > 1 || _options.FromPipeline))
        {
            // Piped connections are gathered and read at once when the last has arrived.
            _together.AddRange(readable);
            _togetherQuery = query;
            if (!_options.FromPipeline)
            {
                ReadTogether(cancellationToken);
            }

            return;
        }

        foreach (var connection in readable)
        {
            if (_toWrite == 0)
            {
                // -First was met before this connection was read, so its invoices are not in the total.
                _combinedTotalExact = false;
                return;
            }

            var limits = _runCounts
                ? query with { Skip = 0, First = _options.CheckpointPath is null ? _toWrite + _toSkip : null }
                : query with { Skip = _toSkip, First = _toWrite };
            ReadOne(connection, limits, several, cancellationToken);
            if (_stopped)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Ends the run: reads the piped connections gathered to be read at once, then reports the total over several
    /// connections (an estimate when one of them reported none, or -First left one unread).
    /// </summary>
    public void End(CancellationToken cancellationToken = default)
    {
        if (_stopped)
        {
            return;
        }

        ReadTogether(cancellationToken);
        if (_options.IncludeTotalCount && _runCounts)
        {
            var exact = _combinedTotalExact && _connectionsWithTotal >= _connectionsRead;
            _sink.OnTotalCount(_combinedTotal, !_anyTotal ? 0.0 : exact ? 1.0 : 0.5);
        }
    }

    /// <summary>
    /// Looks <paramref name="ids"/> up with each connection's single-invoice endpoint, connection after connection,
    /// until every id is found. An id that cannot be any invoice's stops the run before any request; one no connection
    /// has is a non-terminating error with the id as target (with one connection, saying why).
    /// </summary>
    public void LookUpIds(IReadOnlyList<InvoiceProviderConnection> connections, IReadOnlyList<string?> ids, CancellationToken cancellationToken = default)
    {
        if (ids is null)
        {
            throw new ArgumentNullException(nameof(ids));
        }

        var several = Several(connections);
        if (_stopped)
        {
            return;
        }

        var missing = ids.Where(i => i is not null).Select(i => i!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in missing)
        {
            try
            {
                InvoiceEngine.CheckId(id, connections.Count == 1 ? connections[0].Kind : null);
            }
            catch (InvoiceConfigurationException ex)
            {
                Stop(ex, id);
                return;
            }
        }

        var causes = new Dictionary<string, Exception>(StringComparer.Ordinal);
        var satisfied = _toWrite == 0;
        foreach (var connection in connections)
        {
            if (missing.Count == 0 || satisfied)
            {
                break;
            }

            var observer = new PartObserver(_sink, 0, "Get-Invoice -Id", string.Empty, showProgress: false, onTotal: null);
            ReadConnection(connection, several, observer, () =>
            {
                foreach (var result in InvoiceEngine.GetInvoicesById(connection, missing.ToList(), observer, cancellationToken))
                {
                    if (result.Invoice is not null)
                    {
                        missing.Remove(result.Id);
                        if (!Deliver(result.Invoice, checkpoint: null))
                        {
                            satisfied = true;
                            return;
                        }
                    }
                    else if (result.Error is not null)
                    {
                        causes[result.Id] = result.Error;
                    }
                }
            });
            if (_stopped)
            {
                return;
            }
        }

        // Once -First is met the ids not looked up are not missing, only not asked for.
        foreach (var id in satisfied ? new List<string>() : missing)
        {
            _sink.OnError(InvoiceEngine.NotFound("id", id, connections, connections.Count == 1 && causes.TryGetValue(id, out var cause) ? cause : null), id);
        }
    }

    /// <summary>
    /// Looks each of <paramref name="numbers"/> up, connection after connection until found: with the provider's
    /// number filter where it has one, otherwise by reading the list until the number appears. A connection that
    /// cannot search by number is a non-terminating error for it; a number none has is one with the number as target.
    /// </summary>
    /// <param name="connections">Where to look, in order.</param>
    /// <param name="numbers">Human invoice numbers; blanks are ignored, and case does not make two numbers.</param>
    /// <param name="pageSize">Invoices per request (-PageSize), or null for the connection's.</param>
    /// <param name="cancellationToken">Stops the requests in flight.</param>
    public void LookUpNumbers(IReadOnlyList<InvoiceProviderConnection> connections, IReadOnlyList<string?> numbers, int? pageSize, CancellationToken cancellationToken = default)
    {
        if (numbers is null)
        {
            throw new ArgumentNullException(nameof(numbers));
        }

        var several = Several(connections);
        if (_stopped)
        {
            return;
        }

        var satisfied = _toWrite == 0;
        foreach (var number in numbers.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (satisfied)
            {
                return;
            }

            var query = new InvoiceQuery { Number = number, First = 1, PageSize = pageSize };
            var found = false;
            var searched = false;
            foreach (var connection in connections)
            {
                try
                {
                    InvoiceEngine.Plan(connection, query);
                }
                catch (InvoiceConfigurationException ex)
                {
                    _sink.OnError(ex, connection);
                    continue;
                }

                var observer = new PartObserver(_sink, 0, $"Get-Invoice -Number {number}", string.Empty, showProgress: true, onTotal: null);
                ReadConnection(connection, several, observer, () =>
                {
                    foreach (var invoice in InvoiceEngine.GetInvoices(connection, query, observer, cancellationToken))
                    {
                        found = true;
                        satisfied = !Deliver(invoice, checkpoint: null);
                    }
                });
                if (_stopped)
                {
                    return;
                }

                searched = true;
                if (found)
                {
                    break;
                }
            }

            if (!found && searched)
            {
                _sink.OnError(InvoiceEngine.NotFound("number", number, connections), number);
            }
        }
    }

    /// <summary>Whether this call reads as one over several connections; from then on -Skip and -First are the run's to count.</summary>
    private bool Several(IReadOnlyList<InvoiceProviderConnection> connections)
    {
        if (connections is null || connections.Count == 0 || connections.Any(c => c is null))
        {
            throw new ArgumentException("Give at least one connection, and no null.", nameof(connections));
        }

        var several = _options.FromPipeline || connections.Count > 1;
        _runCounts |= several;
        return several;
    }

    /// <summary>
    /// Reads the gathered connections at once (<see cref="ManyConnections"/>) and writes their invoices in the order of
    /// reading them one after another; a failure is reported where that connection's invoices end.
    /// </summary>
    private void ReadTogether(CancellationToken cancellationToken)
    {
        if (_together.Count == 0 || _togetherQuery is null)
        {
            return;
        }

        var connections = _together.Distinct().ToList();
        _together.Clear();
        if (_toWrite == 0)
        {
            _combinedTotalExact = false;
            return;
        }

        var limits = _togetherQuery with { Skip = 0, First = _toWrite + _toSkip };
        var observers = connections.ToDictionary(c => c, c => NewObserver(c, prefixed: connections.Count > 1, onTotal: null));
        var parts = connections.Select(c => new ConnectionRead(c, limits, observers[c])).ToList();
        _sink.OnVerbose($"Reading {Count(parts.Count)} connections, up to {Count(Math.Min(_options.ThrottleLimit, parts.Count))} at a time (-ThrottleLimit); invoices are written one connection after another, in the order given.");
        var ended = 0;
        try
        {
            foreach (var item in ManyConnections.Read(parts, _options.ThrottleLimit, cancellationToken: cancellationToken))
            {
                if (item.IsEnd)
                {
                    ended++;
                    observers[item.Part.Connection].Complete();
                    if (item.Failure is { } failure)
                    {
                        _sink.OnError(failure, item.Part.Connection);
                    }

                    continue;
                }

                if (!Deliver(item.Invoice!, checkpoint: null))
                {
                    // -First is met: the connections not read to their end are not in the total.
                    _combinedTotalExact &= ended == parts.Count;
                    break;
                }
            }
        }
        finally
        {
            foreach (var observer in observers.Values)
            {
                observer.Complete();
            }
        }
    }

    /// <summary>Reads one connection, with the checkpoint's scope when there is one, and saves that scope when the read completed.</summary>
    private void ReadOne(InvoiceProviderConnection connection, InvoiceQuery query, bool several, CancellationToken cancellationToken)
    {
        CheckpointScope? checkpoint = null;
        if (_options.CheckpointPath is { } path)
        {
            try
            {
                checkpoint = CheckpointFile.Open(path, connection, query);
            }
            catch (InvoiceConfigurationException ex)
            {
                Stop(ex, path);
                return;
            }

            _sink.OnVerbose(checkpoint.PreviousRunStartedAt is DateTimeOffset previous
                ? $"Checkpoint: the last successful run of this connection and query began {Time(previous)} and recorded {Count(checkpoint.PreviousCount)} invoice(s); only new or changed ones are returned."
                : $"Checkpoint: no earlier run of this connection and query in {path}; every invoice is returned and recorded.");
            query = checkpoint.Narrow(query, connection, out var note);
            if (note is not null)
            {
                _sink.OnVerbose(note);
            }
        }

        var startedAt = DateTimeOffset.UtcNow;
        var totalWritten = false;
        var observer = NewObserver(connection, prefixed: several, (total, exact) =>
        {
            if (_options.IncludeTotalCount && !_runCounts)
            {
                _sink.OnTotalCount(Math.Max(0, total), exact ? 1.0 : 0.5);
                totalWritten = true;
            }
        });
        var completed = ReadConnection(connection, several, observer, () =>
        {
            var stream = InvoiceEngine.GetInvoices(connection, query, observer, cancellationToken);
            foreach (var invoice in checkpoint?.OnlyNewOrChanged(stream) ?? stream)
            {
                if (!_runCounts)
                {
                    _sink.OnInvoice(invoice);
                }
                else if (!Deliver(invoice, checkpoint))
                {
                    break;
                }
            }

            if (_options.IncludeTotalCount && !_runCounts && !totalWritten)
            {
                _sink.OnTotalCount(0, 0.0);
            }
        });
        if (_stopped || checkpoint is null)
        {
            return;
        }

        if (!completed)
        {
            _sink.OnVerbose($"Checkpoint not updated: the run for '{connection.Name}' failed, so the next run returns the same invoices again.");
            return;
        }

        try
        {
            checkpoint.Commit(startedAt, DateTimeOffset.UtcNow);
            _sink.OnVerbose($"Checkpoint saved for '{connection.Name}': {Count(checkpoint.RecordedCount - checkpoint.UnchangedCount)} new or changed invoice(s) returned, {Count(checkpoint.UnchangedCount)} unchanged passed over.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvoiceConfigurationException)
        {
            _sink.OnCheckpointNotSaved(checkpoint.Path, ex);
        }
    }

    /// <summary>
    /// Runs one connection's part. A failure there is a non-terminating error after whatever was already written, so
    /// the next connection still runs; a rejected key stops the run unless it reads several connections. Returns
    /// whether the part completed.
    /// </summary>
    private bool ReadConnection(InvoiceProviderConnection connection, bool several, PartObserver observer, Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvoiceAuthenticationException ex) when (!several)
        {
            Stop(ex, connection);
            return false;
        }
        catch (InvoiceToolsException ex)
        {
            _sink.OnError(ex, connection);
            return false;
        }
        finally
        {
            observer.Complete();
        }
    }

    /// <summary>Writes <paramref name="invoice"/> unless -Skip passes it over; false once -First is met.</summary>
    private bool Deliver(Invoice invoice, CheckpointScope? checkpoint)
    {
        if (_toSkip > 0)
        {
            _toSkip--;
            return true;
        }

        _sink.OnInvoice(invoice);
        checkpoint?.Delivered(invoice);
        if (_toWrite is not long left)
        {
            return true;
        }

        _toWrite = left - 1;
        return _toWrite != 0;
    }

    private PartObserver NewObserver(InvoiceProviderConnection connection, bool prefixed, Action<long, bool>? onTotal)
    {
        _connectionsRead++;
        return new PartObserver(
            _sink,
            (connection.Name.GetHashCode() & 0x7FFFFFFF) % 100000,
            $"Get-Invoice {connection.Name}",
            prefixed ? $"[{connection.Name}] " : string.Empty,
            showProgress: true,
            (total, exact) =>
            {
                _anyTotal = true;
                _connectionsWithTotal++;
                _combinedTotal += Math.Max(0, total);
                _combinedTotalExact &= exact;
                onTotal?.Invoke(total, exact);
            });
    }

    private void Stop(Exception error, object target)
    {
        _stopped = true;
        _sink.OnStop(error, target);
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);

    /// <summary>One part's engine messages, passed to the sink with the part's prefix and progress activity.</summary>
    private sealed class PartObserver : IInvoiceStreamObserver
    {
        private readonly IInvoiceRunSink _sink;
        private readonly int _activityId;
        private readonly string _activity;
        private readonly string _prefix;
        private readonly bool _showProgress;
        private readonly Action<long, bool>? _onTotal;
        private bool _progressShown;

        public PartObserver(IInvoiceRunSink sink, int activityId, string activity, string prefix, bool showProgress, Action<long, bool>? onTotal)
        {
            _sink = sink;
            _activityId = activityId;
            _activity = activity;
            _prefix = prefix;
            _showProgress = showProgress;
            _onTotal = onTotal;
        }

        public void OnVerbose(string message) => _sink.OnVerbose(_prefix + message);

        public void OnDebug(string message) => _sink.OnDebug(_prefix + message);

        public void OnWarning(string message) => _sink.OnWarning(message);

        public void OnTotalCount(long total, bool exact) => _onTotal?.Invoke(total, exact);

        public void OnPage(PageProgress progress)
        {
            if (_showProgress)
            {
                _sink.OnProgress(_activityId, _activity, progress);
                _progressShown = true;
            }
        }

        /// <summary>Ends the part's progress activity if it reported a page; safe to call on every exit path.</summary>
        public void Complete()
        {
            if (_progressShown)
            {
                _progressShown = false;
                _sink.OnProgressEnd(_activityId);
            }
        }
    }
}
