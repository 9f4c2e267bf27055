using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Connections;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Makes an open connection the default, the one Get-Invoice reads without -Connection.</para>
/// </summary>
[Cmdlet(VerbsCommon.Select, "InvoiceProviderConnection", DefaultParameterSetName = NameSet, HelpUri = HelpLinks.Base + "Select-InvoiceProviderConnection.md")]
[OutputType(typeof(InvoiceProviderConnection))]
public sealed class SelectInvoiceProviderConnectionCommand : InvoiceToolsCmdlet
{
    private const string NameSet = "Name";
    private const string ConnectionSet = "Connection";

    /// <summary>The name of the connection to make the default (Tab completes the names).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The connection to make the default: an object, for example from Get-InvoiceProviderConnection, or a name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionSet, ValueFromPipeline = true)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    [ValidateNotNull]
    public InvoiceProviderConnection[]? Connection { get; set; }

    /// <summary>Return the connection instead of the one-line summary written to the host.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var registry = SessionConnections.Current;
        var name = Connection is { Length: > 0 } given ? given[given.Length - 1].Name : Name!;
        InvoiceProviderConnection chosen;
        try
        {
            chosen = registry.SetDefault(name);
        }
        catch (InvoiceConfigurationException ex)
        {
            WriteFailure(ex, name);
            return;
        }

        if (PassThru)
        {
            WriteObject(chosen);
        }
        else
        {
            WriteHost($"The default connection is now {chosen}.");
        }
    }
}
