<#
.SYNOPSIS
    Measures pwsh's peak working set while Get-Invoice reads one Opterius answer that holds every invoice (the real
    Opterius API is unpaginated), against the loopback sandbox host in a process of its own.
.DESCRIPTION
    Each run is a fresh pwsh (the same PowerShell as this one) that imports the module, connects, and pipes every
    invoice into Measure-Object; it reports the peak working set before Get-Invoice and at the end. Pass several
    -Module paths (for example an older build) to compare them against the same server in one run.
.EXAMPLE
    dotnet pwsh tests/perf/Measure-LargeAnswer.ps1 -Invoices 100000 -Runs 3
#>
[CmdletBinding()]
param(
    [int] $Invoices = 100000,
    [int] $Runs = 3,
    [string[]] $Module = @((Join-Path $PSScriptRoot '../../out/InvoiceTools/InvoiceTools.psd1'))
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SandboxHost.ps1')
$pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
$sandbox = Start-SandboxHost -Arguments "--count opterius=$Invoices --opterius-real-shape"
try {
    $uri = "$($sandbox.BaseUri.TrimEnd('/'))/opterius"
    foreach ($run in 1..$Runs) {
        foreach ($path in $Module) {
            $line = & $pwsh -NoProfile -NonInteractive -Command {
                param($Manifest, $Uri)
                Import-Module $Manifest
                $key = ConvertTo-SecureString 'opterius_sandbox_4c2d9e71ab' -AsPlainText -Force
                Connect-InvoiceProvider -Provider Opterius -BaseUri $Uri -ApiKey $key -SkipKeyCheck 6>$null | Out-Null
                $before = (Get-Process -Id $PID).PeakWorkingSet64
                $count = (Get-Invoice | Measure-Object).Count
                '{0} {1} {2}' -f $count, $before, (Get-Process -Id $PID).PeakWorkingSet64
            } -args (Resolve-Path $path).Path, $uri
            $count, $before, $peak = @($line)[-1] -split ' ' | ForEach-Object { [long]$_ }
            if ($count -ne $Invoices) { throw "$path returned $count invoices of $Invoices." }
            [pscustomobject]@{
                Run           = $run
                Module        = $path
                Invoices      = $count
                'Before (MB)' = [math]::Round($before / 1MB)
                'Peak (MB)'   = [math]::Round($peak / 1MB)
                'Growth (MB)' = [math]::Round(($peak - $before) / 1MB)
            }
        }
    }
}
finally {
    Stop-SandboxHost $sandbox
}
