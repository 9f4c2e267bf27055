#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What users type at the prompt, from the README and help, over several inputs of each kind.
# Runs against the BUILT module folder (out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH) and its in-process sandbox.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    $script:Manifest = (Resolve-Path (Join-Path $script:ModulePath 'InvoiceTools.psd1')).Path
    Import-Module $script:Manifest -Force -ErrorAction Stop

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

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

    It '-First and -Skip count the invoices looked up <Kind>' -ForEach @(
        @{ Kind = 'by -Id'; Run = { param($first, $skip) Get-Invoice -Connection Revere-Sandbox -Id $script:Revere.Id @first @skip } }
        @{ Kind = 'by -Number'; Run = { param($first, $skip) Get-Invoice -Connection Revere-Sandbox -Number $script:Revere.Number @first @skip } }
        @{ Kind = 'from piped rows with an Id'; Run = { param($first, $skip) $script:Revere | Select-Object Id, Connection | Get-Invoice @first @skip } }
    ) {
        $all = $script:Revere.Id
        @(& $Run @{ First = 1 } @{}).Id | Should -Be $all[0]
        @(& $Run @{ First = 2 } @{ Skip = 1 }).Id | Should -Be $all[1..2]
        @(& $Run @{} @{ Skip = 2 }).Id | Should -Be $all[2]
        @(& $Run @{} @{}).Id | Should -Be $all
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
        @{ Kind = 'objects of ConvertTo-Json and ConvertFrom-Json'; Make = { param($invoices) $invoices | ConvertTo-Json -Depth 5 | ConvertFrom-Json } }
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

        # A defined provider's rows are measured where its definition is not registered (a CSV read on another machine).
        $defined = [pscustomobject]@{ Total = 3; Currency = 'USD'; Provider = 'Stripe' }, [pscustomobject]@{ Total = 4; Currency = 'USD'; Provider = 'Xendit' } | Measure-Invoice
        ($defined.Count, $defined.Total, $defined.Providers) | Should -Be @(2, 7, 'Stripe, Xendit')
    }

    It 'Measure-Invoice writes a non-terminating error for <Kind> and measures the rest' -ForEach @(
        @{ Kind = 'an object with no Total or AmountDue'; Bad = [pscustomobject]@{ Name = 'x' }; Message = '*neither a Total nor an AmountDue*' }
        @{ Kind = 'a Total that is not a number'; Bad = [pscustomobject]@{ Total = 'abc'; Currency = 'EUR' }; Message = "*Total 'abc' is not a number*" }
        @{ Kind = 'a status given as digits in text'; Bad = [pscustomobject]@{ Total = 1; Status = '2' }; Message = "*Status '2' is not one of*" }
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

    It 'reads <How> connections at once and writes them in the same order as one after another' -ForEach @(
        @{ How = 'named' }
        @{ How = 'piped' }
    ) {
        $names = (Get-InvoiceProviderConnection).Name
        $sequential = @(Get-Invoice -Connection $names -ThrottleLimit 1 | ForEach-Object { '{0}/{1}' -f $_.Connection, $_.Id })
        $records = if ($How -eq 'piped') { @(Get-InvoiceProviderConnection | Get-Invoice -Verbose 4>&1) } else { @(Get-Invoice -Connection $names -Verbose 4>&1) }
        $together = @($records | Where-Object { $_ -is [InvoiceTools.Invoice] } | ForEach-Object { '{0}/{1}' -f $_.Connection, $_.Id })

        $together.Count | Should -BeGreaterThan 2000
        $together | Should -Be $sequential
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Reading 5 connections, up to 5 at a time (-ThrottleLimit)*' }) | Should -HaveCount 1
    }

    It 'reports a connection that fails where its invoices would be, and writes the others whole' {
        Connect-InvoiceProvider -Provider Kitchen -Sandbox -Name revoked -ApiKey (ConvertTo-SecureString 'kitchen_revoked' -AsPlainText -Force) -SkipKeyCheck
        try {
            $records = @(Get-Invoice -Connection Revere-Sandbox, revoked, Opterius-Sandbox -ErrorVariable problems -ErrorAction Continue 2>&1)
        }
        finally {
            Disconnect-InvoiceProvider -Name revoked -Confirm:$false
        }

        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand'
        $problems[0].TargetObject.Name | Should -Be 'revoked'
        $at = [array]::IndexOf($records, @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })[0])
        @($records[0..($at - 1)].Connection | Sort-Object -Unique) | Should -Be 'Revere-Sandbox'
        @($records[($at + 1)..($records.Count - 1)].Connection | Sort-Object -Unique) | Should -Be 'Opterius-Sandbox'
        @($records | Where-Object Connection -EQ 'Revere-Sandbox').Count | Should -Be @(Get-Invoice -Connection Revere-Sandbox).Count
    }

    It 'reads connections one after another with -First, so an account that writes nothing is not asked' {
        $names = (Get-InvoiceProviderConnection).Name
        $records = @(Get-Invoice -Connection $names -First 5 -Verbose 4>&1)
        $requests = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*GET *' } | ForEach-Object Message)

        @($records | Where-Object { $_ -is [InvoiceTools.Invoice] }).Count | Should -Be 5
        $requests | Should -HaveCount 1
        $requests[0] | Should -BeLike "[[]$($names[0])] GET https://sandbox.invoicetools.invalid/$((Get-InvoiceProviderConnection -Name $names[0]).Provider.ToString().ToLowerInvariant())/*"
    }

    It 'starts each verbose line of connections read at once with the connection''s name' {
        $names = (Get-InvoiceProviderConnection).Name
        $verbose = @(Get-Invoice -Connection $names -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $requests = @($verbose | Where-Object { $_ -like '*GET *' })

        $requests.Count | Should -BeGreaterThan 5
        foreach ($line in $requests) {
            $line -match '^\[(?<name>[^\]]+)\] GET ' | Should -BeTrue -Because $line
            $Matches.name | Should -BeIn $names
        }
    }

    It 'gives the total of several connections as an estimate when one of them reports none' {
        $both = @(Get-Invoice -Connection Revere-Sandbox, Kitchen-Sandbox -IncludeTotalCount)
        $mixed = @(Get-Invoice -Connection Revere-Sandbox, Xendit-Sandbox -IncludeTotalCount)
        $total = { param($Records) @($Records | Where-Object { $_ -isnot [InvoiceTools.Invoice] })[0] }

        (& $total $both).Accuracy | Should -Be 1.0
        [long](& $total $both).ToString().Split(':')[-1].Trim() | Should -Be @($both | Where-Object { $_ -is [InvoiceTools.Invoice] }).Count
        (& $total $mixed).Accuracy | Should -Be 0.5
    }

    It 'counts -First and -Skip across connections read at once' {
        $names = (Get-InvoiceProviderConnection).Name
        $all = @(Get-Invoice -Connection $names -ThrottleLimit 1 | ForEach-Object Id)
        $first = (Get-Invoice -Connection Revere-Sandbox).Count

        @(Get-Invoice -Connection $names -Skip ($first - 2) -First 5 | ForEach-Object Id) | Should -Be $all[($first - 2)..($first + 2)]
    }

    It 'accepts -Status Unknown on every provider, the status the module shows for words it does not know' {
        $problems = $null
        @(Get-InvoiceProviderConnection | Get-Invoice -Status Unknown -ErrorVariable problems) | Where-Object Status -NE 'Unknown' | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'Connections' {
    BeforeAll {
        $script:Key = ConvertTo-SecureString 'some-key' -AsPlainText -Force
    }

    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -InformationAction Ignore
    }

    It 'gives every connection a default name that says what it is, and never reuses one: <Case>' -ForEach @(
        @{ Case = 'the Xendit sandbox, then through Appgregator'; Connect = { Connect-InvoiceProvider -Provider Xendit -Sandbox; Connect-InvoiceProvider -Provider Xendit -Sandbox -Gateway Appgregator }; Names = 'Xendit-Appgregator-Sandbox', 'Xendit-Sandbox' }
        @{ Case = 'the same sandbox three times'; Connect = { 1..3 | ForEach-Object { Connect-InvoiceProvider -Provider Revere -Sandbox } }; Names = 'Revere-Sandbox', 'Revere-Sandbox-2', 'Revere-Sandbox-3' }
        @{ Case = 'two Revere groups'; Connect = {
                Connect-InvoiceProvider -Provider Revere -GroupId 8059f5c6-e1cd-4e46-9196-1d7e47401a3e -ApiKey $script:Key -SkipKeyCheck
                Connect-InvoiceProvider -Provider Revere -GroupId 11111111-2222-4333-8444-555555555555 -ApiKey $script:Key -SkipKeyCheck
            }; Names = 'Revere-11111111', 'Revere-8059f5c6'
        }
        @{ Case = 'Kitchen workspaces and an Opterius installation'; Connect = {
                Connect-InvoiceProvider -Provider Kitchen -Workspace acme -ApiKey $script:Key -SkipKeyCheck
                Connect-InvoiceProvider -Provider Kitchen -Workspace globex -ApiKey $script:Key -SkipKeyCheck
                Connect-InvoiceProvider -Provider Opterius -BaseUri https://billing.example.com -ApiKey $script:Key -SkipKeyCheck
            }; Names = 'Kitchen-acme', 'Kitchen-globex', 'Opterius-billing.example.com'
        }
    ) {
        & $Connect 6>$null
        @((Get-InvoiceProviderConnection).Name) | Should -Be $Names
    }

    It 'refuses a -Name in use, before reading any key, and replaces it only with -Force' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name prod 6>$null
        $problem = { Connect-InvoiceProvider -Provider Kitchen -Sandbox -Name prod -ErrorAction Stop } | Should -Throw -ExpectedMessage "A connection named 'prod' is already open: prod (Revere Payments, sandbox)." -PassThru
        $problem.ErrorDetails.RecommendedAction | Should -BeLike '*-Force*'
        (Get-InvoiceProviderConnection prod).Provider | Should -Be 'Revere'

        # The same check comes first for a row, so a secret is not read for a connection that cannot be added.
        @{ Provider = 'Kitchen'; Workspace = 'acme'; Name = 'PROD'; SecretName = 'never-read' } | Connect-InvoiceProvider -ErrorVariable rowProblem -ErrorAction SilentlyContinue
        $rowProblem[0].Exception.Message | Should -BeLike "A connection named 'prod' is already open*"

        Connect-InvoiceProvider -Provider Kitchen -Sandbox -Name prod -Force 6>$null
        (Get-InvoiceProviderConnection prod).Provider | Should -Be 'Kitchen'
        @(Get-InvoiceProviderConnection).Count | Should -Be 1
    }

    It 'refuses another provider''s settings: <Case>' -ForEach @(
        @{ Case = 'one on the command line'; Run = { Connect-InvoiceProvider -Provider Revere -Sandbox -Workspace acme -ErrorAction Stop }; Message = '-Workspace (Kitchen) is a setting of another provider, not of Revere.' }
        @{ Case = 'three on the command line'; Run = { Connect-InvoiceProvider -Provider Revere -Sandbox -Workspace acme -Gateway Appgregator -Endpoint V1 -ErrorAction Stop }; Message = '-Workspace (Kitchen), -Gateway (Xendit), -Endpoint (Revolv3) are settings of another provider, not of Revere.' }
        @{ Case = 'a settings row'; Run = { @{ Provider = 'Kitchen'; Sandbox = $true; GroupId = 'x' } | Connect-InvoiceProvider -ErrorAction Stop }; Message = '-GroupId (Revere) is a setting of another provider, not of Kitchen.' }
    ) {
        $problem = $Run | Should -Throw -ExpectedMessage $Message -PassThru
        $problem.ErrorDetails.RecommendedAction | Should -BeLike '*takes*beside the common ones.'
        Get-InvoiceProviderConnection | Should -BeNullOrEmpty
    }

    It 'names the settings row of each error: <Case>' -ForEach @(
        @{ Case = 'a CSV of accounts'; Rows = { 'Provider,Name,Sandbox,Workspace', 'Kitchen,K1,true,', 'Revere,R2,yes,', 'Kitchen,,false,acme corp' | ConvertFrom-Csv } }
        @{ Case = 'hashtables'; Rows = { @{ Provider = 'Kitchen'; Name = 'K1'; Sandbox = $true }, @{ Provider = 'Revere'; Name = 'R2'; Sandbox = 'yes' }, @{ Provider = 'Kitchen'; Workspace = 'acme corp' } } }
    ) {
        & $Rows | Connect-InvoiceProvider -ErrorVariable problems -ErrorAction SilentlyContinue -InformationAction Ignore
        $problems | Should -HaveCount 2
        $problems[0].ErrorDetails.Message | Should -BeLike "Settings row 2 (Name 'R2'): The connection setting Sandbox cannot be 'yes'.*"
        $problems[1].ErrorDetails.Message | Should -BeLike 'Settings row 3: *acme corp*'
        (Get-InvoiceProviderConnection).Name | Should -Be 'K1'
    }

    It 'warns about a CSV column that looks like a misspelt setting, and names the row' {
        $rows = 'Provider,Name,Sandbox,Workspce,Notes', 'Kitchen,K1,true,acme,for finance' | ConvertFrom-Csv
        $verbose = $rows | Connect-InvoiceProvider -WarningVariable warnings -WarningAction SilentlyContinue -InformationAction Ignore -Verbose 4>&1
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -BeLike 'Settings row 1: ignored Workspce (did you mean Workspace?): not a Connect-InvoiceProvider setting.*'
        $verbose.Message | Should -Contain 'Settings row 1: ignored Notes: not a Connect-InvoiceProvider setting.'
    }

    It 'refuses -Currency for a provider whose invoices always name theirs' {
        { Connect-InvoiceProvider -Provider Kitchen -Sandbox -Currency EUR -ErrorAction Stop } | Should -Throw -ExpectedMessage '-Currency (Revere, Revolv3) is a setting of other providers, not of Kitchen.'
        Connect-InvoiceProvider -Provider Revere -Sandbox -Currency EUR -InformationAction Ignore
        (Get-InvoiceProviderConnection -Default).Settings['Currency'] | Should -Be 'EUR'
    }

    It 'shows a one-line summary on success, and the object instead with -PassThru' {
        $summary = Connect-InvoiceProvider -Provider Kitchen -Sandbox 6>&1
        $summary | Should -HaveCount 1
        "$summary" | Should -Be 'Connected to Kitchen-Sandbox (Kitchen, sandbox); it is the default now.'

        $both = @(Connect-InvoiceProvider -Provider Revere -Sandbox -PassThru 6>&1)
        $both | Should -HaveCount 1
        $both[0] | Should -BeOfType ([InvoiceTools.Connections.InvoiceProviderConnection])
        Connect-InvoiceProvider -Provider Xendit -Sandbox -InformationAction Ignore 6>&1 | Should -BeNullOrEmpty
    }

    It 'says what to do for <Case>, instead of prompting or a conversion error' -ForEach @(
        @{ Case = '-SandboxFault without -Sandbox'; Run = { Connect-InvoiceProvider -Provider Revere -GroupId 8059f5c6-e1cd-4e46-9196-1d7e47401a3e -ApiKey $script:Key -SandboxFault ServiceUnavailable -ErrorAction Stop }; Message = '*-Sandbox*'; Id = 'InvoiceToolsInvalidArgument,*' }
        @{ Case = '-SandboxLatencyMs without -Sandbox'; Run = { Connect-InvoiceProvider -Provider Kitchen -Workspace acme -ApiKey $script:Key -SandboxLatencyMs 50 -ErrorAction Stop }; Message = '*-Sandbox*'; Id = 'InvoiceToolsInvalidArgument,*' }
        @{ Case = 'a plain-text -ApiKey'; Run = { Connect-InvoiceProvider -Provider Kitchen -Workspace acme -ApiKey 'kitchen-plain-key' -ErrorAction Stop }; Message = '*-ApiKey takes a SecureString, not plain text*Read-Host -AsSecureString*'; Id = 'ParameterArgumentTransformationError,*' }
        @{ Case = '-Sandbox with -BaseUri'; Run = { Connect-InvoiceProvider -Provider Revere -Sandbox -BaseUri https://x.example -ErrorAction Stop }; Message = '-Sandbox uses the built-in emulator, so it cannot be combined with -BaseUri.'; Id = 'InvoiceToolsInvalidArgument,*' }
        @{ Case = '-Sandbox with -Proxy'; Run = { Connect-InvoiceProvider -Provider Revere -Sandbox -Proxy http://proxy.example:8080 -ErrorAction Stop }; Message = '*takes no proxy*'; Id = 'InvoiceToolsInvalidArgument,*' }
        @{ Case = '-Sandbox with -SecretName'; Run = { Connect-InvoiceProvider -Provider Revere -Sandbox -SecretName k -ErrorAction Stop }; Message = '-SecretName reads a real API key, and -Sandbox needs none.'; Id = 'InvoiceToolsInvalidArgument,*' }
        @{ Case = '-ApiKey with -Credential'; Run = { Connect-InvoiceProvider -Provider Kitchen -Workspace acme -ApiKey $script:Key -Credential ([pscredential]::new('u', $script:Key)) -ErrorAction Stop }; Message = '-ApiKey and -Credential both give the API key.'; Id = 'InvoiceToolsInvalidArgument,*' }
    ) {
        $problem = $Run | Should -Throw -ExpectedMessage $Message -PassThru
        $problem.FullyQualifiedErrorId | Should -BeLike $Id
        # The line the user typed is shown back to them; the module's own message never repeats the key.
        $problem.Exception.Message | Should -Not -Match 'kitchen-plain-key'
    }
}

Describe 'Connect checks the key' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../perf/SandboxHost.ps1')
        $script:Server = Start-SandboxHost -Configuration Debug
        $script:Revere = "$($script:Server.BaseUri)/revere"
        $script:GroupId = '8059f5c6-e1cd-4e46-9196-1d7e47401a3e'
    }

    AfterAll {
        Stop-SandboxHost $script:Server
    }

    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -InformationAction Ignore
    }

    It 'connects with a key the provider accepts, after one request' {
        $key = ConvertTo-SecureString 'revere_sandbox_3f9a7c1e5b' -AsPlainText -Force
        $verbose = Connect-InvoiceProvider -Provider Revere -BaseUri $script:Revere -GroupId $script:GroupId -ApiKey $key -Verbose 4>&1 6>$null
        @($verbose.Message | Where-Object { $_ -like 'GET *' }).Count | Should -Be 1
        $verbose.Message | Should -Contain 'Checked the key with one request to Revere: it was accepted.'
        (Get-InvoiceProviderConnection -Default).BaseUri.AbsoluteUri.TrimEnd('/') | Should -Be $script:Revere
    }

    It 'fails at Connect with a key the provider refuses, and keeps no connection' {
        $key = ConvertTo-SecureString 'wrong-key-5d1' -AsPlainText -Force
        Connect-InvoiceProvider -Provider Revere -BaseUri $script:Revere -GroupId $script:GroupId -ApiKey $key -Name wrong -ErrorVariable problems -ErrorAction SilentlyContinue 6>$null
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.ConnectInvoiceProviderCommand'
        $problems[0].TargetObject.Name | Should -Be 'wrong'
        $problems[0].ErrorDetails.RecommendedAction | Should -BeLike '*-SkipKeyCheck*'
        ($problems[0] | Format-List * -Force | Out-String) | Should -Not -Match 'wrong-key-5d1'
        Get-InvoiceProviderConnection | Should -BeNullOrEmpty
    }

    It 'checks a key given for the sandbox too, and says why it does not check the sandbox''s own' {
        Connect-InvoiceProvider -Provider Kitchen -Sandbox -ApiKey (ConvertTo-SecureString 'wrong-key' -AsPlainText -Force) -ErrorVariable problems -ErrorAction SilentlyContinue -InformationAction Ignore
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.ConnectInvoiceProviderCommand'
        Get-InvoiceProviderConnection | Should -BeNullOrEmpty
        $verbose = Connect-InvoiceProvider -Provider Kitchen -Sandbox -Verbose -InformationAction Ignore 4>&1
        $verbose.Message | Should -Contain 'The key was not checked: the sandbox uses its own key.'
        $verbose = Connect-InvoiceProvider -Provider Revere -Sandbox -ApiKey (ConvertTo-SecureString 'revere_sandbox_3f9a7c1e5b' -AsPlainText -Force) -SandboxFault ServiceUnavailable -Verbose -InformationAction Ignore 4>&1
        $verbose.Message | Should -Contain 'The key was not checked: a rehearsal''s faults start at the second request, which the check would take.'
    }

    It 'connects with -SkipKeyCheck and sends nothing; the first Get-Invoice tells' {
        $key = ConvertTo-SecureString 'wrong-key-5d1' -AsPlainText -Force
        $verbose = Connect-InvoiceProvider -Provider Revere -BaseUri $script:Revere -GroupId $script:GroupId -ApiKey $key -SkipKeyCheck -Verbose 4>&1 6>$null
        @($verbose.Message | Where-Object { $_ -like 'GET *' }) | Should -BeNullOrEmpty
        $problem = { Get-Invoice -First 1 } | Should -Throw -ErrorId 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand' -PassThru
        $problem.TargetObject | Should -BeOfType ([InvoiceTools.Connections.InvoiceProviderConnection])
        $problem.TargetObject.Name | Should -Be 'Revere-8059f5c6'
        $lookup = { Get-Invoice -Id 'in_1' } | Should -Throw -ErrorId 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand' -PassThru
        $lookup.TargetObject.Name | Should -Be 'Revere-8059f5c6'
    }
}

Describe 'Connecting again with -Force' {
    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'replaces the connection of the default name instead of adding <Provider>-Sandbox-2' -ForEach @(
        @{ Provider = 'Kitchen' }
        @{ Provider = 'Revere' }
    ) {
        $first = Connect-InvoiceProvider -Provider $Provider -Sandbox -PassThru
        $second = Connect-InvoiceProvider -Provider $Provider -Sandbox -Force -PassThru
        $third = Connect-InvoiceProvider -Provider $Provider -Sandbox -PassThru

        $second.Name | Should -Be "$Provider-Sandbox"
        $first.IsClosed | Should -BeTrue
        $third.Name | Should -Be "$Provider-Sandbox-2"
        @(Get-InvoiceProviderConnection -Name "$Provider-Sandbox*").Count | Should -Be 2
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'keeps a connection to another account under the default name, and names the new one -2' {
        $alpha = Connect-InvoiceProvider -Provider Kitchen -Sandbox -Workspace alpha -PassThru
        $beta = Connect-InvoiceProvider -Provider Kitchen -Sandbox -Workspace beta -Force -PassThru

        $alpha.IsClosed | Should -BeFalse
        $beta.Name | Should -Be "$($alpha.Name)-2"
        $beta.Settings['Workspace'] | Should -Be 'beta'
        Disconnect-InvoiceProvider -All -Confirm:$false
    }
}

Describe 'The default connection' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -InformationAction Ignore
    }

    It 'says which connection became the default when <Case>' -ForEach @(
        @{ Case = 'the default is closed by name'; Close = { Disconnect-InvoiceProvider -Name Xendit-Sandbox -Confirm:$false }; Expected = 'The default connection is now Kitchen-Sandbox (Kitchen, sandbox). Select-InvoiceProviderConnection chooses another.'; Default = 'Kitchen-Sandbox' }
        @{ Case = 'the default is closed without a name'; Close = { Disconnect-InvoiceProvider -Confirm:$false }; Expected = 'The default connection is now Kitchen-Sandbox (Kitchen, sandbox). Select-InvoiceProviderConnection chooses another.'; Default = 'Kitchen-Sandbox' }
        @{ Case = 'another connection is closed'; Close = { Disconnect-InvoiceProvider -Name Revere-Sandbox -Confirm:$false }; Expected = $null; Default = 'Xendit-Sandbox' }
    ) {
        foreach ($provider in 'Revere', 'Kitchen', 'Xendit') { Connect-InvoiceProvider -Provider $provider -Sandbox -InformationAction Ignore }
        $said = @(& $Close 6>&1)
        if ($Expected) { "$said" | Should -Be $Expected } else { $said | Should -BeNullOrEmpty }
        (Get-InvoiceProviderConnection -Default).Name | Should -Be $Default
    }

    It 'is chosen with Select-InvoiceProviderConnection by <Case>, and Get-Invoice reads it' -ForEach @(
        @{ Case = 'name'; Select = { Select-InvoiceProviderConnection revere-sandbox } }
        @{ Case = 'object from the pipeline'; Select = { Get-InvoiceProviderConnection Revere-* | Select-InvoiceProviderConnection } }
        @{ Case = 'name with -PassThru'; Select = { $c = Select-InvoiceProviderConnection -Name Revere-Sandbox -PassThru; $c.Name | Should -Be 'Revere-Sandbox' } }
    ) {
        Connect-InvoiceProvider -Provider Revere -Sandbox -InformationAction Ignore
        Connect-InvoiceProvider -Provider Kitchen -Sandbox -InformationAction Ignore
        $said = @(& $Select 6>&1 | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
        if ($Case -notlike '*PassThru') { "$said" | Should -Be 'The default connection is now Revere-Sandbox (Revere Payments, sandbox).' }
        (Get-InvoiceProviderConnection -Default).Name | Should -Be 'Revere-Sandbox'
        (Get-Invoice -First 1).Provider | Should -Be 'Revere'
        Get-Completion 'Select-InvoiceProviderConnection Kit' | Should -Be 'Kitchen-Sandbox'
    }

    It 'goes back to the connection chosen before when the default is closed' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -InformationAction Ignore
        Connect-InvoiceProvider -Provider Xendit -Sandbox -InformationAction Ignore
        Select-InvoiceProviderConnection Revere-Sandbox -InformationAction Ignore
        Connect-InvoiceProvider -Provider Kitchen -Sandbox -InformationAction Ignore
        "$(Disconnect-InvoiceProvider -Confirm:$false 6>&1)" | Should -Be 'The default connection is now Revere-Sandbox (Revere Payments, sandbox). Select-InvoiceProviderConnection chooses another.'
        (Get-InvoiceProviderConnection -Default).Name | Should -Be 'Revere-Sandbox'
    }

    It 'refuses a name that is not open and lists the open ones' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -InformationAction Ignore
        Select-InvoiceProviderConnection nothing -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].Exception.Message | Should -Be "There is no connection named 'nothing' in this session."
        $problems[0].ErrorDetails.RecommendedAction | Should -Be 'Connections in this session: Revere-Sandbox.'
        (Get-InvoiceProviderConnection -Default).Name | Should -Be 'Revere-Sandbox'
    }

    It 'has a working online help link on every cmdlet: <_>' -ForEach @(
        'Connect-InvoiceProvider', 'Disconnect-InvoiceProvider', 'Get-Invoice', 'Get-InvoiceLineItem',
        'Get-InvoiceProvider', 'Get-InvoiceProviderConnection', 'Measure-Invoice', 'Select-InvoiceProviderConnection'
    ) {
        # Get-Help -Online opens this address; the page is the repository's own docs/help file.
        (Get-Command $_).HelpUri | Should -Be "https://github.com/invoicetools/InvoiceTools/blob/main/docs/help/$_.md"
        Test-Path (Join-Path $PSScriptRoot "../../docs/help/$_.md") | Should -BeTrue
        (Get-Module InvoiceTools).PrivateData.PSData.ProjectUri | Should -Be 'https://github.com/invoicetools/InvoiceTools'
    }
}

Describe 'Completion and wildcards' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -InformationAction Ignore
    }

    It 'completes -Status with what <Case> can have' -ForEach @(
        @{ Case = 'the default Xendit connection'; Setup = { Connect-InvoiceProvider -Provider Xendit -Sandbox }; Line = 'Get-Invoice -Status '; Expected = 'Unknown', 'Open', 'Paid', 'Expired' }
        @{ Case = 'the default Kitchen connection (Overdue worked out by the module)'; Setup = { Connect-InvoiceProvider -Provider Kitchen -Sandbox }; Line = 'Get-Invoice -Status '; Expected = 'Unknown', 'Draft', 'Open', 'Overdue', 'Paid', 'Void', 'Uncollectible' }
        @{ Case = 'the connection named on the line'; Setup = { Connect-InvoiceProvider -Provider Revere -Sandbox; Connect-InvoiceProvider -Provider Xendit -Sandbox }; Line = 'Get-Invoice -Connection Revere-Sandbox -Status '; Expected = 'Unknown', 'Open', 'Overdue', 'Paid', 'Void' }
        @{ Case = 'no connection at all'; Setup = { }; Line = 'Get-Invoice -Status '; Expected = 'Unknown', 'Draft', 'Open', 'Overdue', 'Paid', 'PartiallyRefunded', 'Refunded', 'Void', 'Uncollectible', 'Failed', 'Expired' }
        @{ Case = 'the connection piped from Get-InvoiceProviderConnection'; Setup = { Connect-InvoiceProvider -Provider Revere -Sandbox; Connect-InvoiceProvider -Provider Xendit -Sandbox }; Line = 'Get-InvoiceProviderConnection Revere-* | Get-Invoice -Status '; Expected = 'Unknown', 'Open', 'Overdue', 'Paid', 'Void' }
        @{ Case = 'every piped connection'; Setup = { Connect-InvoiceProvider -Provider Revere -Sandbox; Connect-InvoiceProvider -Provider Xendit -Sandbox }; Line = 'Get-InvoiceProviderConnection | Get-Invoice -Status '; Expected = 'Unknown', 'Open', 'Overdue', 'Paid', 'Void', 'Expired' }
        @{ Case = 'a prefix on Revolv3'; Setup = { Connect-InvoiceProvider -Provider Revolv3 -Sandbox }; Line = 'Get-Invoice -Status P'; Expected = 'Paid', 'PartiallyRefunded' }
    ) {
        & $Setup 6>$null
        Get-Completion $Line | Should -Be $Expected
    }

    It 'says in -Verbose that pages are read ahead only when one was: <Case>' -ForEach @(
        @{ Case = 'everything on the first page'; Arguments = @{ Customer = 'blue*'; First = 3 }; Said = 0 }
        @{ Case = 'every page'; Arguments = @{ PageSize = 100 }; Said = 1 }
    ) {
        Connect-InvoiceProvider -Provider Revere -Sandbox 6>$null
        $verbose = @(Get-Invoice @Arguments -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        @($verbose | Where-Object { $_ -like '*later pages were requested*' -or $_ -like 'The next page was requested*' }).Count | Should -Be $Said
        if ($Said) { $verbose[-1] | Should -Match '^Revere Payments: done, \d+ of the \d+ invoice\(s\) received passed the query''s filters, in \d+ page request\(s\) \(retries not counted\)\.$' }
        else { $verbose[-1] | Should -Be 'Stopped after 3 invoice(s), all that was asked for; nothing further is requested.' }
    }

    It 'takes -Status <Given> as a status name, in any case, and refuses anything else at binding time' -ForEach @(
        @{ Given = 'overdue'; Works = $true }
        @{ Given = 'PAID'; Works = $true }
        @{ Given = 'Overdoo'; Works = $false }
        @{ Given = '3'; Works = $false }
    ) {
        Connect-InvoiceProvider -Provider Revere -Sandbox 6>$null
        if ($Works) {
            @(Get-Invoice -Status $Given -First 3).Status | Should -Be (@([InvoiceTools.InvoiceStatus]$Given) * 3)
        }
        else {
            { Get-Invoice -Status $Given } | Should -Throw -ErrorId 'ParameterArgumentValidationError,InvoiceTools.Commands.GetInvoiceCommand' -ExpectedMessage "*'$Given' is not one of Unknown, Draft, Open, Overdue*"
        }
    }

    It 'matches -Customer <Pattern> as -like does, and plain text as a substring' -ForEach @(
        @{ Pattern = 'blue*' }
        @{ Pattern = '*LOGISTICS' }
        @{ Pattern = '*harbor*' }
        @{ Pattern = 'harbor' }
        @{ Pattern = 'harbor*' }
        @{ Pattern = '[bv]*' }
        @{ Pattern = '*[a-d]s' }
    ) {
        Connect-InvoiceProvider -Provider Revere -Sandbox 6>$null
        $all = @(Get-Invoice)
        $expected = if ($Pattern -match '[*?\[]') { @($all | Where-Object { $_.CustomerName -like $Pattern -or $_.CustomerEmail -like $Pattern -or $_.CustomerId -like $Pattern }) } else { @($all | Where-Object { $_.CustomerName -match [regex]::Escape($Pattern) }) }
        @(Get-Invoice -Customer $Pattern).Id | Should -Be @($expected.Id)
    }
}

Describe 'Output that reads well' {
    BeforeAll {
        foreach ($provider in 'Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit') {
            Connect-InvoiceProvider -Provider $provider -Sandbox -InformationAction Ignore
        }
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false -InformationAction Ignore
    }

    It 'writes a connection to JSON as plain values, with no key and no TimeSpan objects' {
        $json = Get-InvoiceProviderConnection Revere-Sandbox | ConvertTo-Json -Depth 3
        $json | Should -Match '"MaxRetryWaitSeconds": 120'
        $json | Should -Match '"TimeoutSeconds": 100'
        $json | Should -Not -Match 'Ticks|TotalMilliseconds'
        $json | Should -Not -Match ([regex]::Escape('revere_sandbox_3f9a7c1e5b'))
    }

    It 'writes <Kind> to JSON with names, not numbers, for every enum, without -EnumsAsStrings' -ForEach @(
        @{ Kind = 'invoices of every provider'; Make = { foreach ($p in 'Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit') { Get-Invoice -Connection "$p-Sandbox" -First 2 } }; Names = 'Status', 'Provider' }
        @{ Kind = 'connections'; Make = { Get-InvoiceProviderConnection }; Names = 'Provider' }
        @{ Kind = 'providers'; Make = { Get-InvoiceProvider }; Names = 'Kind' }
        @{ Kind = 'summaries'; Make = { Get-InvoiceProviderConnection | Get-Invoice -First 20 | Measure-Invoice }; Names = 'Providers' }
    ) {
        $objects = @(& $Make)
        $objects.Count | Should -BeGreaterThan 2
        $parsed = @($objects | ConvertTo-Json -Depth 3 | ConvertFrom-Json)
        $parsed.Count | Should -Be $objects.Count
        for ($i = 0; $i -lt $objects.Count; $i++) {
            foreach ($name in $Names) {
                $parsed[$i].$name | Should -BeOfType [string]
                $parsed[$i].$name | Should -Be ([string] $objects[$i].$name)
            }
        }
    }

    It 'writes the invoices'' statuses to JSON as the words users filter on: <Status>' -ForEach @(
        @{ Status = 'Open' }, @{ Status = 'Paid' }, @{ Status = 'Overdue' }
    ) {
        $json = Get-Invoice -Connection Revere-Sandbox -Status $Status -First 3 | ConvertTo-Json -Depth 1 -WarningAction Ignore
        ([regex]::Matches($json, '"Status": "' + $Status + '"')).Count | Should -Be 3
        $json | Should -Match '"Provider": "Revere"'
    }

    It 'writes ISO 8601 dates to CSV under <Culture>, and they read back to the same instants' -ForEach @(
        @{ Culture = 'en-US' }, @{ Culture = 'de-DE' }, @{ Culture = 'th-TH' }, @{ Culture = 'fa-IR' }, @{ Culture = 'ja-JP' }
    ) {
        $invoices = foreach ($p in 'Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit') { Get-Invoice -Connection "$p-Sandbox" -First 3 }
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $Culture
            $rows = @($invoices | ConvertTo-Csv | ConvertFrom-Csv)
            $selected = @($invoices | Select-Object Id, DueDate | ConvertTo-Csv | ConvertFrom-Csv)
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }

        $iso = '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{7})?Z$'
        $checked = 0
        for ($i = 0; $i -lt $invoices.Count; $i++) {
            foreach ($name in 'CreatedAt', 'IssuedAt', 'DueDate', 'PaidAt', 'UpdatedAt', 'ExpiresAt') {
                $value = $invoices[$i].$name
                if ($null -eq $value) { $rows[$i].$name | Should -BeNullOrEmpty; continue }
                $rows[$i].$name | Should -Match $iso
                [datetimeoffset]::Parse($rows[$i].$name, [cultureinfo]::InvariantCulture) | Should -Be $value
                $checked++
            }
            if ($invoices[$i].DueDate) { $selected[$i].DueDate | Should -Be $rows[$i].DueDate }
        }
        $checked | Should -BeGreaterThan 30
    }

    It 'keeps a CSV''s columns in the order of the invoice''s properties' {
        $header = (Get-Invoice -Connection Kitchen-Sandbox -First 1 | ConvertTo-Csv)[0] -replace '"', '' -split ','
        $header | Should -Be ([InvoiceTools.Invoice].GetProperties().Name)
    }

    It 'leaves an invoice''s dates DateTimeOffsets, and other dates in the session as PowerShell shows them' {
        $invoice = Get-Invoice -Connection Revere-Sandbox -First 1
        $invoice.DueDate | Should -BeOfType [datetimeoffset]
        $invoice.DueDate -gt [datetimeoffset]'2000-01-01' | Should -BeTrue
        $invoice.DueDate.ToString('yyyy-MM-dd') | Should -Be $invoice.DueDate.UtcDateTime.ToString('yyyy-MM-dd')
        $invoice.DueDate.AddDays(1).UtcDateTime | Should -Be $invoice.DueDate.UtcDateTime.AddDays(1)
        (Get-Invoice -Connection Revere-Sandbox -First 3 | Sort-Object DueDate | ForEach-Object DueDate) | Should -Be (Get-Invoice -Connection Revere-Sandbox -First 3 | ForEach-Object { $_.DueDate } | Sort-Object)
        $other = [datetimeoffset]::new(2026, 10, 29, 7, 22, 41, [timespan]::Zero)
        ([pscustomobject]@{ At = $other } | ConvertTo-Csv)[1] | Should -Be ('"' + $other.ToString() + '"')
        $invoice.DueDate = [datetimeoffset]'2027-02-03T00:00:00Z'
        $invoice.DueDate.UtcDateTime | Should -Be ([datetime]'2027-02-03')
    }

    It 'writes <Date> to CSV as <Text> (UTC; a fraction with all seven digits, so cells sort as text)' -ForEach @(
        @{ Date = '2026-10-29T07:22:41Z'; Text = '2026-10-29T07:22:41Z' }
        @{ Date = '2026-10-29T07:22:41.25Z'; Text = '2026-10-29T07:22:41.2500000Z' }
        @{ Date = '2026-11-27T04:05:05.899541Z'; Text = '2026-11-27T04:05:05.8995410Z' }
        @{ Date = '2026-10-29T14:22:41+07:00'; Text = '2026-10-29T07:22:41Z' }
        @{ Date = '2026-10-29T03:52:41-03:30'; Text = '2026-10-29T07:22:41Z' }
    ) {
        $invoice = Get-Invoice -Connection Kitchen-Sandbox -First 1
        $invoice.PaidAt = [datetimeoffset]::Parse($Date, [cultureinfo]::InvariantCulture)
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'ar-SA'
            ($invoice | Select-Object PaidAt | ConvertTo-Csv)[1] | Should -Be ('"' + $Text + '"')
            $invoice.PaidAt.ToString('yyyy', [cultureinfo]::InvariantCulture) | Should -Be $Date.Substring(0, 4)
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }
    }

    It 'writes ISO dates to CSV from <Where> too' -ForEach @(
        @{ Where = 'another runspace (ForEach-Object -Parallel)'; Run = { param($i) $i | ForEach-Object -Parallel { Import-Module $using:Manifest; $_ | ConvertTo-Csv } } }
        @{ Where = 'invoices back from Export-Clixml'; Run = { param($i) $path = Join-Path $TestDrive 'i.xml'; $i | Export-Clixml $path; Import-Clixml $path | ConvertTo-Csv } }
    ) {
        $invoice = Get-Invoice -Connection Revere-Sandbox -First 1
        $row = @(& $Run $invoice) | ConvertFrom-Csv
        $row.DueDate | Should -Be ($invoice.DueDate.UtcDateTime.ToString('yyyy-MM-dd''T''HH:mm:ss') + 'Z')
        $row.Status | Should -Be 'Open'
    }

    It 'keeps -f and ToString formats on the module''s dates: <Format>' -ForEach @(
        @{ Format = '{0:dd.MM.yyyy}'; Expected = { param($d) $d.ToString('dd.MM.yyyy') } }
        @{ Format = 'report-{0:yyyyMMdd}.csv'; Expected = { param($d) 'report-' + $d.ToString('yyyyMMdd') + '.csv' } }
        @{ Format = '{0:d}'; Expected = { param($d) $d.ToString('d') } }
        @{ Format = '{0}'; Expected = { param($d) $d.UtcDateTime.ToString('yyyy-MM-dd''T''HH:mm:ss''Z''', [cultureinfo]::InvariantCulture) } }
    ) {
        $invoice = Get-Invoice -Connection Revere-Sandbox -First 1
        $plain = [datetimeoffset]::new($invoice.DueDate.UtcDateTime, [timespan]::Zero)
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            ($Format -f $invoice.DueDate) | Should -Be (& $Expected $plain)
            $invoice.DueDate.ToString('d', 'en-US') | Should -Be $plain.ToString('d', [cultureinfo]'en-US')
            $invoice.DueDate.ToString([cultureinfo]'ja-JP') | Should -Be $plain.ToString([cultureinfo]'ja-JP')
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }
        { $invoice.DueDate.ToString('d', 'en-US', 3) } | Should -Throw '*Cannot find an overload for "ToString" and the argument count: "3"*'
        ($invoice.DueDate | Get-Member)[0].TypeName | Should -Be 'System.DateTimeOffset'
    }

    It 'reads an Export-Csv file written under <Culture> back to the same sums in Measure-Invoice, under <Reader> too' -ForEach @(
        @{ Culture = 'de-DE'; Reader = 'en-US' }, @{ Culture = 'fr-CH'; Reader = 'de-DE' }, @{ Culture = 'en-US'; Reader = 'de-DE' }, @{ Culture = 'ar-SA'; Reader = 'ar-SA' }, @{ Culture = 'de-DE'; Reader = 'de-DE' }
    ) {
        $invoices = foreach ($p in 'Revere', 'Kitchen', 'Xendit') { Get-Invoice -Connection "$p-Sandbox" -First 30 }
        $path = Join-Path $TestDrive "m-$Culture.csv"
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $Culture
            $invoices | Export-Csv $path
            [cultureinfo]::CurrentCulture = $Reader
            $read = @(Import-Csv $path | Measure-Invoice)
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }
        Format-Summary $read | Should -Be (Format-Summary ($invoices | Measure-Invoice))
    }

    It 'shows the Gregorian year in the views under <Culture>' -ForEach @(
        @{ Culture = 'th-TH' }, @{ Culture = 'fa-IR' }, @{ Culture = 'ar-SA' }, @{ Culture = 'fi-FI' }
    ) {
        $invoice = Get-Invoice -Connection Revere-Sandbox -First 1
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $Culture
            $table = $invoice | Out-String -Width 80
            $list = $invoice | Format-List | Out-String -Width 80
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }
        $table | Should -Match ([regex]::Escape($invoice.DueDate.UtcDateTime.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)))
        $list | Should -Match ([regex]::Escape($invoice.CreatedAt.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture) + 'Z'))
    }

    It 'writes <Kind> to CSV as readable cells, not type names' -ForEach @(
        @{ Kind = 'a connection''s settings'; Row = { Get-InvoiceProviderConnection Revere-Sandbox | ConvertTo-Csv | ConvertFrom-Csv }; Property = 'Settings'; Pattern = '^Currency=USD; GroupId=[0-9a-f-]{36}$' }
        @{ Kind = 'a provider''s statuses'; Row = { Get-InvoiceProvider -Name Kitchen | ConvertTo-Csv | ConvertFrom-Csv }; Property = 'DerivedStatuses'; Pattern = '^Overdue$' }
        @{ Kind = 'a provider''s status map'; Row = { Get-InvoiceProvider -Name Kitchen | ConvertTo-Csv | ConvertFrom-Csv }; Property = 'StatusMap'; Pattern = '^draft=Draft; open=Open; ' }
        @{ Kind = 'a provider''s filters'; Row = { Get-InvoiceProvider -Name Kitchen | ConvertTo-Csv | ConvertFrom-Csv }; Property = 'ClientFilters'; Pattern = '^Status, CreatedAfter, ' }
    ) {
        $row = & $Row
        $row.$Property | Should -Match $Pattern
        ($row.psobject.Properties.Value -join ' ') | Should -Not -Match 'System\.Collections|\[\]'
    }

    It 'keeps a connection''s settings and a provider''s lists usable as they were' {
        $connection = Get-InvoiceProviderConnection Revere-Sandbox
        $connection.Settings['Currency'] | Should -Be 'USD'
        $connection.Settings.Keys | Should -Contain 'GroupId'
        $provider = Get-InvoiceProvider -Name Kitchen
        $provider.ClientFilters | Should -Contain 'Status'
        $provider.ClientFilters.Count | Should -BeGreaterThan 3
        $provider.StatusMap['paid'] | Should -Be 'Paid'
        ($connection | ConvertTo-Json -Depth 3 | ConvertFrom-Json).Settings.Currency | Should -Be 'USD'
    }

    It 'shows what identifies the customer of a <Provider> invoice: <Shown>' -ForEach @(
        @{ Provider = 'Revere'; Shown = 'the name' }
        @{ Provider = 'Kitchen'; Shown = 'the customer id, its only identifier' }
        @{ Provider = 'Xendit'; Shown = 'the name' }
        @{ Provider = 'Opterius'; Shown = 'nothing: the invoices are the connected account''s own' }
    ) {
        $invoices = @(Get-Invoice -Connection "$Provider-Sandbox" -First 5)
        foreach ($invoice in $invoices) {
            $expected = if ($invoice.CustomerName) { $invoice.CustomerName } elseif ($invoice.CustomerEmail) { $invoice.CustomerEmail } else { $invoice.CustomerId }
            $invoice.Customer | Should -Be $expected
        }
        if ($Provider -eq 'Opterius') { @($invoices | Where-Object Customer) | Should -BeNullOrEmpty } else { @($invoices | Where-Object { -not $_.Customer }) | Should -BeNullOrEmpty }
        $grouped = @($invoices | Group-Object Customer)
        if ($Provider -ne 'Opterius') { $grouped.Name | Should -Not -Contain '' }
        $text = $invoices | Out-String -Width 120
        foreach ($invoice in $invoices | Where-Object Customer) { $text | Should -Match ([regex]::Escape($invoice.Customer)) }
    }
}

Describe 'The sandbox is dated from today' {
    BeforeAll {
        $script:PinnedDay = $env:INVOICETOOLS_SANDBOX_DATE
        $env:INVOICETOOLS_SANDBOX_DATE = $null
    }

    AfterAll {
        $env:INVOICETOOLS_SANDBOX_DATE = $script:PinnedDay
    }

    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -InformationAction Ignore
    }

    It 'finds <Provider> invoices for the README''s relative dates: <Filter>' -ForEach @(
        @{ Provider = 'Revere'; Filter = '-CreatedAfter (Get-Date).AddDays(-7)'; Arguments = @{ CreatedAfter = (Get-Date).AddDays(-7) } }
        @{ Provider = 'Kitchen'; Filter = '-CreatedAfter (Get-Date).AddDays(-7)'; Arguments = @{ CreatedAfter = (Get-Date).AddDays(-7) } }
        @{ Provider = 'Xendit'; Filter = '-CreatedAfter (Get-Date).AddDays(-7)'; Arguments = @{ CreatedAfter = (Get-Date).AddDays(-7) } }
        @{ Provider = 'Revolv3'; Filter = '-UpdatedAfter (Get-Date).AddDays(-1)'; Arguments = @{ UpdatedAfter = (Get-Date).AddDays(-1) } }
        @{ Provider = 'Opterius'; Filter = 'last month'; Arguments = @{ CreatedAfter = (Get-Date).Date.AddMonths(-1); CreatedBefore = (Get-Date).Date } }
    ) {
        Connect-InvoiceProvider -Provider $Provider -Sandbox -InformationAction Ignore
        $found = @(Get-Invoice @Arguments)
        $found.Count | Should -BeGreaterThan 0
        if ($Arguments.CreatedAfter) { $found | Where-Object CreatedAt -LT ([datetimeoffset]$Arguments.CreatedAfter) | Should -BeNullOrEmpty }
    }

    It 'pins the day with INVOICETOOLS_SANDBOX_DATE, and refuses a value that is not a date' {
        $env:INVOICETOOLS_SANDBOX_DATE = '2026-11-01'
        try {
            Connect-InvoiceProvider -Provider Revere -Sandbox -Name pinned -InformationAction Ignore
            (Get-Invoice -Connection pinned -First 1).CreatedAt.UtcDateTime.Date | Should -Be ([datetime]'2026-10-30')
            $env:INVOICETOOLS_SANDBOX_DATE = 'soon'
            { Connect-InvoiceProvider -Provider Revere -Sandbox -Name bad -ErrorAction Stop } | Should -Throw -ExpectedMessage "INVOICETOOLS_SANDBOX_DATE is 'soon', which is not a date."
        }
        finally {
            $env:INVOICETOOLS_SANDBOX_DATE = $null
        }
    }
}

Describe 'Type names in the session' {
    It 'resolves the product''s type <_>' -ForEach @(
        'InvoiceTools.Invoice', 'InvoiceTools.InvoiceLineItem', 'InvoiceTools.InvoiceSummary', 'InvoiceTools.InvoiceStatus',
        'InvoiceTools.InvoiceProviderKind', 'InvoiceTools.Currency', 'InvoiceTools.InvoiceToolsException',
        'InvoiceTools.Connections.InvoiceProviderConnection', 'InvoiceTools.Providers.ProviderDescriptor',
        'InvoiceTools.Requests.KitchenState', 'InvoiceTools.Sandbox.SandboxFaultKind'
    ) {
        $_ -as [type] | Should -Not -BeNullOrEmpty
    }

    It 'resolves <Name>, moved to InvoiceTools.Requests, under its old full name (<Old>) and its new one' -ForEach @(
        @{ Name = 'KitchenState'; Old = 'Engine' }, @{ Name = 'XenditClientType'; Old = 'Engine' },
        @{ Name = 'XenditGateway'; Old = 'Connections' }, @{ Name = 'XenditCursorParameter'; Old = 'Connections' },
        @{ Name = 'OpteriusAmountUnit'; Old = 'Connections' }, @{ Name = 'Revolv3Environment'; Old = 'Connections' },
        @{ Name = 'Revolv3AuthScheme'; Old = 'Connections' }, @{ Name = 'Revolv3Endpoint'; Old = 'Connections' }
    ) {
        $new = "InvoiceTools.Requests.$Name" -as [type]
        $new | Should -Not -BeNullOrEmpty
        $new.FullName | Should -Be "InvoiceTools.Requests.$Name"
        "InvoiceTools.$Old.$Name" -as [type] | Should -Be $new
    }

    It 'keeps the engine''s workings out of the session''s type accelerators: <_>' -ForEach @(
        'InvoiceTools.Providers.RevereProvider', 'InvoiceTools.Engine.InvoiceEngine', 'InvoiceTools.Http.Redactor',
        'InvoiceTools.Sandbox.InvoiceSandbox', 'InvoiceTools.Sandbox.RevereApi',
        'InvoiceTools.Requests.ApiSecret', 'InvoiceTools.Connections.ApiSecret', 'InvoiceTools.Requests.ISandboxServer',
        'InvoiceTools.Requests.QueryString', 'InvoiceTools.Engine.QueryString', 'InvoiceTools.Requests.InvoiceQuery'
    ) {
        $accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get
        $accelerators.ContainsKey($_) | Should -BeFalse
    }
}

Describe 'Every filter parameter reaches the query' {
    BeforeAll {
        foreach ($provider in 'Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit') {
            Connect-InvoiceProvider -Provider $provider -Sandbox -InformationAction Ignore
        }

        # The plan line -Verbose writes for a query: what goes to the server and what the module applies.
        function Get-PlanLine([string] $Connection, [hashtable] $Filter) {
            $records = Get-Invoice -Connection $Connection -First 1 -Verbose @Filter 4>&1
            @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*Filters sent to the server:*' } | ForEach-Object Message)[0]
        }
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false -InformationAction Ignore
    }

    It 'changes the plan for each filter a provider declares (Get-Invoice builds the query by hand, so a forgotten line would leave the filter unsent)' {
        $values = @{
            Status = 'Paid'; Customer = 'a'; ExternalId = 'x'; State = 'All'; CustomerReference = 'c'; RecurringPaymentId = 'r'; OnDemandLink = 'o'
            ClientType = 'Dashboard'; PaymentChannel = 'BCA'
            CreatedAfter = '2025-01-01'; PaidAfter = '2025-01-01'; ExpiresAfter = '2025-01-01'; UpdatedAfter = '2025-01-01'
            CreatedBefore = '2026-06-01'; PaidBefore = '2026-06-01'; ExpiresBefore = '2026-06-01'; UpdatedBefore = '2026-06-01'
        }
        $checked = [System.Collections.Generic.List[string]]::new()
        $missed = [System.Collections.Generic.List[string]]::new()
        foreach ($provider in Get-InvoiceProvider) {
            $declared = @($provider.ServerFilters) + @($provider.ClientFilters) |
                ForEach-Object { ([regex]::Match($_, '^[A-Za-z]+(/[A-Za-z]+)*')).Value -split '/' } | Select-Object -Unique
            $baseline = Get-PlanLine "$($provider.Name)-Sandbox" @{}
            foreach ($name in $declared) {
                $values.ContainsKey($name) | Should -BeTrue -Because "the test needs a sample value for -$name"
                $plan = Get-PlanLine "$($provider.Name)-Sandbox" @{ $name = $values[$name] }
                if ($plan -eq $baseline) { $missed.Add("$($provider.Name) -$name") }
                $checked.Add("$($provider.Name) -$name")
            }
        }

        $missed | Should -BeNullOrEmpty
        $checked.Count | Should -BeGreaterThan 25
        $filterParameters = (Get-Command Get-Invoice).Parameters.Keys | Where-Object { $values.ContainsKey($_) }
        $filterParameters | ForEach-Object { $checked -like "* -$_" | Should -Not -BeNullOrEmpty -Because "-$_ should be checked on a provider that applies it" }
    }
}
