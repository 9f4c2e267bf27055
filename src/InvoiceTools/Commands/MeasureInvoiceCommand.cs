using System.Management.Automation;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Sums a stream of invoices per currency: count, total, amount due and amount overdue.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Invoice")]
[OutputType(typeof(InvoiceSummary))]
public sealed class MeasureInvoiceCommand : InvoiceToolsCmdlet
{
    private readonly InvoiceMeasure _measure = new();
    private long _count;

    /// <summary>The invoices to measure, usually from Get-Invoice through the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Invoice[]? InputObject { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var invoice in InputObject!)
        {
            if (invoice is not null)
            {
                _measure.Add(invoice);
                _count++;
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var results = _measure.Results;
        WriteVerbose("Measured " + _count + " invoice(s) in " + results.Count + " currenc" + (results.Count == 1 ? "y" : "ies") + "; amounts of different currencies are never added together.");
        WriteObject(results, enumerateCollection: true);
    }
}
