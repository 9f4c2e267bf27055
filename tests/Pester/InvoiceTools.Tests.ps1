#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Runs against the BUILT module folder (out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH) and its in-process sandbox.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    Import-Module (Join-Path $script:ModulePath 'InvoiceTools.psd1') -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'The module' {
    It 'exports exactly its ten cmdlets' {
        $names = (Get-Command -Module InvoiceTools | Sort-Object Name).Name
        $names | Should -Be @('Connect-InvoiceProvider', 'Disconnect-InvoiceProvider', 'Get-Invoice', 'Get-InvoiceLineItem', 'Get-InvoiceProvider', 'Get-InvoiceProviderConnection', 'Measure-Invoice', 'Register-InvoiceProvider', 'Select-InvoiceProviderConnection', 'Unregister-InvoiceProvider')
    }

    It 'ships an about topic' {
        (Get-Help about_InvoiceTools | Out-String) | Should -Match 'Connect-InvoiceProvider'
    }
}

Describe 'Connect-InvoiceProvider' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'connects to the built-in sandbox without a key and makes it the default' {
        Connect-InvoiceProvider -Provider Revere -Sandbox
        $default = Get-InvoiceProviderConnection -Default
        $default.Name | Should -Be 'Revere-Sandbox'
        $default.IsSandbox | Should -BeTrue
        $default.Provider | Should -Be 'Revere'
    }

    It 'returns the connection only with -PassThru' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name quiet | Should -BeNullOrEmpty
        $c = Connect-InvoiceProvider -Provider Revere -Sandbox -Name loud -PassThru
        $c.Name | Should -Be 'loud'
        $c.GetType().FullName | Should -Be 'InvoiceTools.Connections.InvoiceProviderConnection'
    }

    It 'needs -GroupId for a real Revere account, and says so before any request' {
        $key = ConvertTo-SecureString 'some-key' -AsPlainText -Force
        { Connect-InvoiceProvider -Provider Revere -ApiKey $key -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*-GroupId*' -ErrorId 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.ConnectInvoiceProviderCommand'
    }

    It 'needs an API key for a real account' {
        $saved = $env:INVOICETOOLS_REVERE_API_KEY
        $env:INVOICETOOLS_REVERE_API_KEY = $null
        try {
            { Connect-InvoiceProvider -Provider Revere -GroupId ([guid]::NewGuid()) -ErrorAction Stop } | Should -Throw -ExpectedMessage '*API key*'
        }
        finally {
            $env:INVOICETOOLS_REVERE_API_KEY = $saved
        }
    }

    It 'refuses plain http to a non-loopback host' {
        $key = ConvertTo-SecureString 'some-key' -AsPlainText -Force
        { Connect-InvoiceProvider -Provider Revere -GroupId ([guid]::NewGuid()) -ApiKey $key -BaseUri 'http://billing.example.com' -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*plain http*'
    }

    It 'takes the key from -Credential' {
        $credential = [pscredential]::new('ignored', (ConvertTo-SecureString 'some-key' -AsPlainText -Force))
        $c = Connect-InvoiceProvider -Provider Revere -GroupId '8059f5c6-e1cd-4e46-9196-1d7e47401a3e' -Credential $credential -SkipKeyCheck -PassThru
        $c.Authentication | Should -Be 'API key (8 characters, hidden)'
        $c.Settings['GroupId'] | Should -Be '8059f5c6-e1cd-4e46-9196-1d7e47401a3e'
    }

    It 'lists the valid providers when the name is wrong' {
        { Connect-InvoiceProvider -Provider NoSuchProvider -Sandbox } | Should -Throw -ExpectedMessage '*Revere*'
    }

    It 'never shows the key, whatever the output channel' {
        $key = ConvertTo-SecureString 'super-secret-value-123' -AsPlainText -Force
        $output = Connect-InvoiceProvider -Provider Revere -GroupId '8059f5c6-e1cd-4e46-9196-1d7e47401a3e' -ApiKey $key -SkipKeyCheck -PassThru -Verbose 4>&1
        $c = $output | Where-Object { $_ -is [InvoiceTools.Connections.InvoiceProviderConnection] }
        $verbose = $output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose | Should -Not -BeNullOrEmpty
        $text = @(
            ($verbose.Message -join "`n")
            ($c | Out-String)
            ($c | Format-List * | Out-String)
            ($c | ConvertTo-Json -Depth 3)
            $c.ToString()
            (Get-InvoiceProviderConnection | Format-Table -Property * | Out-String)
        ) -join "`n"
        $text | Should -Not -Match 'super-secret-value-123'
        $file = Join-Path ([IO.Path]::GetTempPath()) ("it-{0}.xml" -f [guid]::NewGuid())
        try {
            $c | Export-Clixml -Path $file
            Get-Content -Raw $file | Should -Not -Match 'super-secret-value-123'
        }
        finally {
            Remove-Item $file -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Get-InvoiceProviderConnection and Disconnect-InvoiceProvider' {
    BeforeEach {
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name first
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name second
    }

    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'lists every connection, filters by wildcard, and knows the default' {
        (Get-InvoiceProviderConnection).Name | Should -Be @('first', 'second')
        (Get-InvoiceProviderConnection -Name 'fir*').Name | Should -Be 'first'
        (Get-InvoiceProviderConnection -Default).Name | Should -Be 'second'
    }

    It 'reports an unknown plain name as a non-terminating error' {
        $result = Get-InvoiceProviderConnection -Name nope -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsConnectionNotFound,InvoiceTools.Commands.GetInvoiceProviderConnectionCommand'
    }

    It 'completes connection names' {
        $line = 'Get-Invoice -Connection sec'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'second'
        $completion.CompletionMatches.CompletionText | Should -Not -Contain 'first'
    }

    It 'disconnects the default, and the default falls back to the remaining connection' {
        Disconnect-InvoiceProvider
        (Get-InvoiceProviderConnection).Name | Should -Be 'first'
        (Get-InvoiceProviderConnection -Default).Name | Should -Be 'first'
    }

    It 'applies -First and -Skip to the combined stream of several connections' {
        (Get-Invoice -Connection first, second -First 5).Count | Should -Be 5
        (Get-Invoice -Connection first, second -Skip 1198 -First 5).Connection | Should -Be @('first', 'first', 'second', 'second', 'second')
        (Get-InvoiceProviderConnection | Get-Invoice -First 3).Count | Should -Be 3
    }

    It 'supports -WhatIf' {
        Disconnect-InvoiceProvider -Name first -WhatIf
        (Get-InvoiceProviderConnection).Count | Should -Be 2
    }
}

Describe 'Get-Invoice against the sandbox' {
    BeforeAll {
        Connect-InvoiceProvider -Provider Revere -Sandbox
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'streams every invoice of every page' {
        $all = Get-Invoice
        $all.Count | Should -Be 1200
        ($all.Id | Sort-Object -Unique).Count | Should -Be 1200
        $all[0].GetType().FullName | Should -Be 'InvoiceTools.Invoice'
        $all[0].PSTypeNames | Should -Contain 'InvoiceTools.Invoice'
    }

    It 'filters by status, creation date and customer' {
        $after = [datetime]'2025-01-01'
        $overdue = Get-Invoice -Status Overdue -CreatedAfter $after
        $overdue | Should -Not -BeNullOrEmpty
        $overdue | ForEach-Object {
            $_.Status | Should -Be 'Overdue'
            $_.ProviderStatus | Should -Be 'past_due'
            $_.CreatedAt.UtcDateTime | Should -BeGreaterThan $after
        }
        (Get-Invoice -Customer 'Harbor').CustomerName | Sort-Object -Unique | Should -Be @('Blue Harbor Logistics', 'Harbor Lights Dental')
    }

    It 'honours -First and -Skip' {
        $five = Get-Invoice -Status Overdue -CreatedAfter 2025-01-01 -First 5
        $five.Count | Should -Be 5
        $all = Get-Invoice -First 20
        (Get-Invoice -Skip 10 -First 10).Id | Should -Be $all[10..19].Id
    }

    It 'reports the total first with -IncludeTotalCount' {
        $result = @(Get-Invoice -IncludeTotalCount -First 3)
        $result.Count | Should -Be 4
        $result[0].ToString() | Should -Match '1200'
    }

    It 'sends exactly one request for Select-Object -First 1' {
        $records = & { Get-Invoice -Verbose | Select-Object -First 1 } 4>&1
        @($records | Where-Object { $_ -is [InvoiceTools.Invoice] }).Count | Should -Be 1
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'GET *' }).Count | Should -Be 1
    }

    It 'says in -Verbose which filters go to the server' {
        $verbose = Get-Invoice -Status Paid -First 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'Filters sent to the server: statuses=paid'
    }

    It 'takes a connection by name and from the pipeline' {
        (Get-Invoice -Connection Revere-Sandbox -First 2).Count | Should -Be 2
        (Get-InvoiceProviderConnection -Default | Get-Invoice -First 2).Connection | Should -Be @('Revere-Sandbox', 'Revere-Sandbox')
    }

    It 'keeps money as decimal and readable cells in Format-Table and Export-Csv' {
        $invoice = Get-Invoice -First 1
        $invoice.Total | Should -BeOfType [decimal]
        $invoice.Currency | Should -Be 'USD'
        $table = $invoice | Format-Table | Out-String
        $table | Should -Match 'Revere'
        $table | Should -Not -Match 'System\.'
        $csv = Get-Invoice -First 3 | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $csv[0].LineItems | Should -Match '^\d+ items?$'
        $csv[0].Raw | Should -Match '^\d+ fields$'
        ($csv | ConvertTo-Csv -NoTypeInformation | Out-String) | Should -Not -Match 'System\.'
    }

    It 'exposes raw provider fields with dot access' {
        $invoice = Get-Invoice -First 1
        $invoice.Raw.invoice_number | Should -Be $invoice.Number
        $invoice.Raw.partner.company | Should -Be $invoice.CustomerName
    }

    It 'rejects bad input before any request' {
        # Above the provider's own limit (Revere 1000), named with it; 0 fails at binding.
        { Get-Invoice -PageSize 5000 } | Should -Throw -ErrorId 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.GetInvoiceCommand' -ExpectedMessage '*1 to 1000*'
        { Get-Invoice -PageSize 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,InvoiceTools.Commands.GetInvoiceCommand'
        { Get-Invoice -Status Bogus } | Should -Throw -ExpectedMessage '*Overdue*'
        { Get-Invoice -CreatedAfter 2025-06-01 -CreatedBefore 2025-01-01 } | Should -Throw -ErrorId 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.GetInvoiceCommand'
        { Get-Invoice -Connection nope } | Should -Throw -ExpectedMessage "*no connection named 'nope'*"
    }
}

Describe 'Get-Invoice failures' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'fails with a message that says to connect when there is no connection' {
        { Get-Invoice } | Should -Throw -ErrorId 'InvoiceToolsNoConnection,InvoiceTools.Commands.GetInvoiceCommand'
        { Get-Invoice } | Should -Throw -ExpectedMessage '*Connect-InvoiceProvider*'
    }

    It 'stops with an authentication error when the key is wrong' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -ApiKey (ConvertTo-SecureString 'wrong-key' -AsPlainText -Force) -SkipKeyCheck
        { Get-Invoice -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand'
        try { Get-Invoice } catch { $caught = $_ }
        $caught.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Connect-InvoiceProvider'
        $caught.Exception.StatusCode | Should -Be 'Unauthorized'
        ($caught | Out-String) | Should -Not -Match 'wrong-key'
    }
}
