#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Reading ahead (-PageConcurrency, -Prefetch) changes when requests go out, never what comes out; and the
# Invoke-RestMethod comparison script runs end to end. No timing is asserted here: figures live in docs/performance.md.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    Import-Module (Join-Path $script:ModulePath 'InvoiceTools.psd1') -Force -ErrorAction Stop
}

AfterAll {
    Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'Reading ahead' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'returns the same invoices in the same order with and without parallel pages (<Provider>)' -TestCases @(
        @{ Provider = 'Revere' }, @{ Provider = 'Opterius' }, @{ Provider = 'Kitchen' }, @{ Provider = 'Xendit' }, @{ Provider = 'Revolv3' }
    ) {
        $one = Connect-InvoiceProvider -Provider $Provider -Sandbox -Name one -PageConcurrency 1 -Prefetch 0 -PassThru
        $many = Connect-InvoiceProvider -Provider $Provider -Sandbox -Name many -PageConcurrency 8 -Prefetch 3 -PassThru
        $sequential = @(Get-Invoice -Connection $one -PageSize 25 | ForEach-Object Id)
        $ahead = @(Get-Invoice -Connection $many -PageSize 25 | ForEach-Object Id)

        $sequential.Count | Should -BeGreaterThan 100
        $ahead | Should -Be $sequential
        $many.PageConcurrency | Should -Be 8
        $many.Prefetch | Should -Be 3
    }

    It 'says in -Verbose how pages are read ahead' {
        Connect-InvoiceProvider -Provider Revere -Sandbox
        $verbose = Get-Invoice -PageSize 100 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        @($verbose | Where-Object { $_ -like '*later pages were requested 4 at a time*' }).Count | Should -Be 1
    }

    It 'refuses -PageConcurrency <Value> at binding time' -TestCases @(@{ Value = 0 }, @{ Value = 17 }) {
        { Connect-InvoiceProvider -Provider Revere -Sandbox -PageConcurrency $Value } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,InvoiceTools.Commands.ConnectInvoiceProviderCommand'
    }

    It 'takes PageConcurrency and Prefetch from a settings hashtable' {
        $c = @{ Provider = 'Kitchen'; Sandbox = $true; PageConcurrency = '2'; Prefetch = 0 } | Connect-InvoiceProvider -PassThru
        $c.PageConcurrency | Should -Be 2
        $c.Prefetch | Should -Be 0
    }

    It 'rejects an out-of-range PageConcurrency from a settings hashtable with the accepted range' {
        $err = $null
        @{ Provider = 'Kitchen'; Sandbox = $true; PageConcurrency = 40 } | Connect-InvoiceProvider -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike '*-PageConcurrency 40 is out of range*'
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*1 (one page at a time) to 16*'
    }

    It '-First 150 at page size 100 ends with two requests, whatever is read ahead' {
        Connect-InvoiceProvider -Provider Opterius -Sandbox
        $verbose = Get-Invoice -First 150 -PageSize 100 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        @($verbose | Where-Object { $_ -like 'GET *' }).Count | Should -Be 2
    }
}

Describe 'Compare-InvokeRestMethod.ps1' {
    It 'counts every invoice with the module and with an Invoke-RestMethod loop against the standalone sandbox' {
        $result = & (Join-Path $PSScriptRoot '../perf/Compare-InvokeRestMethod.ps1') -Invoices 1000 -LatencyMs 0 -ModulePath $script:ModulePath
        $result.ModuleCount | Should -Be 1000
        $result.LoopCount | Should -Be 1000
        $result.Ratio | Should -BeGreaterThan 0
    }
}
