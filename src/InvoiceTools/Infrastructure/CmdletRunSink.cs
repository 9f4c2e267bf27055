using System;
using System.Collections.Generic;
using System.Management.Automation;
using InvoiceTools.Engine;
using InvoiceTools.Runs;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Writes what an <see cref="InvoiceRun"/> yields to the cmdlet's streams. Called only on the pipeline thread (the run and its sync bridge guarantee it).</summary>
internal sealed class CmdletRunSink : IInvoiceRunSink
{
    private readonly PSCmdlet _cmdlet;
    private readonly bool _writeProgress;
    private readonly Dictionary<int, CmdletObserver> _activities = new();

    public CmdletRunSink(PSCmdlet cmdlet, bool writeProgress)
    {
        _cmdlet = cmdlet;
        _writeProgress = writeProgress;
    }

    /// <summary>
    /// Writes an invoice under the extra type name InvoiceTools.Invoice#&lt;Provider&gt;, so a provider whose invoices
    /// have no number (Xendit) gets a table view of its own with room for its ids.
    /// </summary>
    public void OnInvoice(Invoice invoice)
    {
        var shown = new PSObject(invoice);
        shown.TypeNames.Insert(0, $"InvoiceTools.Invoice#{invoice.Provider}");
        _cmdlet.WriteObject(shown);
    }

    public void OnTotalCount(long total, double accuracy) => _cmdlet.WriteObject(_cmdlet.PagingParameters.NewTotalCount((ulong)total, accuracy));

    public void OnError(Exception exception, object target) => _cmdlet.WriteError(ErrorRecords.Create(exception, target));

    public void OnStop(Exception exception, object target) => _cmdlet.ThrowTerminatingError(ErrorRecords.Create(exception, target));

    public void OnCheckpointNotSaved(string path, Exception exception) =>
        _cmdlet.WriteError(new ErrorRecord(exception, "InvoiceToolsCheckpointNotSaved", ErrorCategory.WriteError, path)
        {
            ErrorDetails = new ErrorDetails($"The checkpoint {path} could not be saved: {exception.Message}") { RecommendedAction = "Check the path is writable; the invoices were returned, and the next run will return them again." },
        });

    public void OnVerbose(string message) => _cmdlet.WriteVerbose(message);

    public void OnDebug(string message) => _cmdlet.WriteDebug(message);

    public void OnWarning(string message) => _cmdlet.WriteWarning(message);

    public void OnProgress(int activityId, string activity, PageProgress progress)
    {
        if (!_activities.TryGetValue(activityId, out var bar))
        {
            _activities[activityId] = bar = new CmdletObserver(_cmdlet, activityId, activity, _writeProgress, (_, _) => { });
        }

        bar.OnPage(progress);
    }

    public void OnProgressEnd(int activityId)
    {
        if (_activities.TryGetValue(activityId, out var bar))
        {
            _activities.Remove(activityId);
            bar.Complete();
        }
    }
}
