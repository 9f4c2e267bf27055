using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Providers;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Lists the supported invoice providers and what each can do.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "InvoiceProvider", HelpUri = HelpLinks.Base + "Get-InvoiceProvider.md")]
[OutputType(typeof(ProviderDescriptor))]
public sealed class GetInvoiceProviderCommand : InvoiceToolsCmdlet
{
    /// <summary>The providers to describe; all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Provider")]
    [ValidateNotNullOrEmpty]
    public InvoiceProviderKind[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IEnumerable<ProviderDescriptor> providers = ProviderCatalog.Descriptors;
        if (Name is not null)
        {
            providers = providers.Where(d => Name.Contains(d.Kind));
        }

        WriteObject(providers, enumerateCollection: true);
    }
}
