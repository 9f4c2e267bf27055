using System;
using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Connections;
using InvoiceTools.Engine;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Streams invoices from one or more provider connections, every page, as typed objects.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Invoice", SupportsPaging = true)]
[OutputType(typeof(Invoice))]
public sealed class GetInvoiceCommand : InvoiceToolsCmdlet
{
    // Boxed: a Core enum field would make loading this type need InvoiceTools.Core before the module's resolver runs.
    private object? _state;

    /// <summary>Connections (objects or names) to read; the session's default when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public InvoiceProviderConnection[]? Connection { get; set; }

    /// <summary>Only invoices in these normalized statuses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public InvoiceStatus[]? Status { get; set; }

    /// <summary>Only invoices created after this time (no offset means UTC).</summary>
    [Parameter]
    public DateTime CreatedAfter { get; set; }

    /// <summary>Only invoices created before this time (no offset means UTC).</summary>
    [Parameter]
    public DateTime CreatedBefore { get; set; }

    /// <summary>Only invoices whose customer name, company or e-mail contains this text.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Customer { get; set; }

    /// <summary>Revolv3: only invoices last updated after this time (uses the v1 endpoint).</summary>
    [Parameter]
    public DateTime UpdatedAfter { get; set; }

    /// <summary>Revolv3: only invoices last updated before this time (uses the v1 endpoint).</summary>
    [Parameter]
    public DateTime UpdatedBefore { get; set; }

    /// <summary>Revolv3: only invoices of this merchant customer reference (merchantCustomerRefId; uses the v1 endpoint).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CustomerReference { get; set; }

    /// <summary>Kitchen: Active (Kitchen's default), Archived, or All invoices.</summary>
    [Parameter]
    public KitchenState State
    {
        get => _state is KitchenState value ? value : default;
        set => _state = value;
    }

    /// <summary>Xendit: only invoices paid after this time.</summary>
    [Parameter]
    public DateTime PaidAfter { get; set; }

    /// <summary>Xendit: only invoices paid before this time.</summary>
    [Parameter]
    public DateTime PaidBefore { get; set; }

    /// <summary>Xendit: only invoices whose payment window closes after this time.</summary>
    [Parameter]
    public DateTime ExpiresAfter { get; set; }

    /// <summary>Xendit: only invoices whose payment window closes before this time.</summary>
    [Parameter]
    public DateTime ExpiresBefore { get; set; }

    /// <summary>Only invoices with this external id (your own reference). Xendit filters on the server; Revere in the module.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExternalId { get; set; }

    /// <summary>Xendit: only invoices created this way.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public XenditClientType[]? ClientType { get; set; }

    /// <summary>Xendit: only invoices paid through these channels (for example BCA, OVO, QRIS).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PaymentChannelCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? PaymentChannel { get; set; }

    /// <summary>Xendit: only invoices created by this recurring payment.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RecurringPaymentId { get; set; }

    /// <summary>Xendit: only invoices created from this on-demand link.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OnDemandLink { get; set; }

    /// <summary>Invoices per request, within the provider's limit.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; }

    private bool _oneConnection;
    private long _toSkip;
    private long? _toWrite;
    private long _combinedTotal;
    private bool _combinedTotalExact = true;
    private bool _anyTotal;
    private bool _writeProgress;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _writeProgress = ShouldWriteProgress(out var noProgressReason);
        if (!_writeProgress)
        {
            WriteVerbose("No progress bar: " + noProgressReason + ".");
        }

        // With one connection the engine applies -Skip/-First itself (servers with offsets skip for free); across
        // several connections they apply to the combined stream, so the cmdlet counts.
        _oneConnection = !MyInvocation.ExpectingInput && (Connection is null || Connection.Length == 1);
        _toSkip = (long)Math.Min(PagingParameters.Skip, long.MaxValue);
        _toWrite = PagingParameters.First == ulong.MaxValue ? null : (long)Math.Min(PagingParameters.First, long.MaxValue);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (PagingParameters.IncludeTotalCount && !_oneConnection)
        {
            WriteObject(PagingParameters.NewTotalCount((ulong)_combinedTotal, !_anyTotal ? 0.0 : _combinedTotalExact ? 1.0 : 0.5));
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

        var query = new InvoiceQuery
        {
            Statuses = Status ?? Array.Empty<InvoiceStatus>(),
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
            Skip = _oneConnection ? _toSkip : 0,
            First = _oneConnection ? _toWrite : _toWrite + _toSkip,
        };

        foreach (var connection in connections)
        {
            if (_toWrite == 0)
            {
                return;
            }

            Stream(connection, query with { First = _oneConnection ? _toWrite : _toWrite + _toSkip });
        }
    }

    private static DateTimeOffset AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value).ToUniversalTime(),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
    };

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    private void Stream(InvoiceProviderConnection connection, InvoiceQuery query)
    {
        try
        {
            InvoiceEngine.Plan(connection, query);
        }
        catch (InvoiceConfigurationException ex)
        {
            ThrowFailure(ex, query);
            return;
        }

        var totalWritten = false;
        var observer = new CmdletObserver(this, (connection.Name.GetHashCode() & 0x7FFFFFFF) % 100000, "Get-Invoice: " + connection, _writeProgress, (total, exact) =>
        {
            _anyTotal = true;
            _combinedTotal += Math.Max(0, total);
            _combinedTotalExact &= exact;
            if (PagingParameters.IncludeTotalCount && _oneConnection)
            {
                WriteObject(PagingParameters.NewTotalCount((ulong)Math.Max(0, total), exact ? 1.0 : 0.5));
                totalWritten = true;
            }
        });
        try
        {
            foreach (var invoice in InvoiceEngine.GetInvoices(connection, query, observer, StopToken))
            {
                if (!_oneConnection && _toSkip > 0)
                {
                    _toSkip--;
                    continue;
                }

                WriteObject(invoice);
                if (!_oneConnection && _toWrite is long left)
                {
                    _toWrite = left - 1;
                    if (_toWrite == 0)
                    {
                        break;
                    }
                }
            }

            if (PagingParameters.IncludeTotalCount && _oneConnection && !totalWritten)
            {
                WriteObject(PagingParameters.NewTotalCount(0, 0.0));
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (InvoiceAuthenticationException ex)
        {
            ThrowFailure(ex, connection);
        }
        catch (InvoiceToolsException ex)
        {
            // Invoices already written stay written; the error follows them and the next connection still runs.
            WriteFailure(ex, connection);
        }
        finally
        {
            observer.Complete();
        }
    }
}
