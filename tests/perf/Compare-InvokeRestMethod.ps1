<#
.SYNOPSIS
    Times `Get-Invoice | Measure-Object` against a hand-written Invoke-RestMethod paging loop, both reading the
    same standalone loopback sandbox (src/InvoiceTools.Sandbox.Host) with the same latency.

.DESCRIPTION
    Starts the sandbox host in its own process with -Invoices Revere invoices and -LatencyMs of delay per answer,
    then runs, in this PowerShell session:
      1. the module:  Get-Invoice -PageSize 100 | Measure-Object
      2. the loop:    Invoke-RestMethod in a do { } while, limit/offset, each page's items written to the
                      pipeline (ConvertFrom-Json turns them into PSCustomObjects), | Measure-Object
    Both must count the same invoices. Writes one object with both times and the ratio, and exits 1 when the
    counts differ. Run it from the repository root after `./build.ps1 Build`:

        pwsh -NoProfile -File tests/perf/Compare-InvokeRestMethod.ps1

    The target in docs/performance.md is a ratio of at least 3 at 50 ms latency and 20,000 invoices.

.PARAMETER ModulePath
    The built module folder (default: out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH).
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 10000000)] [int] $Invoices = 20000,
    [ValidateRange(0, 10000)] [int] $LatencyMs = 50,
    [string] $ModulePath = $(if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }),
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
# Invoke-RestMethod draws a progress bar per request, which on Windows PowerShell costs more than the request.
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'SandboxHost.ps1')

$groupId = '8059f5c6-e1cd-4e46-9196-1d7e47401a3e'
$plainKey = 'revere_sandbox_3f9a7c1e5b'   # the sandbox's published test key, not a secret
$server = Start-SandboxHost -Arguments ('--latency {0} --count revere={1}' -f $LatencyMs, $Invoices) -Configuration $Configuration
try {
    $baseUri = $server.BaseUri
    $revere = "$baseUri/revere"

    Import-Module (Join-Path $ModulePath 'InvoiceTools.psd1') -Force
    $key = ConvertTo-SecureString $plainKey -AsPlainText -Force
    Connect-InvoiceProvider -Provider Revere -Name perf -BaseUri $revere -GroupId $groupId -ApiKey $key

    $loop = {
        $offset = 0
        do {
            $page = Invoke-RestMethod -Uri ('{0}/api/v1/groups/{1}/invoices?limit=100&offset={2}' -f $revere, $groupId, $offset) -Headers @{ Authorization = $plainKey }
            $items = @($page.items)
            $items
            $offset += $items.Count
        } while ($items.Count -gt 0 -and $offset -lt $page.total_count)
    }

    # Warm both paths (JIT, connection pools) on a few pages.
    $null = Get-Invoice -First 300 -PageSize 100
    $null = & $loop | Select-Object -First 300

    $moduleTime = Measure-Command { $script:moduleCount = (Get-Invoice -PageSize 100 | Measure-Object).Count }
    $loopTime = Measure-Command { $script:loopCount = (& $loop | Measure-Object).Count }

    $result = [pscustomobject]@{
        PSTypeName      = 'InvoiceTools.PerformanceComparison'
        PowerShell      = $PSVersionTable.PSVersion.ToString()
        Invoices        = $Invoices
        LatencyMs       = $LatencyMs
        ModuleCount     = $script:moduleCount
        LoopCount       = $script:loopCount
        ModuleSeconds   = [math]::Round($moduleTime.TotalSeconds, 2)
        LoopSeconds     = [math]::Round($loopTime.TotalSeconds, 2)
        Ratio           = [math]::Round($loopTime.TotalSeconds / [math]::Max($moduleTime.TotalSeconds, 0.001), 2)
    }
    $result
    if ($result.ModuleCount -ne $Invoices -or $result.LoopCount -ne $Invoices) {
        Write-Error "Counts differ: module $($result.ModuleCount), loop $($result.LoopCount), expected $Invoices." -ErrorAction Continue
        exit 1
    }
}
finally {
    Disconnect-InvoiceProvider -Name perf -Confirm:$false -ErrorAction SilentlyContinue
    Stop-SandboxHost $server
}
