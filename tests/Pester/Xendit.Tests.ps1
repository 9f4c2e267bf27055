#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Xendit connection modes and filters, against the BUILT module folder and its in-process sandbox.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    Import-Module (Join-Path $script:ModulePath 'InvoiceTools.psd1') -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'Connect-InvoiceProvider -Provider Xendit' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'connects directly to the sandbox with a test key' {
        $c = Connect-InvoiceProvider -Provider Xendit -Sandbox -PassThru
        $c.Name | Should -Be 'Xendit-Sandbox'
        $c.Settings['Gateway'] | Should -Be 'Direct'
        $c.Settings['KeyKind'] | Should -Be 'Test'
        $c.Settings['CursorParameter'] | Should -Be 'Both'
    }

    It 'connects through the Appgregator proxy with its project and connection names' {
        $c = Connect-InvoiceProvider -Provider Xendit -Sandbox -Gateway Appgregator -AppgregatorProject acme -AppgregatorConnection live -PassThru
        $c.Settings['Gateway'] | Should -Be 'Appgregator'
        $c.Settings['Project'] | Should -Be 'acme'
        $c.Settings['ConnectionName'] | Should -Be 'live'
        (Get-Invoice -Connection $c -First 3).Count | Should -Be 3
    }

    It 'tells a live key from a test key without showing it' {
        $key = ConvertTo-SecureString 'xnd_production_0123456789abcdef' -AsPlainText -Force
        $c = Connect-InvoiceProvider -Provider Xendit -ApiKey $key -SkipKeyCheck -PassThru
        $c.Settings['KeyKind'] | Should -Be 'Live'
        ($c | Format-List * | Out-String) | Should -Not -Match '0123456789abcdef'
        $c.BaseUri.AbsoluteUri | Should -Be 'https://api.xendit.co/'
    }

    It 'refuses a public key before any request, and says why' {
        $key = ConvertTo-SecureString 'xnd_public_development_0123456789' -AsPlainText -Force
        { Connect-InvoiceProvider -Provider Xendit -ApiKey $key -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*public key*' -ErrorId 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.ConnectInvoiceProviderCommand'
    }

    It 'refuses settings that belong to the other mode' {
        # What went wrong is the message; what to do is the recommended action, which PowerShell 7 shows under it.
        $problem = { Connect-InvoiceProvider -Provider Xendit -Sandbox -AppgregatorProject acme -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*apply only to the Appgregator proxy*' -PassThru
        $problem.ErrorDetails.RecommendedAction | Should -BeLike '*-Gateway Appgregator*'
        { Connect-InvoiceProvider -Provider Xendit -Sandbox -Gateway Appgregator -ForUserId abc -ErrorAction Stop } | Should -Throw -ExpectedMessage '*-ForUserId*'
    }

    It 'lists the gateways when the value is wrong' {
        { Connect-InvoiceProvider -Provider Xendit -Sandbox -Gateway Nowhere } | Should -Throw -ExpectedMessage '*Appgregator*'
    }
}

Describe 'Get-Invoice from Xendit' {
    BeforeAll {
        Connect-InvoiceProvider -Provider Xendit -Sandbox
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'pages through every invoice with the cursor' {
        $all = Get-Invoice
        $all.Count | Should -Be 750
        ($all.Id | Sort-Object -Unique).Count | Should -Be 750
    }

    It 'maps SETTLED to Paid and keeps the raw status' {
        $paid = Get-Invoice -Status Paid
        $paid | Should -Not -BeNullOrEmpty
        ($paid.ProviderStatus | Sort-Object -Unique) | Should -Be @('PAID', 'SETTLED')
        $paid | ForEach-Object { $_.Status | Should -Be 'Paid' }
    }

    It 'fills the missing bound of a range and says so' {
        $verbose = Get-Invoice -CreatedAfter 2026-06-01 -First 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'created_before=2100-01-01T00:00:00.000Z'
        ($verbose.Message -join "`n") | Should -Match 'both bounds'
    }

    It 'filters by payment channel and client type' {
        $ovo = Get-Invoice -PaymentChannel OVO
        $ovo | Should -Not -BeNullOrEmpty
        $ovo | ForEach-Object { $_.PaymentChannel | Should -Be 'OVO' }
        (Get-Invoice -ClientType Recurring -First 1) | Should -Not -BeNullOrEmpty
    }

    It 'completes payment channels and client types' {
        $line = 'Get-Invoice -PaymentChannel OV'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'OVO'
        $line = 'Get-Invoice -ClientType Rec'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Recurring'
    }

    It 'refuses a paid-date filter combined with unpaid statuses' {
        { Get-Invoice -Status Open -PaidAfter 2025-01-01 } | Should -Throw -ErrorId 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.GetInvoiceCommand'
    }

    It 'refuses a Xendit-only filter on a Revere connection' {
        $revere = Connect-InvoiceProvider -Provider Revere -Sandbox -Name revere-check -PassThru
        try {
            { Get-Invoice -Connection $revere -PaymentChannel BCA } | Should -Throw -ExpectedMessage '*works with Xendit*'
        }
        finally {
            Disconnect-InvoiceProvider -Name revere-check
        }

        (Get-InvoiceProviderConnection -Default).Name | Should -Be 'Xendit-Sandbox'
    }

    It 'formats money for the currency' {
        $idr = Get-Invoice -Connection Xendit-Sandbox | Where-Object Currency -eq 'IDR' | Select-Object -First 1
        $idr | Should -Not -BeNullOrEmpty
        ($idr | Format-Table | Out-String) | Should -Match 'IDR'
        $idr.Total | Should -BeOfType [decimal]
    }
}

Describe 'Xendit with a creation range' {
    BeforeAll {
        $script:Windowed = Connect-InvoiceProvider -Provider Xendit -Sandbox -Name windowed -PassThru
        $script:OneCursor = Connect-InvoiceProvider -Provider Xendit -Sandbox -Name one-cursor -PageConcurrency 1 -PassThru
        $script:Oldest = (Get-Invoice -Connection $script:OneCursor | Measure-Object -Property CreatedAt -Minimum).Minimum
    }

    AfterAll {
        Disconnect-InvoiceProvider -Name windowed, one-cursor -Confirm:$false
    }

    It 'reads -CreatedAfter as creation-time windows at once and writes what one cursor writes, in its order' {
        $after = $script:Oldest.AddMinutes(-1).UtcDateTime
        $expected = @(Get-Invoice -Connection $script:OneCursor -CreatedAfter $after | ForEach-Object Id)
        $records = @(Get-Invoice -Connection $script:Windowed -CreatedAfter $after -Verbose 4>&1)
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $ranges = @($verbose | Where-Object { $_ -like 'Window * of 4: GET *' } | ForEach-Object { if ($_ -match 'created_after=([^&]+)&created_before=([^&]+)') { "$($Matches[1])..$($Matches[2])" } } | Sort-Object -Unique)

        $expected.Count | Should -Be 750
        @($records | Where-Object { $_ -is [InvoiceTools.Invoice] } | ForEach-Object Id) | Should -Be $expected
        $ranges | Should -HaveCount 4
        @($verbose | Where-Object { $_ -like '*read as 4 creation-time windows at once*' }) | Should -HaveCount 1
    }

    It 'keeps one cursor with -First' {
        $verbose = @(Get-Invoice -Connection $script:Windowed -CreatedAfter $script:Oldest.UtcDateTime -First 150 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        @($verbose | Where-Object { $_ -like '*creation-time windows*' }) | Should -BeNullOrEmpty
    }
}
