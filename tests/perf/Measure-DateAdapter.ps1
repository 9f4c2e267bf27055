<#
.SYNOPSIS
    What the property adapter that gives the module's dates ISO 8601 text costs the pipelines that read invoice
    properties: Export-Csv, Where-Object, the table view and Sort-Object, with and without the adapter, in one session.
.DESCRIPTION
    Reads the Revere sandbox once and repeats its invoices to -Invoices. Each round times every pipeline with the
    adapter, then removes it (Remove-TypeData) and times them on PowerShell's own .NET adapter, then puts it back.
    Prints each round and the median ratio adapter / .NET per pipeline.
.EXAMPLE
    dotnet pwsh -NoProfile tests/perf/Measure-DateAdapter.ps1 -Invoices 20000 -Rounds 5
#>
[CmdletBinding()]
param(
    [int] $Invoices = 20000,
    [int] $Rounds = 5,
    [string] $Module = (Join-Path $PSScriptRoot '../../out/InvoiceTools/InvoiceTools.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $Module
$null = Connect-InvoiceProvider -Provider Revere -Sandbox -Name perf -InformationAction Ignore
$page = @(Get-Invoice -Connection perf)
$all = [System.Collections.Generic.List[object]]::new()
while ($all.Count -lt $Invoices) { $all.AddRange([object[]] $page) }
$csv = Join-Path ([IO.Path]::GetTempPath()) "invoicetools-adapter-$PID.csv"

$pipelines = [ordered]@{
    'Export-Csv'     = { $all | Export-Csv $csv }
    'Where-Object'   = { $all | Where-Object Status -EQ 'Open' | Measure-Object }
    'Format-Table'   = { $all | Format-Table | Out-String }
    'Sort-Object'    = { $all | Sort-Object DueDate | Select-Object -Last 1 }
}
$adapter = (Get-TypeData InvoiceTools.Invoice).TypeAdapter
$ratios = @{}
foreach ($round in 1..$Rounds) {
    foreach ($name in $pipelines.Keys) {
        $with = (Measure-Command $pipelines[$name]).TotalMilliseconds
        Remove-TypeData -TypeName InvoiceTools.Invoice
        $without = (Measure-Command $pipelines[$name]).TotalMilliseconds
        Update-TypeData -TypeName InvoiceTools.Invoice -TypeAdapter $adapter -Force
        $ratios[$name] += @($with / $without)
        '{0} {1,-13} adapter {2,7:N0} ms   .NET {3,7:N0} ms' -f $round, $name, $with, $without
    }
}
Remove-Item $csv -ErrorAction Ignore
''
"$($all.Count) invoices, median of $Rounds rounds (adapter / .NET):"
foreach ($name in $pipelines.Keys) {
    $sorted = @($ratios[$name] | Sort-Object)
    '  {0,-13} {1:N2}x' -f $name, $sorted[[int][math]::Floor($sorted.Count / 2)]
}
