using System;
using System.Collections;
using System.Management.Automation;
using System.Threading;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands;

/// <summary>Base of every InvoiceTools cmdlet: owns the cancellation that Ctrl+C (StopProcessing) triggers.</summary>
public abstract class InvoiceToolsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command already finished.
        }
    }

    /// <summary>Whether progress bars are worth writing here; when not, <paramref name="reason"/> says why.</summary>
    protected bool ShouldWriteProgress(out string? reason) => ProgressPolicy.ShouldShow(
        new HostFacts
        {
            HostName = Host?.Name,
            // -ProgressAction (7.4+) does not set a variable a compiled cmdlet can read, so it is checked first.
            ProgressPreference = (MyInvocation.BoundParameters.TryGetValue("ProgressAction", out var action) ? action : GetVariableValue("ProgressPreference"))?.ToString(),
            UserInteractive = Environment.UserInteractive,
            CommandLine = Environment.GetCommandLineArgs(),
            AzureAutomationJob = IsAzureAutomationJob(GetVariableValue("PSPrivateMetadata")),
        },
        out reason);

    private static bool IsAzureAutomationJob(object? metadata)
    {
        var value = metadata is PSObject wrapped ? wrapped.BaseObject : metadata;
        return value switch
        {
            null => false,
            IDictionary dictionary => dictionary.Contains("JobId"),
            _ => PSObject.AsPSObject(value).Properties["JobId"] is { } property && property.Value is not null,
        };
    }

    /// <summary>A line for the person at the console, as Write-Host writes it: shown by default, silenced by -InformationAction Ignore, never in the output stream.</summary>
    protected void WriteHost(string message) =>
        WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" });

    /// <summary>A non-terminating error for a pipeline object this command cannot take; the others go on.</summary>
    protected void WriteNotAnInvoice(object target, string message, string recommendedAction) =>
        WriteError(new ErrorRecord(new ArgumentException(message), "InvoiceToolsNotAnInvoice", ErrorCategory.InvalidArgument, target)
        {
            ErrorDetails = ErrorRecords.Details(message, recommendedAction),
        });

    /// <summary>Writes a non-terminating error for <paramref name="exception"/>.</summary>
    protected void WriteFailure(Exception exception, object? target) => WriteError(ErrorRecords.Create(exception, target));

    /// <summary>Stops the command with a terminating error for <paramref name="exception"/>.</summary>
    protected void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(ErrorRecords.Create(exception, target));
}
