using System.Linq;
using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Providers;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Removes providers registered from definition files.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "InvoiceProvider", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Unregister-InvoiceProvider.md")]
[OutputType(typeof(ProviderDescriptor))]
public sealed class UnregisterInvoiceProviderCommand : InvoiceToolsCmdlet
{
    /// <summary>The names of the defined providers to remove (wildcards allowed).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Provider")]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Return the providers removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var name in Name!)
        {
            var pattern = new WildcardPattern(name.Trim(), WildcardOptions.IgnoreCase);
            var matched = ProviderCatalog.Descriptors.Where(d => pattern.IsMatch(d.Name)).ToList();
            foreach (var builtIn in matched.Where(d => d.Kind != InvoiceProviderKind.Defined && !WildcardPattern.ContainsWildcardCharacters(name)))
            {
                WriteError(new ErrorRecord(
                    new PSInvalidOperationException($"{builtIn.Name} is a built-in provider; only providers registered from a definition file can be unregistered."),
                    "InvoiceToolsProviderBuiltIn",
                    ErrorCategory.InvalidOperation,
                    name));
            }

            var defined = matched.Where(d => d.Kind == InvoiceProviderKind.Defined).ToList();
            if (matched.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No provider named '{name}' is registered. Get-InvoiceProvider lists them."),
                    "InvoiceToolsProviderNotFound",
                    ErrorCategory.ObjectNotFound,
                    name));
            }

            foreach (var descriptor in defined)
            {
                if (ShouldProcess($"{descriptor.DisplayName} ({descriptor.Name}), registered from {descriptor.DefinitionFile}", "Unregister invoice provider") && ProviderCatalog.Unregister(descriptor.Name))
                {
                    WriteVerbose($"Unregistered {descriptor.Name}; connections opened to it keep working until they are closed.");
                    if (PassThru)
                    {
                        WriteObject(descriptor);
                    }
                }
            }
        }
    }
}
