using System.Collections;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Emits the line items of invoices, each carrying its invoice's id, number, provider and currency.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "InvoiceLineItem", HelpUri = HelpLinks.Base + "Get-InvoiceLineItem.md")]
[OutputType(typeof(InvoiceLineItem))]
public sealed class GetInvoiceLineItemCommand : InvoiceToolsCmdlet
{
    /// <summary>The invoices whose lines to emit, usually from Get-Invoice through the pipeline; invoices from Import-Clixml, Start-Job or Invoke-Command work too. Any other object is a non-terminating error.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject[]? InputObject { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in InputObject!)
        {
            switch (item?.BaseObject)
            {
                case null:
                    continue;
                case Invoice invoice:
                    Write(invoice.Number ?? invoice.Id, invoice.LineItems);
                    continue;
            }

            if (!PipelineObjects.IsDeserializedInvoice(item))
            {
                WriteNotAnInvoice(item, $"Get-InvoiceLineItem takes invoices from Get-Invoice, or the same invoices from Import-Clixml, Start-Job or Invoke-Command; this is a {PipelineObjects.Describe(item)}.", "Pipe Get-Invoice into Get-InvoiceLineItem.");
                continue;
            }

            var name = item.Properties["Number"]?.Value?.ToString() ?? item.Properties["Id"]?.Value?.ToString() ?? "?";
            var value = item.Properties["LineItems"]?.Value;
            var lines = (value is PSObject wrapped ? wrapped.BaseObject : value) as IEnumerable;
            if (lines is null || lines is string || lines.Cast<object>().Any(line => line is string or PSObject { BaseObject: string }))
            {
                WriteNotAnInvoice(item, $"The line items of invoice {name} did not survive serialization: they were deeper than the serialization depth.", "Use Export-Clixml -Depth 3 or more, or run Get-InvoiceLineItem where the invoices were read (inside the job).");
                continue;
            }

            var items = new System.Collections.Generic.List<InvoiceLineItem>();
            foreach (var line in lines)
            {
                items.Add(PipelineObjects.ToLineItem(PSObject.AsPSObject(line)));
            }

            Write(name, items);
        }
    }

    private void Write(string invoice, IList items)
    {
        if (items.Count == 0)
        {
            WriteVerbose($"Invoice {invoice} has no line items.");
        }

        WriteObject(items, enumerateCollection: true);
    }
}
