using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Checkpoints;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using Microsoft.PowerShell.Commands;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Streams invoices from one or more provider connections, every page, as typed objects.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Invoice", SupportsPaging = true, DefaultParameterSetName = ListSet, HelpUri = HelpLinks.Base + "Get-Invoice.md")]
[OutputType(typeof(Invoice))]
public sealed class GetInvoiceCommand : InvoiceToolsCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";
    private const string NumberSet = "Number";

    // Boxed: a Core enum field would make loading this type need InvoiceTools.Core before the module's resolver runs.
    private object? _state;

    /// <summary>Connections (objects or names) to read; the session's default when omitted. A piped invoice, or a row with a Connection column, names its own connection.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public InvoiceProviderConnection[]? Connection { get; set; }

    /// <summary>Invoice ids to look up with the provider's single-invoice endpoint (also from the pipeline by property name). A missing id is a non-terminating error; the other ids still come out.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>Human invoice numbers to look up: with the provider's number filter where it has one (Revolv3), otherwise by reading the list until found.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NumberSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Number { get; set; }

    /// <summary>A checkpoint file, in an existing folder: only invoices that are new or changed (update time or status; a content hash where the provider has no update time) since the last successful run of this connection and query are returned. The file is updated only when the run ends without error.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Checkpoint { get; set; }

    /// <summary>Only invoices in these normalized statuses. Tab offers the statuses the connection's provider can have; Unknown matches provider statuses the module does not know.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(StatusCompleter))]
    [ValidateEnumNames(typeof(InvoiceStatus))]
    [ValidateNotNullOrEmpty]
    public string[]? Status { get; set; }

    /// <summary>Only invoices created after this time (no offset means UTC).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [DateTimeInput]
    public DateTime CreatedAfter { get; set; }

    /// <summary>Only invoices created before this time (no offset means UTC).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [DateTimeInput]
    public DateTime CreatedBefore { get; set; }

    /// <summary>Only invoices whose customer name, company, e-mail or id contains this text (case-insensitive). With *, ? or a [set] it is a wildcard over the whole value, as -like: 'harbor*' starts with harbor, '*harbor*' contains it. Revere searches on its server, in its partners' names only (partner_name): e-mails and ids are not matched there.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Customer { get; set; }

    /// <summary>Revolv3: only invoices last updated after this time (uses the v1 endpoint).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [DateTimeInput]
    public DateTime UpdatedAfter { get; set; }

    /// <summary>Revolv3: only invoices last updated before this time (uses the v1 endpoint).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [DateTimeInput]
    public DateTime UpdatedBefore { get; set; }

    /// <summary>Revolv3: only invoices of this merchant customer reference (merchantCustomerRefId; uses the v1 endpoint).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? CustomerReference { get; set; }

    /// <summary>Kitchen: Active (Kitchen's default), Archived, or All invoices.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public KitchenState State
    {
        get => _state is KitchenState value ? value : default;
        set => _state = value;
    }

    /// <summary>Xendit: only invoices paid after this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [DateTimeInput]
    public DateTime PaidAfter { get; set; }

    /// <summary>Xendit: only invoices paid before this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [DateTimeInput]
    public DateTime PaidBefore { get; set; }

    /// <summary>Xendit: only invoices whose payment window closes after this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [DateTimeInput]
    public DateTime ExpiresAfter { get; set; }

    /// <summary>Xendit: only invoices whose payment window closes before this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [DateTimeInput]
    public DateTime ExpiresBefore { get; set; }

    /// <summary>Only invoices with this external id (your own reference). Xendit filters on the server; Revere in the module.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? ExternalId { get; set; }

    /// <summary>Xendit: only invoices created this way.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public XenditClientType[]? ClientType { get; set; }

    /// <summary>Xendit: only invoices paid through these channels (for example BCA, OVO, QRIS).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(PaymentChannelCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? PaymentChannel { get; set; }

    /// <summary>Xendit: only invoices created by this recurring payment.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? RecurringPaymentId { get; set; }

    /// <summary>Xendit: only invoices created from this on-demand link.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? OnDemandLink { get; set; }

    /// <summary>Invoices per request for this run, within the provider's limit. Without it: Connect-InvoiceProvider -PageSize, else the largest page the provider accepts (Revere 1000, the others 100), or -First when that is smaller.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; }

    private bool _oneConnection;
    private bool _cmdletCounts;
    private long _toSkip;
    private long? _toWrite;
    private long _combinedTotal;
    private bool _combinedTotalExact = true;
    private bool _anyTotal;
    private int _connectionsRead;
    private int _connectionsWithTotal;
    private bool _writeProgress;
    private string? _checkpointPath;
    private readonly List<InvoiceProviderConnection> _together = new();
    private InvoiceQuery? _togetherQuery;

    /// <summary>
    /// How many connections are read at once when several are given (-Connection a,b,c, or piped in), as with
    /// ForEach-Object -Parallel. Invoices are still written one connection after another, in the order given, and a
    /// failure is reported where that connection's invoices end. Each connection holds at most 10,000 invoices ahead
    /// of the pipeline, and verbose lines start with the connection's name in brackets. Piped connections are gathered
    /// and read when the last has arrived. 1 reads them one after another as they come; with -First or -Checkpoint they
    /// are always read one after another. 1 to 16; the default is 5, as for ForEach-Object -Parallel.
    /// </summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, ManyConnections.MostThrottleLimit)]
    public int ThrottleLimit { get; set; } = ManyConnections.DefaultThrottleLimit;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _writeProgress = ShouldWriteProgress(out var noProgressReason);
        if (!_writeProgress)
        {
            WriteVerbose("No progress bar: " + noProgressReason + ".");
        }

        // With one connection the engine applies -Skip/-First itself (servers with offsets skip for free); across
        // several connections, or when a checkpoint hides unchanged invoices, they apply to what is written, so the cmdlet counts.
        _oneConnection = !MyInvocation.ExpectingInput && (Connection is null || Connection.Length == 1);
        _cmdletCounts = !_oneConnection || Checkpoint is not null;
        _toSkip = (long)Math.Min(PagingParameters.Skip, long.MaxValue);
        _toWrite = PagingParameters.First == ulong.MaxValue ? null : (long)Math.Min(PagingParameters.First, long.MaxValue);
        if (Checkpoint is not null)
        {
            _checkpointPath = CheckpointPath(Checkpoint);
        }
    }

    /// <summary>The file system path of -Checkpoint, checked before any connection is read; a bad one stops the command.</summary>
    private string CheckpointPath(string checkpoint)
    {
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(checkpoint, out provider, out _);
        }
        catch (Exception ex) when (ex is SessionStateException or NotSupportedException or ArgumentException or PSInvalidOperationException)
        {
            ThrowFailure(CheckpointFile.InvalidPath(checkpoint, ex.Message), checkpoint);
            throw;
        }

        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            ThrowFailure(CheckpointFile.InvalidPath(checkpoint, $"it is a path of the {provider.Name} provider, not of the file system"), checkpoint);
        }

        try
        {
            return CheckpointFile.CheckPath(resolved);
        }
        catch (InvoiceConfigurationException ex)
        {
            ThrowFailure(ex, checkpoint);
            throw;
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        ReadTogether();

        if (PagingParameters.IncludeTotalCount && _cmdletCounts)
        {
            // A connection whose provider reports no total (Xendit, Revolv3) makes the sum an estimate.
            var exact = _combinedTotalExact && _connectionsWithTotal >= _connectionsRead;
            WriteObject(PagingParameters.NewTotalCount((ulong)_combinedTotal, !_anyTotal ? 0.0 : exact ? 1.0 : 0.5));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var connections = Connection;
        if (connections is null)
        {
            var current = SessionConnections.Current.Default;
            if (current is null)
            {
                ThrowFailure(new NoConnectionException(), null);
                return;
            }

            connections = new[] { current };
        }

        switch (ParameterSetName)
        {
            case IdSet:
                LookUpIds(connections, Id!);
                return;
            case NumberSet:
                LookUpNumbers(connections, Number!);
                return;
        }

        var query = new InvoiceQuery
        {
            Statuses = Status?.Select(s => (InvoiceStatus)Enum.Parse(typeof(InvoiceStatus), s, ignoreCase: true)).Distinct().ToArray() ?? Array.Empty<InvoiceStatus>(),
            CreatedAfter = Bound(nameof(CreatedAfter)) ? AsUtc(CreatedAfter) : null,
            CreatedBefore = Bound(nameof(CreatedBefore)) ? AsUtc(CreatedBefore) : null,
            Customer = Customer,
            PaidAfter = Bound(nameof(PaidAfter)) ? AsUtc(PaidAfter) : null,
            PaidBefore = Bound(nameof(PaidBefore)) ? AsUtc(PaidBefore) : null,
            ExpiresAfter = Bound(nameof(ExpiresAfter)) ? AsUtc(ExpiresAfter) : null,
            ExpiresBefore = Bound(nameof(ExpiresBefore)) ? AsUtc(ExpiresBefore) : null,
            ExternalId = ExternalId,
            ClientTypes = ClientType ?? Array.Empty<XenditClientType>(),
            PaymentChannels = PaymentChannel ?? Array.Empty<string>(),
            RecurringPaymentId = RecurringPaymentId,
            OnDemandLink = OnDemandLink,
            State = Bound(nameof(State)) ? State : null,
            UpdatedAfter = Bound(nameof(UpdatedAfter)) ? AsUtc(UpdatedAfter) : null,
            UpdatedBefore = Bound(nameof(UpdatedBefore)) ? AsUtc(UpdatedBefore) : null,
            CustomerReference = CustomerReference,
            PageSize = Bound(nameof(PageSize)) ? PageSize : null,
        };

        // Every connection is validated before the first request. With one connection a filter it cannot apply stops
        // the command; across several (or piped ones) it is a non-terminating error for that connection, and the
        // others are read.
        var fanOut = connections.Length > 1 || MyInvocation.ExpectingInput;
        var readable = new List<InvoiceProviderConnection>();
        foreach (var connection in connections)
        {
            try
            {
                InvoiceEngine.Plan(connection, query);
                readable.Add(connection);
            }
            catch (InvoiceConfigurationException ex) when (fanOut)
            {
                WriteFailure(ex, connection);
            }
            catch (InvoiceConfigurationException ex)
            {
                ThrowFailure(ex, connection);
                return;
            }
        }

        // With -First, connections are read one after another, so no account is asked for invoices that are not written.
        if (ThrottleLimit > 1 && _checkpointPath is null && _toWrite is null && (readable.Count > 1 || MyInvocation.ExpectingInput))
        {
            // Several connections are read at once; piped ones are gathered and read when the last has arrived.
            _together.AddRange(readable);
            _togetherQuery = query;
            if (!MyInvocation.ExpectingInput)
            {
                ReadTogether();
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

            var limits = _cmdletCounts
                ? query with { Skip = 0, First = Checkpoint is null ? _toWrite + _toSkip : null }
                : query with { Skip = _toSkip, First = _toWrite };
            Stream(connection, limits, fanOut);
        }
    }

    /// <summary>
    /// Reads the gathered connections at once (<see cref="ManyConnections"/>) and writes their invoices in the order of
    /// reading them one after another; -Skip and -First count across them, and a failure is reported where that
    /// connection's invoices end.
    /// </summary>
    private void ReadTogether()
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
        var observers = connections.ToDictionary(c => c, c => NewObserver(c, onTotal: null, prefix: connections.Count > 1 ? $"[{c.Name}] " : string.Empty));
        var parts = connections.Select(c => new ConnectionRead(c, limits, observers[c])).ToList();
        WriteVerbose($"Reading {parts.Count} connections, up to {Math.Min(ThrottleLimit, parts.Count)} at a time (-ThrottleLimit); invoices are written one connection after another, in the order given.");
        var ended = 0;
        try
        {
            foreach (var item in ManyConnections.Read(parts, ThrottleLimit, cancellationToken: StopToken))
            {
                if (item.IsEnd)
                {
                    ended++;
                    observers[item.Part.Connection].Complete();
                    if (item.Failure is { } failure)
                    {
                        WriteFailure(failure, item.Part.Connection);
                    }

                    continue;
                }

                if (_toSkip > 0)
                {
                    _toSkip--;
                    continue;
                }

                WriteInvoice(item.Invoice!);
                if (_toWrite is long left)
                {
                    _toWrite = left - 1;
                    if (_toWrite == 0)
                    {
                        // -First is met: the connections not read to their end are not in the total.
                        _combinedTotalExact &= ended == parts.Count;
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            foreach (var observer in observers.Values)
            {
                observer.Complete();
            }
        }
    }

    private CmdletObserver NewObserver(InvoiceProviderConnection connection, Action<long, bool>? onTotal, string prefix = "")
    {
        _connectionsRead++;
        return new(this, (connection.Name.GetHashCode() & 0x7FFFFFFF) % 100000, $"Get-Invoice {connection.Name}", _writeProgress, (total, exact) =>
        {
            _anyTotal = true;
            _connectionsWithTotal++;
            _combinedTotal += Math.Max(0, total);
            _combinedTotalExact &= exact;
            onTotal?.Invoke(total, exact);
        })
        {
            Prefix = prefix,
        };
    }

    /// <summary>
    /// Writes an invoice under the extra type name InvoiceTools.Invoice#&lt;Provider&gt;, so a provider whose invoices
    /// have no number (Xendit) gets a table view of its own with room for its ids.
    /// </summary>
    private void WriteInvoice(Invoice invoice)
    {
        var shown = new PSObject(invoice);
        shown.TypeNames.Insert(0, "InvoiceTools.Invoice#" + invoice.Provider);
        WriteObject(shown);
    }

    private static DateTimeOffset AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value).ToUniversalTime(),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
    };

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    private void Stream(InvoiceProviderConnection connection, InvoiceQuery query, bool fanOut)
    {
        CheckpointScope? checkpoint = null;
        if (_checkpointPath is not null)
        {
            try
            {
                checkpoint = CheckpointFile.Open(_checkpointPath, connection, query);
            }
            catch (InvoiceConfigurationException ex)
            {
                ThrowFailure(ex, _checkpointPath);
                return;
            }

            WriteVerbose(checkpoint.PreviousRunStartedAt is DateTimeOffset previous
                ? "Checkpoint: the last successful run of this connection and query began " + previous.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) + " and recorded " + checkpoint.PreviousCount + " invoice(s); only new or changed ones are returned."
                : "Checkpoint: no earlier run of this connection and query in " + _checkpointPath + "; every invoice is returned and recorded.");
            query = checkpoint.Narrow(query, connection, out var note);
            if (note is not null)
            {
                WriteVerbose(note);
            }
        }

        var startedAt = DateTimeOffset.UtcNow;
        var totalWritten = false;
        // Several connections in one command: their verbose lines say whose they are, read at once or not.
        var observer = NewObserver(
            connection,
            (total, exact) =>
            {
                if (PagingParameters.IncludeTotalCount && !_cmdletCounts)
                {
                    WriteObject(PagingParameters.NewTotalCount((ulong)Math.Max(0, total), exact ? 1.0 : 0.5));
                    totalWritten = true;
                }
            },
            _oneConnection ? string.Empty : $"[{connection.Name}] ");
        var completed = ReadConnection(connection, fanOut, observer, () =>
        {
            var stream = InvoiceEngine.GetInvoices(connection, query, observer, StopToken);
            foreach (var invoice in checkpoint?.OnlyNewOrChanged(stream) ?? stream)
            {
                if (_cmdletCounts && _toSkip > 0)
                {
                    _toSkip--;
                    continue;
                }

                WriteInvoice(invoice);
                checkpoint?.Delivered(invoice);
                if (_cmdletCounts && _toWrite is long left)
                {
                    _toWrite = left - 1;
                    if (_toWrite == 0)
                    {
                        break;
                    }
                }
            }

            if (PagingParameters.IncludeTotalCount && !_cmdletCounts && !totalWritten)
            {
                WriteObject(PagingParameters.NewTotalCount(0, 0.0));
            }
        });
        if (!completed)
        {
            if (checkpoint is not null)
            {
                WriteVerbose("Checkpoint not updated: the run for '" + connection.Name + "' failed, so the next run returns the same invoices again.");
            }

            return;
        }

        if (checkpoint is not null)
        {
            SaveCheckpoint(checkpoint, connection, startedAt);
        }
    }

    /// <summary>
    /// Runs one connection's part of the command. A failure there is a non-terminating error after whatever was
    /// already written, so the next connection still runs; a rejected key stops the command unless several
    /// connections are being read. Returns whether the part completed.
    /// </summary>
    private bool ReadConnection(InvoiceProviderConnection connection, bool fanOut, CmdletObserver observer, Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (InvoiceAuthenticationException ex) when (!fanOut)
        {
            ThrowFailure(ex, connection);
            return false;
        }
        catch (InvoiceToolsException ex)
        {
            WriteFailure(ex, connection);
            return false;
        }
        finally
        {
            observer.Complete();
        }
    }

    private void SaveCheckpoint(CheckpointScope checkpoint, InvoiceProviderConnection connection, DateTimeOffset startedAt)
    {
        try
        {
            checkpoint.Commit(startedAt, DateTimeOffset.UtcNow);
            WriteVerbose("Checkpoint saved for '" + connection.Name + "': " + (checkpoint.RecordedCount - checkpoint.UnchangedCount) + " new or changed invoice(s) returned, " + checkpoint.UnchangedCount + " unchanged passed over.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvoiceConfigurationException)
        {
            WriteError(new ErrorRecord(ex, "InvoiceToolsCheckpointNotSaved", ErrorCategory.WriteError, checkpoint.Path)
            {
                ErrorDetails = new ErrorDetails("The checkpoint " + checkpoint.Path + " could not be saved: " + ex.Message) { RecommendedAction = "Check the path is writable; the invoices were returned, and the next run will return them again." },
            });
        }
    }

    private void LookUpIds(InvoiceProviderConnection[] connections, string[] ids)
    {
        var missing = ids.Where(i => i is not null).Select(i => i.Trim()).Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in missing)
        {
            try
            {
                InvoiceEngine.CheckId(id, connections.Length == 1 ? connections[0].Provider : null);
            }
            catch (InvoiceConfigurationException ex)
            {
                ThrowFailure(ex, id);
            }
        }

        var causes = new Dictionary<string, Exception>(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            if (missing.Count == 0)
            {
                break;
            }

            var observer = new CmdletObserver(this, 0, "Get-Invoice -Id", false, (_, _) => { });
            ReadConnection(connection, connections.Length > 1 || MyInvocation.ExpectingInput, observer, () =>
            {
                foreach (var result in InvoiceEngine.GetInvoicesById(connection, missing.ToList(), observer, StopToken))
                {
                    if (result.Invoice is not null)
                    {
                        WriteInvoice(result.Invoice);
                        missing.Remove(result.Id);
                    }
                    else if (result.Error is not null)
                    {
                        causes[result.Id] = result.Error;
                    }
                }
            });
        }

        foreach (var id in missing)
        {
            WriteFailure(InvoiceEngine.NotFound("id", id, connections, connections.Length == 1 && causes.TryGetValue(id, out var cause) ? cause : null), id);
        }
    }

    private void LookUpNumbers(InvoiceProviderConnection[] connections, string[] numbers)
    {
        foreach (var number in numbers.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var query = new InvoiceQuery { Number = number, First = 1, PageSize = Bound(nameof(PageSize)) ? PageSize : null };
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
                    WriteFailure(ex, connection);
                    continue;
                }

                var observer = new CmdletObserver(this, 0, "Get-Invoice -Number " + number, _writeProgress, (_, _) => { });
                ReadConnection(connection, connections.Length > 1 || MyInvocation.ExpectingInput, observer, () =>
                {
                    foreach (var invoice in InvoiceEngine.GetInvoices(connection, query, observer, StopToken))
                    {
                        WriteInvoice(invoice);
                        found = true;
                    }
                });
                searched = true;
                if (found)
                {
                    break;
                }
            }

            if (!found && searched)
            {
                WriteFailure(InvoiceEngine.NotFound("number", number, connections), number);
            }
        }
    }
}
