using System;
using System.Globalization;
using System.Management.Automation;
using InvoiceTools.Engine;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Forwards engine messages to the cmdlet's streams. Called only on the pipeline thread (the sync bridge guarantees it).</summary>
internal sealed class CmdletObserver : IInvoiceStreamObserver
{
    private readonly PSCmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private ProgressRecord? _last;
    private readonly Action<long, bool> _onTotal;
    private readonly bool _writeProgress;
    private bool _progressShown;

    public CmdletObserver(PSCmdlet cmdlet, int activityId, string activity, bool writeProgress, Action<long, bool> onTotal)
    {
        _cmdlet = cmdlet;
        _onTotal = onTotal;
        _writeProgress = writeProgress;
        _activityId = activityId;
        _activity = activity;
    }

    /// <summary>
    /// Put before verbose and debug lines when several connections are read at once, so that interleaved lines say
    /// which connection they belong to ("[Kitchen-Sandbox] GET ..."); empty otherwise.
    /// </summary>
    public string Prefix { get; set; } = string.Empty;

    public void OnVerbose(string message) => _cmdlet.WriteVerbose(Prefix + message);

    public void OnDebug(string message) => _cmdlet.WriteDebug(Prefix + message);

    public void OnWarning(string message) => _cmdlet.WriteWarning(message);

    public void OnTotalCount(long total, bool exact) => _onTotal(total, exact);

    public void OnPage(PageProgress progress)
    {
        if (!_writeProgress)
        {
            return;
        }

        // A new record each time: hosts and job streams keep the object they are given, not a copy.
        // Counts first: PowerShell 7 draws "activity [bar] status" on one line and cuts what does not fit.
        var record = new ProgressRecord(_activityId, _activity, ProgressStatus(progress))
        {
            PercentComplete = progress.PercentComplete ?? -1,
            RecordType = ProgressRecordType.Processing,
        };
        _cmdlet.WriteProgress(record);
        _last = record;
        _progressShown = true;
    }

    /// <summary>"500 of 1,200 invoices, page 5", or "500 invoices, page 5" when the provider reports no total.</summary>
    internal static string ProgressStatus(PageProgress progress)
    {
        var received = progress.InvoicesSoFar.ToString("N0", CultureInfo.InvariantCulture);
        var page = progress.PageNumber.ToString(CultureInfo.InvariantCulture);
        return progress.Total is long total
            ? $"{received} of {total.ToString("N0", CultureInfo.InvariantCulture)} invoices, page {page}"
            : $"{received} invoices, page {page}";
    }

    /// <summary>Closes the progress bar; safe to call on every exit path.</summary>
    public void Complete()
    {
        if (_progressShown && _last is not null)
        {
            _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, _last.StatusDescription)
            {
                PercentComplete = _last.PercentComplete,
                RecordType = ProgressRecordType.Completed,
            });
            _progressShown = false;
        }
    }
}
