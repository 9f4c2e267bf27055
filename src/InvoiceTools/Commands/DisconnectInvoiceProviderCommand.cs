using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Connections;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Closes invoice provider connections and forgets their keys.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "InvoiceProvider", SupportsShouldProcess = true, DefaultParameterSetName = NameSet, HelpUri = HelpLinks.Base + "Disconnect-InvoiceProvider.md")]
[OutputType(typeof(InvoiceProviderConnection))]
public sealed class DisconnectInvoiceProviderCommand : InvoiceToolsCmdlet
{
    private const string NameSet = "Name";
    private const string ConnectionSet = "Connection";
    private const string AllSet = "All";

    /// <summary>Names of the connections to close (wildcards allowed). Without it, the default connection is closed.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Connections to close: objects (for example from Get-InvoiceProviderConnection) or names.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionSet, ValueFromPipeline = true)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public InvoiceProviderConnection[]? Connection { get; set; }

    /// <summary>Close every connection in this session.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Return the closed connections.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var registry = SessionConnections.Current;
        IEnumerable<InvoiceProviderConnection> targets;
        if (All)
        {
            targets = registry.All;
        }
        else if (Connection is not null)
        {
            targets = Connection;
        }
        else if (Name is null)
        {
            targets = registry.Default is { } d ? new[] { d } : System.Array.Empty<InvoiceProviderConnection>();
        }
        else
        {
            targets = Name.SelectMany(n => NamePatterns.Match(registry.All, n, this)).Distinct().ToList();
        }

        var defaultBefore = registry.Default;
        targets = targets.ToList();
        if (!targets.Any())
        {
            WriteVerbose(Name is null && Connection is null && !All ? "No connection to close: there is no default connection." : "No connection to close.");
        }

        foreach (var connection in targets)
        {
            if (ShouldProcess(connection.ToString(), "Disconnect"))
            {
                // A stale object (replaced by a newer connection of the same name) must not close its successor.
                if (ReferenceEquals(registry.Get(connection.Name), connection))
                {
                    registry.Remove(connection.Name);
                }

                connection.Dispose();
                WriteVerbose($"Disconnected {connection}.");
                if (PassThru)
                {
                    WriteObject(connection);
                }
            }
        }

        // Get-Invoice would otherwise go on silently with another account.
        if (defaultBefore is not null && !ReferenceEquals(registry.Default, defaultBefore))
        {
            if (registry.Default is { } now)
            {
                WriteHost($"The default connection is now {now}. Select-InvoiceProviderConnection chooses another.");
            }
            else
            {
                WriteVerbose("No connection is open now; Get-Invoice needs Connect-InvoiceProvider first.");
            }
        }
    }
}
