using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Connections;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Matches connection names the way Get-Process matches process names.</summary>
internal static class NamePatterns
{
    /// <summary>The connections matching <paramref name="name"/>; a plain name that matches nothing is a non-terminating error.</summary>
    public static IEnumerable<InvoiceProviderConnection> Match(IEnumerable<InvoiceProviderConnection> connections, string name, Cmdlet cmdlet)
    {
        var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
        var matches = connections.Where(c => pattern.IsMatch(c.Name)).ToList();
        if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
        {
            cmdlet.WriteError(new ErrorRecord(
                new ItemNotFoundException($"There is no connection named '{name}'. Run Get-InvoiceProviderConnection to list them."),
                "InvoiceToolsConnectionNotFound",
                ErrorCategory.ObjectNotFound,
                name));
        }

        return matches;
    }
}
