using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using InvoiceTools.Providers;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Completes -Provider with every provider's name: the built-in ones, then the definitions registered in this process.</summary>
public sealed class ProviderNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(ProviderCatalog.Descriptors.Where(d => !Removes(commandName) || d.DefinitionFile is not null).Select(d => new KeyValuePair<string, string>(d.Name, d.DefinitionFile is null ? d.DisplayName : $"{d.DisplayName} (defined in {d.DefinitionFile})")), wordToComplete)
            .Select(c => new CompletionResult(c.CompletionText, c.ListItemText, CompletionResultType.ParameterValue, c.ToolTip))
            .ToList();

    // Unregister-InvoiceProvider removes only defined providers: offering a built-in one would offer an error.
    private static bool Removes(string commandName) => commandName?.EndsWith("Unregister-InvoiceProvider", System.StringComparison.OrdinalIgnoreCase) == true;
}
