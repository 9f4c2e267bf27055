using System.Management.Automation;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Emits the line items of invoices, each carrying its invoice's id, number, provider and currency.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "InvoiceLineItem")]
[OutputType(typeof(InvoiceLineItem))]
public sealed class GetInvoiceLineItemCommand : InvoiceToolsCmdlet
{
    /// <summary>The invoices whose lines to emit, usually from Get-Invoice through the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Invoice[]? InputObject { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var invoice in InputObject!)
        {
            if (invoice is null)
            {
                continue;
            }

            if (invoice.LineItems.Count == 0)
            {
                WriteVerbose("Invoice " + (invoice.Number ?? invoice.Id) + " has no line items.");
            }

            WriteObject(invoice.LineItems, enumerateCollection: true);
        }
    }
}
