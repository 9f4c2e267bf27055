#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Reading ahead (-PageConcurrency, -Prefetch) changes when requests go out, never what comes out; and the
# Invoke-RestMethod comparison script runs end to end, every side in it counting every invoice. No timing is
# asserted here: figures live in docs/performance.md.

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
    BeforeAll {
        # Over 1,000 invoices, so that Revere's parallel loop has pages after the first at its page of 1,000.
        $script:Compared = & (Join-Path $PSScriptRoot '../perf/Compare-InvokeRestMethod.ps1') -Invoices 2500 -XenditInvoices 1000 -LatencyMs 0 -Runs 1 -ModulePath $script:ModulePath 6>$null
    }

    It 'times the module and three loops for <Provider>, and every side counts every invoice' -TestCases @(
        @{ Provider = 'Revere'; Expected = 2500 }, @{ Provider = 'Kitchen'; Expected = $null }, @{ Provider = 'Xendit'; Expected = 1000 }
    ) {
        $rows = @($script:Compared | Where-Object Provider -EQ $Provider)
        $rows.Side | Should -Be @(
            'module'
            'verbatim loop (100)'
            $(if ($Provider -eq 'Revere') { 'largest-page loop (1000)' } else { 'largest-page loop (100)' })
            $(if ($Provider -eq 'Revere') { 'ForEach-Object -Parallel (1000, 4)' } elseif ($Provider -eq 'Kitchen') { 'ForEach-Object -Parallel (100, 4)' } else { 'ForEach-Object -Parallel' }))
        $module = $rows[0]
        # Kitchen lists only its active invoices, on every side.
        if ($Expected) { $module.Invoices | Should -Be $Expected } else { $module.Invoices | Should -BeGreaterThan 1000 }
        $module.Ratio | Should -Be 1
        foreach ($row in $rows | Where-Object Runs -GT 0) {
            $row.Invoices | Should -Be $module.Invoices -Because "$Provider $($row.Side) must count the module's invoices"
            $row.Runs | Should -Be 1
            $row.MinSeconds | Should -BeLessOrEqual $row.MaxSeconds
            $row.Ratio | Should -BeGreaterThan 0
            $row.CpuSeconds | Should -BeGreaterOrEqual 0
        }
        @($rows | Where-Object Runs -GT 0).Count | Should -Be $(if ($Provider -eq 'Xendit') { 3 } else { 4 })
    }

    It 'says why Xendit has no parallel loop' {
        $row = $script:Compared | Where-Object { $_.Provider -eq 'Xendit' -and $_.Side -eq 'ForEach-Object -Parallel' }
        $row.Runs | Should -Be 0
        $row.MedianSeconds | Should -BeNullOrEmpty
        $row.Note | Should -BeLike '*cursor*cannot be requested in parallel*'
    }

    It 'writes the same figures as a markdown table with -Markdown' {
        $table = & (Join-Path $PSScriptRoot '../perf/Compare-InvokeRestMethod.ps1') -Provider Xendit -XenditInvoices 150 -LatencyMs 0 -Runs 1 -Markdown -ModulePath $script:ModulePath
        $table | Should -BeOfType [string]
        $lines = $table -split '\r?\n'
        $lines | Should -Contain '| Provider | Side | Invoices | Min s | Median s | Max s | Median ÷ module''s | CPU s (median) | Note |'
        @($lines | Where-Object { $_ -like '| Xendit | *' }).Count | Should -Be 4
        $lines | Where-Object { $_ -like '| Xendit | module | 150 |*' } | Should -Not -BeNullOrEmpty
    }
}
