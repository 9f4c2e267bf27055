#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, packages or demonstrates the InvoiceTools module.
.DESCRIPTION
    A thin wrapper over the .NET SDK; it needs nothing else (PowerShell 7 or Windows PowerShell 5.1 to run it).
      Build    (default) dotnet publish -> out/InvoiceTools/, an importable module folder.
      Test     the same `dotnet test InvoiceTools.sln` that CI runs.
      Package  out/InvoiceTools.zip for Azure Automation: the folder InvoiceTools/ with the manifest at its top,
               checked against Azure Automation's limits.
      Demo     Build, then a short pipeline against the built-in sandbox in a child PowerShell.
.EXAMPLE
    ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Stamped into the manifest's ProjectUri and LicenseUri.
    [string] $ProjectUri = 'https://github.com/invoicetools/InvoiceTools'
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

    $text = [IO.File]::ReadAllText($manifest).Replace('__PROJECT_URI__', $ProjectUri.TrimEnd('/'))
    [IO.File]::WriteAllText($manifest, $text, [Text.UTF8Encoding]::new($true))
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
    $hostPath = if ($PSVersionTable.PSEdition -eq 'Core') {
        Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    }
    else {
        Join-Path $PSHOME 'powershell.exe'
    }
    & $hostPath -NoLogo -NoProfile -NonInteractive -Command {
        param($ModuleDir)
        $ErrorActionPreference = 'Stop'
        Import-Module (Join-Path $ModuleDir 'InvoiceTools.psd1')
        Connect-InvoiceProvider -Provider Revere -Sandbox
        Write-Host "`nConnections:" -ForegroundColor Cyan
        Get-InvoiceProviderConnection | Format-Table | Out-Host
        Write-Host 'Five overdue invoices created since 2025:' -ForegroundColor Cyan
        Get-Invoice -Status Overdue -CreatedAfter 2025-01-01 -First 5 | Format-Table | Out-Host
        Write-Host 'Every invoice, all pages, summed per currency (what is owed, what is overdue):' -ForegroundColor Cyan
        Get-Invoice | Measure-Invoice | Format-Table | Out-Host
        Write-Host 'One invoice in full, and its line items:' -ForegroundColor Cyan
        $invoice = Get-Invoice -First 1
        $invoice | Format-List | Out-Host
        $invoice | Get-InvoiceLineItem | Format-Table | Out-Host
        Write-Host 'Every provider the module supports (Get-InvoiceProvider; each has a -Sandbox):' -ForegroundColor Cyan
        Get-InvoiceProvider | Format-Table | Out-Host
    } -args $moduleDir
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
