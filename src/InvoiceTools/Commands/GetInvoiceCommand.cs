using System;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Checkpoints;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Connections;
using InvoiceTools.Requests;
using InvoiceTools.Runs;
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

    /// <summary>Invoices per request for this run, within the provider's limit. Without it: Connect-InvoiceProvider -PageSize, else the largest page the provider accepts (Revere 1000, the others 100, a defined provider its MaxPageSize), or -First when that is smaller; the provider refuses a size above its own limit before any request.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int PageSize { get; set; }

    /// <summary>
    /// How many connections are read at once when several are given (-Connection a,b,c, or piped in), as with
    /// ForEach-Object -Parallel. Invoices are still written one connection after another, in the order given, and a
    /// failure is reported where that connection's invoices end. Each connection holds at most 10,000 invoices ahead
    /// of the pipeline, and verbose lines start with the connection's name in brackets. Piped connections are gathered
    /// and read when the last has arrived. 1 reads them one after another as they come; with -First or -Checkpoint they
    /// are always read one after another. 1 to 16; the default is 5, as for ForEach-Object -Parallel.
    /// </summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, InvoiceRunOptions.MostThrottleLimit)]
    public int ThrottleLimit { get; set; } = InvoiceRunOptions.DefaultThrottleLimit;

    private InvoiceRun? _run;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        var writeProgress = ShouldWriteProgress(out var noProgressReason);
        if (!writeProgress)
        {
            WriteVerbose($"No progress bar: {noProgressReason}.");
        }

        _run = new InvoiceRun(
            new InvoiceRunOptions
            {
                Skip = (long)Math.Min(PagingParameters.Skip, long.MaxValue),
                First = PagingParameters.First == ulong.MaxValue ? null : (long)Math.Min(PagingParameters.First, long.MaxValue),
                IncludeTotalCount = PagingParameters.IncludeTotalCount,
                CheckpointPath = Checkpoint is null ? null : CheckpointPath(Checkpoint),
                ThrottleLimit = ThrottleLimit,
                FromPipeline = MyInvocation.ExpectingInput,
            },
            new CmdletRunSink(this, writeProgress));
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

        Run(run =>
        {
            switch (ParameterSetName)
            {
                case IdSet:
                    run.LookUpIds(connections, Id!, StopToken);
                    break;
                case NumberSet:
                    run.LookUpNumbers(connections, Number!, Bound(nameof(PageSize)) ? PageSize : null, StopToken);
                    break;
                default:
                    run.Read(connections, Query(), StopToken);
                    break;
            }
        });
    }

    /// <inheritdoc />
    protected override void EndProcessing() => Run(run => run.End(StopToken));

    /// <summary>Runs a step of the run on the pipeline thread; Ctrl+C surfaces as PowerShell's stopped pipeline.</summary>
    private void Run(Action<InvoiceRun> step)
    {
        try
        {
            step(_run!);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private InvoiceQuery Query() => new()
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

    private static DateTimeOffset AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value).ToUniversalTime(),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
    };

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
}
