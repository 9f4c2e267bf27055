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
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$hostProject = Join-Path $repo 'src/InvoiceTools.Sandbox.Host/InvoiceTools.Sandbox.Host.csproj'
$hostDll = @($Configuration, 'Release', 'Debug') |
    ForEach-Object { Join-Path $repo "src/InvoiceTools.Sandbox.Host/bin/$_/net10.0/InvoiceTools.Sandbox.Host.dll" } |
    Where-Object { Test-Path $_ } |
    Select-Object -First 1
if (-not $hostDll) {
    $hostDll = Join-Path $repo "src/InvoiceTools.Sandbox.Host/bin/$Configuration/net10.0/InvoiceTools.Sandbox.Host.dll"
    & dotnet build $hostProject -c $Configuration --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Building the sandbox host failed (exit code $LASTEXITCODE)." }
}

$groupId = '8059f5c6-e1cd-4e46-9196-1d7e47401a3e'
$plainKey = 'revere_sandbox_3f9a7c1e5b'   # the sandbox's published test key, not a secret
$start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
$start.Arguments = '"{0}" --port 0 --latency {1} --count revere={2}' -f $hostDll, $LatencyMs, $Invoices
$start.RedirectStandardOutput = $true
$start.RedirectStandardInput = $true
$start.UseShellExecute = $false
$server = [System.Diagnostics.Process]::Start($start)
try {
    $baseUri = $null
    while ($null -eq $baseUri) {
        $line = $server.StandardOutput.ReadLine()
        if ($null -eq $line) { throw 'The sandbox host exited before it listened.' }
        if ($line -match 'listening on (\S+)') { $baseUri = $Matches[1].TrimEnd('/') }
    }
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
    if (-not $server.HasExited) {
        $server.StandardInput.Close()
        $server.Kill()
        $server.WaitForExit()
    }
}
