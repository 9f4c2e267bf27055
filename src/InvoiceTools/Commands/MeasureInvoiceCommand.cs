using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Sums a stream of invoices per currency: count, total, amount due and amount overdue.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Invoice", HelpUri = HelpLinks.Base + "Measure-Invoice.md")]
[OutputType(typeof(InvoiceSummary))]
public sealed class MeasureInvoiceCommand : InvoiceToolsCmdlet
{
    private readonly InvoiceMeasure _measure = new();
    private long _count;

    /// <summary>The invoices to measure, usually from Get-Invoice through the pipeline. Invoices from Import-Clixml, Start-Job or Invoke-Command are measured like the originals; any other object is measured on the properties it has (Currency, Total, AmountDue, Status, DueDate, Provider), and one with neither Total nor AmountDue is a non-terminating error.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject[]? InputObject { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in InputObject!)
        {
            if (item?.BaseObject is null)
            {
                continue;
            }

            if (item.BaseObject is Invoice invoice)
            {
                _measure.Add(invoice);
            }
            else if (InvoiceFields.Read(PipelineObjects.Properties(item), out var problem) is { } fields)
            {
                _measure.Add(fields);
            }
            else
            {
                WriteNotAnInvoice(item, $"Measure-Invoice cannot measure this {PipelineObjects.Describe(item)}: {problem}.", "Pipe invoices from Get-Invoice (or Import-Clixml of them), or objects with a Total or AmountDue and a Currency property.");
                continue;
            }

            _count++;
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var results = _measure.Results;
        WriteVerbose($"Measured {_count} invoice(s) in {results.Count} currenc{(results.Count == 1 ? "y" : "ies")}; amounts of different currencies are never added together.");
        WriteObject(results, enumerateCollection: true);
    }
}
