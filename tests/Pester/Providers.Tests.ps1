#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Revolv3, Opterius Commerce and Kitchen connection parameters, against the BUILT module folder and its in-process sandbox.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    Import-Module (Join-Path $script:ModulePath 'InvoiceTools.psd1') -Force -ErrorAction Stop
    $script:Key = ConvertTo-SecureString 'not-a-real-key' -AsPlainText -Force
}

AfterAll {
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'Revolv3 connections' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'defaults to production, the token header and the automatic endpoint' {
        $c = Connect-InvoiceProvider -Provider Revolv3 -ApiKey $script:Key -SkipKeyCheck -PassThru
        $c.BaseUri.AbsoluteUri | Should -Be 'https://api.revolv3.com/'
        $c.Settings['AuthScheme'] | Should -Be 'Token'
        $c.Settings['Endpoint'] | Should -Be 'Auto'
        $c.Settings['Currency'] | Should -Be 'USD'
    }

    It 'uses the Revolv3 sandbox host and Bearer when asked' {
        $c = Connect-InvoiceProvider -Provider Revolv3 -ApiKey $script:Key -Environment Sandbox -AuthScheme Bearer -SkipKeyCheck -PassThru
        $c.BaseUri.AbsoluteUri | Should -Be 'https://api-sandbox.revolv3.com/'
        $c.Settings['AuthScheme'] | Should -Be 'Bearer'
    }

    It 'refuses -Environment Sandbox with -BaseUri' {
        { Connect-InvoiceProvider -Provider Revolv3 -ApiKey $script:Key -Environment Sandbox -BaseUri https://x.example -ErrorAction Stop } | Should -Throw -ExpectedMessage '*-Environment Sandbox*'
    }

    It 'streams the built-in sandbox and filters status here' {
        Connect-InvoiceProvider -Provider Revolv3 -Sandbox
        (Get-Invoice).Count | Should -Be 430
        Get-Invoice -Status Failed | ForEach-Object { $_.ProviderStatus | Should -BeIn @('Failed', 'Recycle', 'RetryPending') }
    }

    It 'uses the v1 endpoint for the last-update range and says so' {
        Connect-InvoiceProvider -Provider Revolv3 -Sandbox
        $verbose = Get-Invoice -UpdatedAfter 2026-01-01 -First 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match '/api/Invoices/v1'
    }
}

Describe 'Opterius connections' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'needs -BaseUri for a real installation' {
        # What went wrong is the message; what to do is the recommended action, which PowerShell 7 shows under it.
        $problem = { Connect-InvoiceProvider -Provider Opterius -ApiKey $script:Key -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*has no public host*' -PassThru
        $problem.ErrorDetails.RecommendedAction | Should -BeLike 'Pass -BaseUri *https://*'
    }

    It 'keeps the amount-unit override' {
        $c = Connect-InvoiceProvider -Provider Opterius -BaseUri https://billing.example.com -ApiKey $script:Key -AmountUnit Major -SkipKeyCheck -PassThru
        $c.Settings['AmountUnit'] | Should -Be 'Major'
        { Connect-InvoiceProvider -Provider Opterius -Sandbox -AmountUnit Cents } | Should -Throw -ExpectedMessage '*Minor*'
    }

    It 'returns open and overdue invoices together' {
        Connect-InvoiceProvider -Provider Opterius -Sandbox
        $due = Get-Invoice -Status Open, Overdue
        ($due.Status | Sort-Object -Unique) | Should -Be @('Open', 'Overdue')
        $due | Group-Object Currency | ForEach-Object { ($_.Group | Measure-Object AmountDue -Sum).Sum | Should -BeGreaterThan 0 }
    }

    It 'refuses -Customer, which Opterius invoices cannot match' {
        Connect-InvoiceProvider -Provider Opterius -Sandbox
        { Get-Invoice -Customer acme } | Should -Throw -ErrorId 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.GetInvoiceCommand'
    }
}

Describe 'Kitchen connections' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'builds the address from -Workspace' {
        $c = Connect-InvoiceProvider -Provider Kitchen -Workspace Acme -ApiKey $script:Key -SkipKeyCheck -PassThru
        $c.BaseUri.AbsoluteUri | Should -Be 'https://acme.kitchen.co/'
        $c.Settings['Workspace'] | Should -Be 'acme'
    }

    It 'needs -Workspace or -BaseUri, not neither and not both' {
        { Connect-InvoiceProvider -Provider Kitchen -ApiKey $script:Key -ErrorAction Stop } | Should -Throw -ExpectedMessage '*-Workspace*'
        { Connect-InvoiceProvider -Provider Kitchen -ApiKey $script:Key -Workspace acme -BaseUri https://x.example -ErrorAction Stop } | Should -Throw -ExpectedMessage '*not both*'
        { Connect-InvoiceProvider -Provider Kitchen -ApiKey $script:Key -Workspace 'acme.kitchen.co' -ErrorAction Stop } | Should -Throw -ExpectedMessage '*subdomain*'
    }

    It 'lists active invoices by default and all with -State All' {
        Connect-InvoiceProvider -Provider Kitchen -Sandbox
        (Get-Invoice).Count | Should -Be 300
        (Get-Invoice -State All).Count | Should -Be 350
        (Get-Invoice -State Archived).Count | Should -Be 50
    }

    It 'completes -State values' {
        $line = 'Get-Invoice -State Arc'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Archived'
    }

    It 'refuses -State on another provider' {
        Connect-InvoiceProvider -Provider Revere -Sandbox
        { Get-Invoice -State All } | Should -Throw -ExpectedMessage '*works with Kitchen*'
    }
}
