using System;
using InvoiceTools.Engine;

namespace InvoiceTools.Runs;

/// <summary>
/// Receives what an <see cref="InvoiceRun"/> yields, in the order a command writes it. Every call arrives on the thread
/// that called the run, between invoices (the sync bridge relays the engine's worker threads), so a cmdlet forwards
/// each call to its Write* method as it comes. A call that throws ends the run where it is.
/// </summary>
public interface IInvoiceRunSink
{
    /// <summary>An invoice to write.</summary>
    void OnInvoice(Invoice invoice);

    /// <summary>
    /// How many invoices match (-IncludeTotalCount): <paramref name="total"/> is never negative; <paramref name="accuracy"/>
    /// is 1.0 for an exact count, 0.5 for an estimate, 0.0 when no provider reported one.
    /// </summary>
    void OnTotalCount(long total, double accuracy);

    /// <summary>
    /// A non-terminating error: <paramref name="target"/> is the connection it belongs to, or the id, number or
    /// checkpoint path it is about. The run goes on with the next connection, id or number.
    /// </summary>
    void OnError(Exception exception, object target);

    /// <summary>
    /// An error that ends the whole run (one connection whose filter or key was refused, a bad id, a checkpoint file
    /// that cannot be read). A cmdlet throws its terminating error here; if the call returns, the run does nothing more.
    /// </summary>
    void OnStop(Exception exception, object target);

    /// <summary>
    /// The checkpoint file at <paramref name="path"/> could not be saved after a complete read (<paramref name="exception"/>
    /// is an <see cref="System.IO.IOException"/>, <see cref="UnauthorizedAccessException"/> or
    /// <see cref="InvoiceConfigurationException"/>); the invoices were written, and the next run returns them again.
    /// </summary>
    void OnCheckpointNotSaved(string path, Exception exception);

    /// <summary>A step worth explaining under -Verbose; over several connections it starts with "[name] ".</summary>
    void OnVerbose(string message);

    /// <summary>Detail for -Debug (already redacted).</summary>
    void OnDebug(string message);

    /// <summary>Something the user should know even without -Verbose.</summary>
    void OnWarning(string message);

    /// <summary>
    /// A page of the activity <paramref name="activityId"/> arrived: one activity per connection read, or per
    /// -Number looked up. <paramref name="activity"/> is its title ("Get-Invoice &lt;connection&gt;").
    /// </summary>
    void OnProgress(int activityId, string activity, PageProgress progress);

    /// <summary>The activity that reported pages has ended (completed, failed or stopped).</summary>
    void OnProgressEnd(int activityId);
}
