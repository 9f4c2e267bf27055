#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What users type at the prompt, from the README and help, over several inputs of each kind.
# Runs against the BUILT module folder (out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH) and its in-process sandbox.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    $script:Manifest = (Resolve-Path (Join-Path $script:ModulePath 'InvoiceTools.psd1')).Path
    Import-Module $script:Manifest -Force -ErrorAction Stop

    # A summary as comparable text: currency, count, sums and providers.
    function Format-Summary($Summary) {
        @($Summary | ForEach-Object { '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $_.Currency, $_.Count, $_.Total, $_.AmountDue, $_.OverdueCount, $_.AmountOverdue, $_.Providers })
    }
}

AfterAll {
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'Pipeline input' {
    BeforeAll {
        Connect-InvoiceProvider -Provider Revere -Sandbox
        Connect-InvoiceProvider -Provider Kitchen -Sandbox
        $script:Revere = @(Get-Invoice -Connection Revere-Sandbox -First 3)
        $script:Kitchen = @(Get-Invoice -Connection Kitchen-Sandbox -First 4)
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'Get-Invoice re-reads invoices piped as <Kind>, through the connection they came from' -ForEach @(
        @{ Kind = 'invoices'; Make = { param($invoices) $invoices } }
        @{ Kind = 'rows of Import-Csv'; Make = { param($invoices) $invoices | Select-Object Id | ConvertTo-Csv | ConvertFrom-Csv } }
        @{ Kind = 'objects with an Id'; Make = { param($invoices) $invoices | ForEach-Object { [pscustomobject]@{ Id = $_.Id } } } }
        @{ Kind = 'rows with Id and Connection columns'; Make = { param($invoices) $invoices | Select-Object Id, Connection | ConvertTo-Csv | ConvertFrom-Csv } }
        @{ Kind = 'invoices from Import-Clixml'; Make = { param($invoices) $path = Join-Path $TestDrive 'i.xml'; $invoices | Export-Clixml $path; Import-Clixml $path } }
    ) {
        # Kitchen is the default connection; Revere's invoices must go back to Revere when they say where they came from.
        $kitchenAgain = @(& $Make $script:Kitchen | Get-Invoice)
        $kitchenAgain.Id | Should -Be $script:Kitchen.Id
        if ($Kind -notin 'rows of Import-Csv', 'objects with an Id') {
            $revereAgain = @(& $Make $script:Revere | Get-Invoice)
            $revereAgain.Id | Should -Be $script:Revere.Id
            $revereAgain.Connection | Should -Be (@('Revere-Sandbox') * 3)
        }
    }

    It 'Measure-Invoice gives the same sums for invoices and for <Kind>' -ForEach @(
        @{ Kind = 'invoices from Import-Clixml'; Make = { param($invoices) $path = Join-Path $TestDrive 'm.xml'; $invoices | Export-Clixml $path; Import-Clixml $path } }
        @{ Kind = 'rows of Export-Csv and Import-Csv'; Make = { param($invoices) $path = Join-Path $TestDrive 'm.csv'; $invoices | Export-Csv $path; Import-Csv $path } }
        @{ Kind = 'results of Start-Job'; Make = {
                param($invoices)
                Start-Job { param($Manifest) Import-Module $Manifest; Connect-InvoiceProvider -Provider Kitchen -Sandbox; Get-Invoice -First 4 } -ArgumentList $script:Manifest |
                    Receive-Job -Wait -AutoRemoveJob
            }
        }
    ) {
        $expected = Format-Summary ($script:Kitchen | Measure-Invoice)
        Format-Summary (& $Make $script:Kitchen | Measure-Invoice -ErrorAction Stop) | Should -Be $expected
    }

    It 'Get-InvoiceLineItem gives the same lines for invoices and for <Kind>' -ForEach @(
        @{ Kind = 'invoices from Import-Clixml'; Make = { param($invoices) $path = Join-Path $TestDrive 'l.xml'; $invoices | Export-Clixml $path; Import-Clixml $path } }
        @{ Kind = 'results of Start-Job'; Make = {
                param($invoices)
                Start-Job { param($Manifest) Import-Module $Manifest; Connect-InvoiceProvider -Provider Kitchen -Sandbox; Get-Invoice -First 4 } -ArgumentList $script:Manifest |
                    Receive-Job -Wait -AutoRemoveJob
            }
        }
    ) {
        $expected = @($script:Kitchen | Get-InvoiceLineItem)
        $lines = @(& $Make $script:Kitchen | Get-InvoiceLineItem -ErrorAction Stop)
        $lines.Count | Should -Be $expected.Count
        $lines[0] | Should -BeOfType ([InvoiceTools.InvoiceLineItem])
        ($lines | ConvertTo-Csv) | Should -Be ($expected | ConvertTo-Csv)
    }

    It 'Measure-Invoice measures an object only on the fields it has, and never makes one up' {
        $summary = [pscustomobject]@{ Total = 5; Currency = 'EUR' } | Measure-Invoice
        $summary.Currency | Should -Be 'EUR'
        $summary.Total | Should -Be 5
        $summary.Providers | Should -BeNullOrEmpty
        $summary.OverdueCount | Should -Be 0

        $mixed = [pscustomobject]@{ Total = '12.50'; Currency = 'EUR'; Status = 'Overdue'; AmountDue = 12.5; Provider = 'Xendit' } | Measure-Invoice
        ($mixed.OverdueCount, $mixed.AmountOverdue, $mixed.Providers) | Should -Be @(1, 12.5, 'Xendit')
    }

    It 'Measure-Invoice writes a non-terminating error for <Kind> and measures the rest' -ForEach @(
        @{ Kind = 'an object with no Total or AmountDue'; Bad = [pscustomobject]@{ Name = 'x' }; Message = '*neither a Total nor an AmountDue*' }
        @{ Kind = 'a Total that is not a number'; Bad = [pscustomobject]@{ Total = 'abc'; Currency = 'EUR' }; Message = "*Total 'abc' is not a number*" }
        @{ Kind = 'an unknown provider'; Bad = [pscustomobject]@{ Total = 1; Provider = 'Stripe' }; Message = "*Provider 'Stripe' is not one of Revere*" }
        @{ Kind = 'a status given as a number'; Bad = [pscustomobject]@{ Total = 1; Status = 2 }; Message = "*Status '2' is not one of*" }
    ) {
        $summary = $script:Kitchen[0], $Bad, $script:Kitchen[1] | Measure-Invoice -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsNotAnInvoice,InvoiceTools.Commands.MeasureInvoiceCommand'
        $problems[0].Exception.Message | Should -BeLike $Message
        $problems[0].TargetObject | Should -Be $Bad
        ($summary | Measure-Object -Property Count -Sum).Sum | Should -Be 2
    }

    It 'Get-InvoiceLineItem refuses <Kind> with a non-terminating error' -ForEach @(
        @{ Kind = 'an object that is not an invoice'; Make = { [pscustomobject]@{ Id = 'x' } }; Message = '*takes invoices from Get-Invoice*PSCustomObject*' }
        @{ Kind = 'an invoice whose lines were serialized as text'; Make = {
                # What a serialization depth of 1 makes of an invoice; the module's types.ps1xml asks for 2, so build it by hand.
                $flat = [pscustomobject]@{ Id = 'in_1'; Number = 'PREFIX-1'; LineItems = [System.Collections.ArrayList]@('2 x Delivery fee = 30.00 USD') }
                $flat.PSTypeNames.Insert(0, 'Deserialized.InvoiceTools.Invoice')
                $flat
            }; Message = '*line items of invoice PREFIX-1 did not survive serialization*'
        }
    ) {
        $lines = $script:Kitchen[0], (& $Make) | Get-InvoiceLineItem -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].Exception.Message | Should -BeLike $Message
        $lines.Count | Should -Be $script:Kitchen[0].LineItems.Count
    }
}

Describe 'Many connections, one stream' {
    BeforeAll {
        foreach ($provider in 'Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit') {
            Connect-InvoiceProvider -Provider $provider -Sandbox
        }
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'reads every connection that can apply <Filter>, and writes one non-terminating error for each that cannot' -ForEach @(
        @{ Filter = '-Status Overdue'; Arguments = @{ Status = 'Overdue' }; Refused = 'Revolv3-Sandbox', 'Xendit-Sandbox'; Message = '*has no invoices in status Overdue*' }
        @{ Filter = '-Customer harbor'; Arguments = @{ Customer = 'harbor' }; Refused = @('Opterius-Sandbox'); Message = '*-Customer cannot be applied*' }
        @{ Filter = '-PaidAfter'; Arguments = @{ PaidAfter = [datetime]'2026-01-01' }; Refused = 'Kitchen-Sandbox', 'Opterius-Sandbox', 'Revere-Sandbox', 'Revolv3-Sandbox'; Message = '*not a filter*' }
    ) {
        foreach ($how in 'piped', 'named') {
            $invoices = if ($how -eq 'piped') {
                @(Get-InvoiceProviderConnection | Get-Invoice @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue)
            }
            else {
                @(Get-Invoice -Connection (Get-InvoiceProviderConnection).Name @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue)
            }

            @($problems.TargetObject.Name | Sort-Object) | Should -Be @($Refused | Sort-Object) -Because "$how connections"
            foreach ($problem in $problems) {
                $problem.FullyQualifiedErrorId | Should -BeLike 'InvoiceToolsInvalidArgument,*'
                $problem.Exception.Message | Should -BeLike $Message
                $problem.TargetObject | Should -BeOfType ([InvoiceTools.Connections.InvoiceProviderConnection])
            }
            $invoices.Count | Should -BeGreaterThan 0
            @($invoices.Connection | Sort-Object -Unique | Where-Object { $_ -in $Refused }) | Should -BeNullOrEmpty
        }
    }

    It 'stops with one clear error before any request when the only connection cannot apply <Filter>' -ForEach @(
        @{ Filter = '-Status Overdue'; Connection = 'Xendit-Sandbox'; Arguments = @{ Status = 'Overdue' } }
        @{ Filter = '-Customer'; Connection = 'Opterius-Sandbox'; Arguments = @{ Customer = 'harbor' } }
    ) {
        $problem = { Get-Invoice -Connection $Connection @Arguments -Verbose 4>$null } | Should -Throw -ErrorId 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.GetInvoiceCommand' -PassThru
        $problem.TargetObject.Name | Should -Be $Connection
    }

    It 'accepts -Status Unknown on every provider, the status the module shows for words it does not know' {
        $problems = $null
        @(Get-InvoiceProviderConnection | Get-Invoice -Status Unknown -ErrorVariable problems) | Where-Object Status -NE 'Unknown' | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
    }
}
