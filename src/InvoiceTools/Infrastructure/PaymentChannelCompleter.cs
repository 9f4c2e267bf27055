using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Completes -PaymentChannel with Xendit's common channel codes.</summary>
public sealed class PaymentChannelCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(Completion.PaymentChannels, wordToComplete)
            .Select(c => new CompletionResult(c.CompletionText, c.ListItemText, CompletionResultType.ParameterValue, c.ToolTip))
            .ToList();
}
