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
    /// <summary>The providers to describe, by name (wildcards allowed); all when omitted, built-in ones first.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Provider")]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var providers = ProviderCatalog.Descriptors;
        if (Name is null)
        {
            WriteObject(providers, enumerateCollection: true);
            return;
        }

        var written = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name.Trim(), WildcardOptions.IgnoreCase);
            var matched = providers.Where(d => pattern.IsMatch(d.Name)).ToList();
            if (matched.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No provider is named '{name}'. The providers are {string.Join(", ", providers.Select(d => d.Name))}; a provider of your own is added with Register-InvoiceProvider."),
                    "ProviderNotFound",
                    ErrorCategory.ObjectNotFound,
                    name));
            }

            WriteObject(matched.Where(d => written.Add(d.Name)), enumerateCollection: true);
        }
    }
}
