using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using InvoiceTools.Connections;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Completes -Status with the statuses the connections in play can have: those named by -Connection on the command
/// line, else the session's default; every status when there is none.
/// </summary>
public sealed class StatusCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var registry = SessionConnections.Current;
        var connections = ConnectionTransformationAttribute.Names(fakeBoundParameters?["Connection"]).Select(registry.Get).OfType<InvoiceProviderConnection>().ToList();
        if (connections.Count == 0)
        {
            connections.AddRange(Piped(commandAst, registry));
        }

        if (connections.Count == 0 && registry.Default is { } fallback)
        {
            connections.Add(fallback);
        }

        return Completion.Complete(Completion.Statuses(connections.Select(c => InvoiceTools.Providers.ProviderCatalog.Find(c.Provider)).OfType<InvoiceTools.Providers.ProviderDescriptor>()), wordToComplete)
            .Select(c => new CompletionResult(c.CompletionText, c.ListItemText, CompletionResultType.ParameterValue, c.ToolTip))
            .ToList();
    }

    /// <summary>
    /// The connections a "Get-InvoiceProviderConnection [names] |" right before this command lists (wildcards too), so
    /// that "Get-InvoiceProviderConnection Revere-* | Get-Invoice -Status &lt;Tab&gt;" completes Revere's statuses.
    /// </summary>
    private static IEnumerable<InvoiceProviderConnection> Piped(CommandAst commandAst, ConnectionRegistry registry)
    {
        if (commandAst?.Parent is not PipelineAst pipeline)
        {
            return Enumerable.Empty<InvoiceProviderConnection>();
        }

        var position = pipeline.PipelineElements.IndexOf(commandAst);
        if (position < 1 || pipeline.PipelineElements[position - 1] is not CommandAst source ||
            !string.Equals(source.GetCommandName(), "Get-InvoiceProviderConnection", System.StringComparison.OrdinalIgnoreCase))
        {
            return Enumerable.Empty<InvoiceProviderConnection>();
        }

        var names = source.CommandElements.Skip(1).OfType<StringConstantExpressionAst>().Select(e => e.Value).ToList();
        if (source.CommandElements.OfType<CommandParameterAst>().Any(p => p.ParameterName.Equals("Default", System.StringComparison.OrdinalIgnoreCase)))
        {
            return registry.Default is { } current ? new[] { current } : Enumerable.Empty<InvoiceProviderConnection>();
        }

        return names.Count == 0
            ? registry.All
            : registry.All.Where(c => names.Any(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase).IsMatch(c.Name)));
    }
}
