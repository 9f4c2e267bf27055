using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Completes -Vault with the registered SecretManagement vaults. Secret names are not completed: listing them can
/// make a locked vault ask for its password in the middle of a Tab.
/// </summary>
public sealed class SecretVaultCompleter : IArgumentCompleter
{
    private const string ListVaults = "Microsoft.PowerShell.SecretManagement\\Get-SecretVault -ErrorAction Ignore | ForEach-Object { [pscustomobject]@{ Name = [string]$_.Name; Module = [string]$_.ModuleName } }";

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var vaults = new List<KeyValuePair<string, string>>();
        try
        {
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            foreach (var vault in shell.AddScript(ListVaults).Invoke())
            {
                var name = vault.Properties["Name"]?.Value as string;
                if (!string.IsNullOrEmpty(name))
                {
                    vaults.Add(new KeyValuePair<string, string>(name!, $"{name} ({vault.Properties["Module"]?.Value})"));
                }
            }
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
        {
            // SecretManagement is not installed: nothing to offer.
        }

        return Completion.Complete(vaults, wordToComplete)
            .Select(c => new CompletionResult(c.CompletionText, c.ListItemText, CompletionResultType.ParameterValue, c.ToolTip))
            .ToList();
    }
}
