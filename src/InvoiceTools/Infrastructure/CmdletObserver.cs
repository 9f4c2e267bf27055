using System;
using System.Globalization;
using System.Management.Automation;
using InvoiceTools.Engine;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Forwards engine messages to the cmdlet's streams. Called only on the pipeline thread (the sync bridge guarantees it).</summary>
internal sealed class CmdletObserver : IInvoiceStreamObserver
{
    private readonly PSCmdlet _cmdlet;
    private readonly ProgressRecord _progress;
    private readonly Action<long, bool> _onTotal;
    private readonly bool _writeProgress;
    private bool _progressShown;

    public CmdletObserver(PSCmdlet cmdlet, int activityId, string activity, bool writeProgress, Action<long, bool> onTotal)
    {
        _cmdlet = cmdlet;
        _onTotal = onTotal;
        _writeProgress = writeProgress;
        _progress = new ProgressRecord(activityId, activity, "Requesting the first page");
    }

    public void OnVerbose(string message) => _cmdlet.WriteVerbose(message);

    public void OnDebug(string message) => _cmdlet.WriteDebug(message);

    public void OnWarning(string message) => _cmdlet.WriteWarning(message);

    public void OnTotalCount(long total, bool exact) => _onTotal(total, exact);

    public void OnPage(PageProgress progress)
    {
        if (!_writeProgress)
        {
            return;
        }

        _progress.StatusDescription = progress.Provider + " page " + progress.PageNumber.ToString(CultureInfo.InvariantCulture) + ": " +
            progress.InvoicesSoFar.ToString("N0", CultureInfo.InvariantCulture) + " invoices" +
            (progress.Total is long total ? " of " + total.ToString("N0", CultureInfo.InvariantCulture) : string.Empty);
        _progress.PercentComplete = progress.PercentComplete ?? -1;
        _progress.RecordType = ProgressRecordType.Processing;
        _cmdlet.WriteProgress(_progress);
        _progressShown = true;
    }

    /// <summary>Closes the progress bar; safe to call on every exit path.</summary>
    public void Complete()
    {
        if (_progressShown)
        {
            _progress.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_progress);
            _progressShown = false;
        }
    }
}
