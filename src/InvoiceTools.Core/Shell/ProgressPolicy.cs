using System;
using System.Collections.Generic;
using System.Linq;

namespace InvoiceTools.Shell;

/// <summary>What the cmdlet knows about where it runs, for deciding whether a progress bar is worth drawing.</summary>
public sealed class HostFacts
{
    /// <summary>$Host.Name ("ConsoleHost", "Visual Studio Code Host", "Default Host", ...).</summary>
    public string? HostName { get; init; }

    /// <summary>$ProgressPreference, as its name (Continue, SilentlyContinue, Ignore, ...).</summary>
    public string? ProgressPreference { get; init; }

    /// <summary>Whether the process can interact with a user (false for Windows services and some scheduled tasks).</summary>
    public bool UserInteractive { get; init; } = true;

    /// <summary>The process's command line, to spot pwsh -NonInteractive.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = Array.Empty<string>();

    /// <summary>Whether $PSPrivateMetadata carries a JobId, which is how an Azure Automation job shows itself.</summary>
    public bool AzureAutomationJob { get; init; }
}

/// <summary>
/// Progress is for a person watching. In Azure Automation every record costs job-stream storage and nobody sees it
/// draw, so it is skipped there and wherever no person can be watching.
/// </summary>
public static class ProgressPolicy
{
    private static readonly string[] ScriptStarts = { "file", "f", "command", "c", "encodedcommand", "e", "ec" };

    /// <summary>Whether to write progress records, and if not, why (for -Verbose).</summary>
    public static bool ShouldShow(HostFacts facts, out string? reason)
    {
        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts));
        }

        reason = null;
        if (string.Equals(facts.ProgressPreference, "SilentlyContinue", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(facts.ProgressPreference, "Ignore", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"$ProgressPreference is {facts.ProgressPreference}";
        }
        else if (facts.AzureAutomationJob)
        {
            reason = "this is an Azure Automation job";
        }
        else if (string.Equals(facts.HostName, "Default Host", StringComparison.OrdinalIgnoreCase))
        {
            reason = "the host has no user interface";
        }
        else if (!facts.UserInteractive)
        {
            reason = "the process is not interactive";
        }
        else if (HasNonInteractiveSwitch(facts.CommandLine))
        {
            reason = "PowerShell was started with -NonInteractive";
        }

        return reason is null;
    }

    private static bool HasNonInteractiveSwitch(IReadOnlyList<string> commandLine)
    {
        // PowerShell accepts any unambiguous prefix of -NonInteractive down to -noni, with - or / (Windows PowerShell).
        // Everything after -File or -Command belongs to the script, not to PowerShell.
        const string full = "noninteractive";
        foreach (var argument in commandLine)
        {
            if (argument.Length < 2 || (argument[0] != '-' && argument[0] != '/'))
            {
                continue;
            }

            var name = argument.Substring(1).TrimStart('-');
            if (ScriptStarts.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }

            if (name.Length < 4)
            {
                continue;
            }

            if (name.Length >= 4 && name.Length <= full.Length && full.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
