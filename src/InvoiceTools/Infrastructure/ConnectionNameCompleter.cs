using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Completes -Connection and -Name with this session's connection names.</summary>
public sealed class ConnectionNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return SessionConnections.Current.All
            .Where(c => c.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c.Name.IndexOfAny(new[] { ' ', '\'', '$', '`', ',', ';' }) >= 0 ? "'" + c.Name.Replace("'", "''") + "'" : c.Name, c.Name, CompletionResultType.ParameterValue, c.ToString()))
            .ToList();
    }
}
