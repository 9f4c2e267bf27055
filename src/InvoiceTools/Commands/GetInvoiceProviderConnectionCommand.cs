using System.Linq;
using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Connections;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Lists this session's invoice provider connections. Keys are never shown.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "InvoiceProviderConnection", DefaultParameterSetName = NameSet, HelpUri = HelpLinks.Base + "Get-InvoiceProviderConnection.md")]
[OutputType(typeof(InvoiceProviderConnection))]
public sealed class GetInvoiceProviderConnectionCommand : InvoiceToolsCmdlet
{
    private const string NameSet = "Name";
    private const string DefaultSet = "Default";

    /// <summary>Names to list (wildcards allowed); all when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only the default connection, the one Get-Invoice uses without -Connection.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
    public SwitchParameter Default { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var registry = SessionConnections.Current;
        if (Default)
        {
            if (registry.Default is { } connection)
            {
                WriteObject(connection);
            }

            return;
        }

        var all = registry.All;
        var matches = Name is null ? all : Name.SelectMany(n => NamePatterns.Match(all, n, this)).Distinct().ToList();
        WriteObject(matches, enumerateCollection: true);
    }
}
