#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, packages or demonstrates the InvoiceTools module.
.DESCRIPTION
    A thin wrapper over the .NET SDK; it needs nothing else. Run it with the pinned PowerShell tool
    (`dotnet tool restore`, then `dotnet pwsh ./build.ps1 Demo`), or with any PowerShell 7 or Windows PowerShell 5.1.
      Build    (default) dotnet publish -> out/InvoiceTools/, an importable module folder.
      Test     the same `dotnet test InvoiceTools.sln` that CI runs.
      Package  out/InvoiceTools.zip for Azure Automation: the folder InvoiceTools/ with the manifest at its top,
               checked against Azure Automation's limits.
      Demo     Build, then a short pipeline against the built-in sandbox in a child PowerShell.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Demo
.EXAMPLE
    ./build.ps1 Package
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$outDir = Join-Path $root 'out'
$moduleDir = Join-Path $outDir 'InvoiceTools'

function Invoke-Dotnet {
    param([Parameter(Mandatory)] [string[]] $Arguments)
    Write-Host "> dotnet $($Arguments -join ' ')" -ForegroundColor DarkGray
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

function Invoke-ModuleBuild {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
        throw 'The .NET SDK (dotnet) is not on the PATH. Install the SDK named in global.json from https://dot.net.'
    }

    Invoke-Dotnet @('publish', (Join-Path $root 'src/InvoiceTools/InvoiceTools.csproj'), '-c', $Configuration, '--nologo')
    $manifest = Join-Path $moduleDir 'InvoiceTools.psd1'
    if (-not (Test-Path $manifest)) {
        throw "The build did not produce $manifest."
    }

    Write-Host "Module folder: $moduleDir" -ForegroundColor Green
}

function Invoke-ModuleTest {
    Push-Location $root
    try {
        Invoke-Dotnet @('test', 'InvoiceTools.sln')
    }
    finally {
        Pop-Location
    }
}

function Invoke-ModulePackage {
    Invoke-ModuleBuild
    # src/InvoiceTools.Packager checks Azure Automation's rules (folder named after the module with the manifest at
    # its top, no version folder, '/' separators, paths of 140 characters or fewer, 100 MB at most) and writes the zip;
    # tests/InvoiceTools.Module.Tests/PackageLayoutTests runs the same code.
    $zip = Join-Path $outDir 'InvoiceTools.zip'
    Invoke-Dotnet @('run', '--project', (Join-Path $root 'src/InvoiceTools.Packager/InvoiceTools.Packager.csproj'), '-c', $Configuration, '--', $moduleDir, $zip)
}

function Invoke-ModuleDemo {
    Invoke-ModuleBuild
    # The same PowerShell as this one. Under the dotnet tool the process is dotnet itself, and $PSHOME holds the
    # tool's pwsh launcher, or at least pwsh.dll.
    $hostCommand = if ($PSVersionTable.PSEdition -eq 'Desktop') {
        @(Join-Path $PSHOME 'powershell.exe')
    }
    elseif (Test-Path ($launcher = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }))) {
        @($launcher)
    }
    else {
        @('dotnet', (Join-Path $PSHOME 'pwsh.dll'))
    }
    $hostPath, $hostArguments = $hostCommand
    $demo = {
        param($ModuleDir, $ExamplesDir)
        $ErrorActionPreference = 'Stop'
        Import-Module (Join-Path $ModuleDir 'InvoiceTools.psd1')
        # 6>&1: Connect's one-line summary as text, so a redirected run has no CLIXML.
        Connect-InvoiceProvider -Provider Xendit -Sandbox 6>&1 | Out-Host
        Connect-InvoiceProvider -Provider Revere -Sandbox 6>&1 | Out-Host
        "`nConnections (Revere, the last one connected, is the default):" | Out-Host
        Get-InvoiceProviderConnection | Format-Table | Out-Host
        'Five overdue invoices created since 2025:' | Out-Host
        Get-Invoice -Status Overdue -CreatedAfter 2025-01-01 -First 5 | Format-Table | Out-Host
        'The three largest Xendit invoices (Xendit has no numbers: the table shows ids):' | Out-Host
        Get-Invoice -Connection Xendit-Sandbox | Sort-Object Total -Descending | Select-Object -First 3 | Format-Table | Out-Host
        'Every invoice of both connections, summed per currency (owed, overdue):' | Out-Host
        Get-InvoiceProviderConnection | Get-Invoice | Measure-Invoice | Format-Table | Out-Host
        'One invoice in full, and its line items:' | Out-Host
        $invoice = Get-Invoice -First 1
        $invoice | Format-List | Out-Host
        $invoice | Get-InvoiceLineItem | Format-Table | Out-Host
        'An invoice API of your own, from a definition file: Stripe, rehearsed on its sample records (examples/):' | Out-Host
        Register-InvoiceProvider -Path (Join-Path $ExamplesDir 'Stripe/stripe.psd1') | Out-Null
        Connect-InvoiceProvider -Provider Stripe -Sandbox 6>&1 | Out-Host
        Get-Invoice -Status Open, Overdue | Format-Table | Out-Host
        Get-Invoice -Connection Stripe-Sandbox | Measure-Invoice | Format-Table | Out-Host
        'Every provider the module supports (each has a -Sandbox):' | Out-Host
        Get-InvoiceProvider | Format-Table | Out-Host
    }
    # An encoded command, because a script block argument reaches only a host PowerShell recognises as itself. The
    # demo writes to the host with Out-Host, not Write-Host: a child pwsh whose output is redirected would also
    # write Write-Host's information records to stderr as CLIXML.
    $examplesDir = Join-Path $PSScriptRoot 'examples'
    $command = "& { $demo } '$($moduleDir.Replace("'", "''"))' '$($examplesDir.Replace("'", "''"))'"
    & $hostPath @hostArguments -NoLogo -NoProfile -NonInteractive -EncodedCommand ([Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command)))
    if ($LASTEXITCODE) {
        throw "The demo failed with exit code $LASTEXITCODE."
    }
}

switch ($Task) {
    'Build' { Invoke-ModuleBuild }
    'Test' { Invoke-ModuleTest }
    'Package' { Invoke-ModulePackage }
    'Demo' { Invoke-ModuleDemo }
}
