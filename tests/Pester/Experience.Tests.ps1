#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The PowerShell experience: views, help, completion, progress, verbose output and pipeline composition.
# Runs against the BUILT module folder (out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH) and its in-process sandbox.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    $script:Manifest = (Resolve-Path (Join-Path $script:ModulePath 'InvoiceTools.psd1')).Path
    Import-Module $script:Manifest -Force -ErrorAction Stop
    # The same PowerShell as this run; under the dotnet tool the process path is dotnet itself, so not that.
    $script:Pwsh = Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    function Get-NonEmptyLine([string] $Text) {
        @($Text -split "`r?`n" | Where-Object { $_ -match '\S' })
    }
}

AfterAll {
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'Views' {
    BeforeAll {
        Connect-InvoiceProvider -Provider Revere -Sandbox
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'shows invoices as a table of number, status, customer, total and due date, under their connection' {
        $lines = Get-NonEmptyLine (Get-Invoice -First 3 | Out-String)
        $lines[0] | Should -Match '^\s+Connection: Revere-Sandbox$'
        $lines[1] | Should -Match '^Invoice\s+Status\s+Customer\s+Total\s+Due\s*$'
        $lines.Count | Should -Be 6
        ($lines -join "`n") | Should -Not -Match 'System\.'
    }

    It 'right-aligns totals and formats them with the currency''s minor units and code' {
        $lines = Get-NonEmptyLine (Get-Invoice -First 3 | Out-String)
        $end = $lines[1].IndexOf('Total') + 'Total'.Length
        foreach ($row in $lines | Select-Object -Skip 3) {
            $row.Substring(0, $end) | Should -Match '\d[\.,]\d{2} USD$'
        }
    }

    It 'shows a list view with the provider status beside the normalized one and the raw record under one property' {
        $text = Get-Invoice -First 1 | Format-List | Out-String
        $text | Should -Match 'Status\s+: \w+ \(\w+\)'
        $text | Should -Match 'Raw\s+: \d+ fields'
        $text | Should -Match 'LineItems\s+: \d+ items?'
    }

    It 'shows every property with Format-List *, and no raw field at the top level' {
        $invoice = Get-Invoice -First 1
        $text = $invoice | Format-List * | Out-String
        foreach ($name in $invoice.PSObject.Properties.Name) {
            $text | Should -Match "(?m)^$name\s+:"
        }
        $text | Should -Not -Match '(?m)^invoice_number\s+:'
    }

    It 'shows line items under their invoice number, with the currency beside each amount' {
        $lines = Get-NonEmptyLine (Get-Invoice -First 1 | Get-InvoiceLineItem | Out-String)
        $lines[0] | Should -Match '^\s+Invoice: RV-\d{4}-\d{5}-INV$'
        $lines[1] | Should -Match '^Name\s+Quantity\s+UnitPrice\s+Amount\s*$'
        $lines[3] | Should -Match '\d[\.,]\d{2} USD$'
    }

    It 'shows connections, providers and summaries as tables' {
        (Get-NonEmptyLine (Get-InvoiceProviderConnection | Out-String))[0] | Should -Match '^Name\s+Provider\s+Sandbox\s+Default\s+BaseUri\s*$'
        (Get-NonEmptyLine (Get-InvoiceProvider | Out-String))[0] | Should -Match '^Name\s+DisplayName\s+MaxPageSize\s+Paging\s*$'
        (Get-NonEmptyLine (Get-Invoice -First 5 | Measure-Invoice | Out-String))[0] | Should -Match '^Currency\s+Count\s+Total\s+AmountDue\s+Overdue\s+AmountOverdue\s*$'
    }

    It 'shows a provider''s capabilities and status mapping in its list view' {
        $text = Get-InvoiceProvider -Name Revere | Format-List | Out-String
        $text | Should -Match 'past_due -> Overdue'
        $text | Should -Match 'PageSize\s+: 1000 per request unless -PageSize says otherwise; the limit: Revere documents no maximum'
        $text | Should -Match 'partner_name'
    }
}

Describe 'Views at 80 and 120 columns, on every provider''s sandbox data' {
    BeforeAll {
        foreach ($provider in 'Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit') {
            Connect-InvoiceProvider -Provider $provider -Sandbox
        }
        $script:All = @(Get-InvoiceProviderConnection | Get-Invoice)

        # Every table in $Text: its header is one line, right above its dashes, and no line is wider than $Width.
        function Assert-Table([string] $Text, [int] $Width, [string[]] $Labels) {
            $lines = @($Text -split "`r?`n")
            foreach ($line in $lines) {
                $line.TrimEnd().Length | Should -BeLessOrEqual $Width -Because "no line may wrap at $Width columns: '$line'"
            }
            $headers = @(for ($i = 1; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^-+( +-+)* *$') { $lines[$i - 1] } })
            $headers.Count | Should -BeGreaterThan 0
            foreach ($header in $headers) {
                $header | Should -Match ('^' + ($Labels -join '\s+') + '\s*$') -Because "the header stays on one line at $Width columns"
            }
        }
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'shows every <Provider> invoice''s identifier and whole total at <Width> columns' -ForEach @(
        foreach ($provider in 'Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit') { foreach ($width in 80, 120) { @{ Provider = $provider; Width = $width } } }
    ) {
        $invoices = @($script:All | Where-Object Provider -EQ $Provider)
        $invoices.Count | Should -BeGreaterThan 100
        $text = $invoices | Out-String -Width $Width
        $labels = 'Invoice', 'Status', 'Customer', 'Total', 'Due'
        Assert-Table $text $Width $labels
        $rows = @($text -split "`r?`n" | Where-Object { $_ -match '\S' -and $_ -notmatch '^(\s+Connection:|-+ |Invoice )' })
        $rows.Count | Should -Be $invoices.Count
        for ($i = 0; $i -lt $invoices.Count; $i++) {
            $invoice = $invoices[$i]
            $id = if ($invoice.Number) { $invoice.Number } else { $invoice.Id }
            $rows[$i] | Should -BeLike "$([WildcardPattern]::Escape($id)) *"
            $rows[$i] | Should -BeLike "* $([InvoiceTools.Currency]::FormatMoney($invoice.Total, $invoice.Currency, 20)) *"
            $rows[$i] | Should -BeLike "* $($invoice.Status) *"
        }
    }

    It 'keeps a stream that mixes providers in one table with every amount whole: <Order>' -ForEach @(
        @{ Order = 'Kitchen, then Xendit'; Connections = 'Kitchen-Sandbox', 'Xendit-Sandbox' }
        @{ Order = 'Xendit, then Revere'; Connections = 'Xendit-Sandbox', 'Revere-Sandbox' }
        @{ Order = 'Revolv3, then Kitchen'; Connections = 'Revolv3-Sandbox', 'Kitchen-Sandbox' }
    ) {
        $invoices = @(Get-Invoice -Connection $Connections -First 8)
        $text = $invoices | Out-String -Width 80
        Assert-Table $text 80 'Invoice', 'Status', 'Customer', 'Total', 'Due'
        $text | Should -Not -Match '(?m)^Provider\s+:' -Because 'no invoice falls out of the table into a list'
        foreach ($invoice in $invoices) {
            $text | Should -Match ([regex]::Escape([InvoiceTools.Currency]::FormatMoney($invoice.Total, $invoice.Currency, 20)))
        }
    }

    It 'shows summaries, line items, connections and providers whole at <_> columns' -ForEach 80, 120 {
        $width = $_
        $summaries = @($script:All | Measure-Invoice)
        $summaries.Count | Should -BeGreaterOrEqual 5
        $text = $summaries | Out-String -Width $width
        Assert-Table $text $width 'Currency', 'Count', 'Total', 'AmountDue', 'Overdue', 'AmountOverdue'
        foreach ($summary in $summaries) {
            $text | Should -Match ([regex]::Escape([InvoiceTools.Currency]::FormatAmount($summary.Total, $summary.Currency, 16)))
            $text | Should -Match ([regex]::Escape([InvoiceTools.Currency]::FormatAmount($summary.AmountDue, $summary.Currency, 16)))
        }

        $largest = @($script:All | Group-Object Provider | ForEach-Object { $_.Group | Sort-Object Total -Descending | Select-Object -First 1 })
        $items = @($largest | Get-InvoiceLineItem)
        $text = $items | Out-String -Width $width
        Assert-Table $text $width 'Name', 'Quantity', 'UnitPrice', 'Amount'
        foreach ($item in $items) {
            $text | Should -Match ([regex]::Escape([InvoiceTools.Currency]::FormatMoney($item.Amount, $item.Currency, 20)))
        }

        Assert-Table (Get-InvoiceProviderConnection | Out-String -Width $width) $width 'Name', 'Provider', 'Sandbox', 'Default', 'BaseUri'
        Assert-Table (Get-InvoiceProvider | Out-String -Width $width) $width 'Name', 'DisplayName', 'MaxPageSize', 'Paging'
    }
}

Describe 'Help' {
    It 'documents <_> fully: synopsis, description, every parameter, and at least three examples' -ForEach @(
        'Connect-InvoiceProvider', 'Disconnect-InvoiceProvider', 'Get-Invoice', 'Get-InvoiceLineItem',
        'Get-InvoiceProvider', 'Get-InvoiceProviderConnection', 'Measure-Invoice', 'Select-InvoiceProviderConnection'
    ) {
        $name = $_
        $help = Get-Help $name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$name\s"
        ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 3
        $common = @([System.Management.Automation.Cmdlet]::CommonParameters) + @([System.Management.Automation.Cmdlet]::OptionalCommonParameters)
        foreach ($parameter in @((Get-Command $name).Parameters.Values | Where-Object { $_.Name -notin $common })) {
            $entry = @($help.Parameters.Parameter | Where-Object { $_.Name -eq $parameter.Name })
            $entry.Count | Should -Be 1 -Because "-$($parameter.Name) of $name needs help"
            ($entry[0].Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $name needs a description"
        }
    }

    It 'keeps every word of <_>''s help whole in an 80-column console (PowerShell''s own SYNTAX lines aside)' -ForEach @(
        'Connect-InvoiceProvider', 'Disconnect-InvoiceProvider', 'Get-Invoice', 'Get-InvoiceLineItem',
        'Get-InvoiceProvider', 'Get-InvoiceProviderConnection', 'Measure-Invoice', 'Select-InvoiceProviderConnection'
    ) {
        $lines = (Get-Help $_ -Full | Out-String -Width 80) -split '\r?\n'
        $section = ''
        $long = foreach ($line in $lines) {
            if ($line -match '^[A-Z][A-Z ]+$') { $section = $line.Trim(); continue }
            # Syntax and the common-parameters line are PowerShell's own; examples and notes are code, shown as written.
            if ($section -in 'SYNTAX', 'EXAMPLES', 'NOTES' -or $line -match '^\s*-+ (EXAMPLE|Example)' -or $line -match 'about_CommonParameters \(https') { continue }
            if ($line.TrimEnd().Length -ge 80) { "$section`: $line" }
        }

        $long | Should -BeNullOrEmpty
    }

    It 'ships about topics for the module, its providers and paging' {
        (Get-Help about_InvoiceTools | Out-String) | Should -Match 'Measure-Invoice'
        (Get-Help about_InvoiceTools_Providers | Out-String) | Should -Match 'Revolv3'
        (Get-Help about_InvoiceTools_Paging | Out-String) | Should -Match 'IncludeTotalCount'
    }
}

Describe 'Tab completion' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'completes providers, statuses, Kitchen states and Xendit payment channels' {
        Get-Completion 'Connect-InvoiceProvider -Provider Ki' | Should -Be 'Kitchen'
        Get-Completion 'Get-Invoice -Status Ov' | Should -Be 'Overdue'
        Get-Completion 'Get-Invoice -State Arc' | Should -Be 'Archived'
        Get-Completion 'Get-Invoice -PaymentChannel QR' | Should -Be 'QRIS'
        Get-Completion 'Get-InvoiceProvider -Name Xe' | Should -Be 'Xendit'
    }

    It 'completes this session''s connection names wherever a connection is named, quoting names with spaces' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name 'acme prod'
        Connect-InvoiceProvider -Provider Kitchen -Sandbox -Name 'acme-kitchen'
        Get-Completion 'Get-Invoice -Connection acme' | Should -Be @("'acme prod'", 'acme-kitchen')
        Get-Completion 'Disconnect-InvoiceProvider -Name acme-' | Should -Be 'acme-kitchen'
        Get-Completion 'Disconnect-InvoiceProvider -Connection acme-' | Should -Be 'acme-kitchen'
        Get-Completion 'Get-InvoiceProviderConnection -Name acme-' | Should -Be 'acme-kitchen'
    }

    It 'fails at binding time with the valid list for a bad enum value' {
        { Get-Invoice -State Deleted } | Should -Throw -ExpectedMessage '*Active*Archived*All*'
        { Get-InvoiceProvider -Name Stripe } | Should -Throw -ExpectedMessage '*Revere*Xendit*'
    }
}

Describe 'Progress and verbose output' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'writes one progress record per page and completes it, when someone can watch' {
        # This run is -NonInteractive, which rightly suppresses progress, so watch from a child pwsh started without it.
        $code = @'
param($Manifest)
# A separate runspace on the console host: its PowerShell object collects the progress records that the host would draw.
$runspace = [runspacefactory]::CreateRunspace($Host)
$runspace.Open()
$ps = [powershell]::Create()
$ps.Runspace = $runspace
$null = $ps.AddScript("Import-Module '$Manifest'; Connect-InvoiceProvider -Provider Revere -Sandbox; Get-Invoice -First 250 -PageSize 100 | Out-Null")
$null = $ps.Invoke()
$ps.Streams.Progress | ForEach-Object { 'progress|{0}|{1}|{2}' -f $_.RecordType, $_.PercentComplete, $_.StatusDescription }
$ps.Dispose()
$runspace.Dispose()
'@
        $file = Join-Path $TestDrive 'progress.ps1'
        Set-Content -Path $file -Value $code
        # Only the progress lines: the console host of the child also shows Connect's one-line summary.
        $lines = @(& $script:Pwsh -NoLogo -NoProfile -File $file -Manifest $script:Manifest | Where-Object { $_ -like 'progress|*' } | ForEach-Object { $_.Substring(9) })
        @($lines | Where-Object { $_ -like 'Processing|*' }).Count | Should -Be 3
        $lines[0] | Should -Be 'Processing|8|100 of 1,200 invoices, page 1'
        $lines[-1] | Should -BeLike 'Completed|*'
    }

    It 'writes no progress when $ProgressPreference is SilentlyContinue, and says why' {
        Connect-InvoiceProvider -Provider Revere -Sandbox
        $ProgressPreference = 'SilentlyContinue'
        $verbose = Get-Invoice -First 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose.Message | Should -Contain 'No progress bar: $ProgressPreference is SilentlyContinue.'
    }

    It 'writes no progress in a host without a user interface' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$($script:Manifest)'; Connect-InvoiceProvider -Provider Revere -Sandbox; Get-Invoice -First 150 -Verbose | Out-Null")
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $ps.Streams.Progress.Count | Should -Be 0
            $ps.Streams.Verbose.Message | Should -Contain 'No progress bar: the host has no user interface.'
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'logs each request with its method, URL, status, time and item count, and never the key' {
        Connect-InvoiceProvider -Provider Revere -Sandbox
        $key = 'revere_sandbox_3f9a7c1e5b'   # the sandbox's published test key
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name keyed -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -PageSize 100
        $DebugPreference = 'Continue'
        $records = Get-Invoice -Connection keyed -First 150 -Verbose 4>&1 5>&1
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $debug = @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $requests = @($verbose | Where-Object { $_.Message -like 'GET *' })
        $requests.Count | Should -Be 2
        $requests[0].Message | Should -Match '^GET https://\S+/invoices\?\S*limit=100\S* -> 200 OK in \d+ ms, 100 invoice\(s\) of 1200\.$'
        # One debug record per response, naming its request, so records of pages in flight can be told apart.
        $debug.Count | Should -Be 2
        $debug[0].Message | Should -Match '^GET https://\S+/invoices\?\S*limit=100\S* -> 200 OK, headers: .*Content-Type: application/json'
        $debug[1].Message | Should -Match 'offset=100'
        $all = (($records | ForEach-Object { if ($_ -is [InvoiceTools.Invoice]) { $_ | Format-List * | Out-String } else { $_.ToString() } }) -join "`n")
        $all | Should -Not -Match ([regex]::Escape($key))
    }
}

Describe 'Pipeline composition' {
    BeforeAll {
        Connect-InvoiceProvider -Provider Revere -Sandbox
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'carries PSTypeNames that views and -is checks use' {
        $invoice = Get-Invoice -First 1
        $invoice -is [InvoiceTools.Invoice] | Should -BeTrue
        $invoice.PSTypeNames[0..1] | Should -Be 'InvoiceTools.Invoice#Revere', 'InvoiceTools.Invoice'
        ($invoice | Get-InvoiceLineItem | Select-Object -First 1).PSTypeNames[0] | Should -Be 'InvoiceTools.InvoiceLineItem'
        (Get-InvoiceProvider -Name Revere).PSTypeNames[0] | Should -Be 'InvoiceTools.Providers.ProviderDescriptor'
        ($invoice | Measure-Invoice).PSTypeNames[0] | Should -Be 'InvoiceTools.InvoiceSummary'
        (Get-InvoiceProviderConnection -Default).PSTypeNames[0] | Should -Be 'InvoiceTools.Connections.InvoiceProviderConnection'
    }

    It 'works with Select-Object, Sort-Object and Group-Object' {
        $invoices = Get-Invoice -First 200
        $selected = $invoices | Select-Object Number, Status, Total -First 2
        $selected[0].PSObject.Properties.Name | Should -Be @('Number', 'Status', 'Total')
        $sorted = @($invoices | Sort-Object Total -Descending)
        for ($i = 1; $i -lt $sorted.Count; $i++) {
            $sorted[$i - 1].Total -ge $sorted[$i].Total | Should -BeTrue
        }
        $groups = @($invoices | Group-Object Status)
        ($groups | Measure-Object Count -Sum).Sum | Should -Be 200
        foreach ($group in $groups) {
            [enum]::IsDefined([InvoiceTools.InvoiceStatus], $group.Name) | Should -BeTrue
        }
    }

    It 'exports to CSV with one readable cell per property' {
        $invoices = Get-Invoice -First 5
        $file = Join-Path $TestDrive 'invoices.csv'
        $invoices | Export-Csv -Path $file -NoTypeInformation
        $rows = @(Import-Csv -Path $file)
        $rows.Count | Should -Be 5
        $rows[0].Id | Should -Be $invoices[0].Id
        $rows[0].Total | Should -BeIn @($invoices[0].Total.ToString([cultureinfo]::InvariantCulture), $invoices[0].Total.ToString())
        $rows[0].Raw | Should -Match '^\d+ fields$'
        (Get-Content -Raw -Path $file) | Should -Not -Match 'System\.'
    }

    It 'makes a proper line-item file with Get-InvoiceLineItem | Export-Csv' {
        $invoices = Get-Invoice -First 10
        $file = Join-Path $TestDrive 'lines.csv'
        $invoices | Get-InvoiceLineItem | Export-Csv -Path $file -NoTypeInformation
        $rows = @(Import-Csv -Path $file)
        $expected = 0
        foreach ($invoice in $invoices) { $expected += $invoice.LineItems.Count }
        $rows.Count | Should -Be $expected
        foreach ($row in $rows) {
            $row.InvoiceId | Should -BeIn $invoices.Id
            $row.Provider | Should -Be 'Revere'
            $row.Currency | Should -Be 'USD'
        }
        $first = $invoices[0]
        $ofFirst = @($rows | Where-Object { $_.InvoiceId -eq $first.Id })
        $ofFirst.Count | Should -Be $first.LineItems.Count
        $ofFirst[0].InvoiceNumber | Should -Be $first.Number
    }

    It 'converts to JSON with the raw record as an object and line items as an array' {
        $invoice = Get-Invoice -First 1
        $json = $invoice | ConvertTo-Json -Depth 6 | ConvertFrom-Json
        $json.Id | Should -Be $invoice.Id
        $json.Raw.invoice_number | Should -Be $invoice.Number
        @($json.LineItems).Count | Should -Be $invoice.LineItems.Count
    }

    It 'round-trips through Export-Clixml with its type name and decimal money kept' {
        $invoice = Get-Invoice -First 1
        $file = Join-Path $TestDrive 'invoice.xml'
        $invoice | Export-Clixml -Path $file
        $back = Import-Clixml -Path $file
        $back.PSTypeNames | Should -Contain 'Deserialized.InvoiceTools.Invoice'
        $back.Id | Should -Be $invoice.Id
        $back.Total | Should -BeOfType [decimal]
        $back.Total | Should -Be $invoice.Total
    }

    It 'fans out across connections of different providers in one stream' {
        Connect-InvoiceProvider -Provider Kitchen -Sandbox
        try {
            $all = @(Get-InvoiceProviderConnection | Get-Invoice -Status Overdue)
            # Get-InvoiceProviderConnection lists connections by name, and the stream follows that order.
            @($all.Connection | Select-Object -Unique) | Should -Be @('Kitchen-Sandbox', 'Revere-Sandbox')
            foreach ($invoice in $all) { $invoice.Status | Should -Be 'Overdue' }
        }
        finally {
            Disconnect-InvoiceProvider -Name Kitchen-Sandbox
        }
    }
}

Describe 'Connect-InvoiceProvider from the pipeline' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'connects every row of a CSV of accounts, empty cells meaning absent and extra columns ignored' {
        $file = Join-Path $TestDrive 'accounts.csv'
        Set-Content -Path $file -Value @(
            'Provider,Name,Sandbox,GroupId,Gateway,Owner'
            'Revere,us-east,true,,,finance'
            'Kitchen,design,true,,,studio'
            'Xendit,id-shop,true,,Appgregator,ops'
        )
        $connections = @(Import-Csv -Path $file | Connect-InvoiceProvider -PassThru)
        $connections.Name | Should -Be @('us-east', 'design', 'id-shop')
        $connections.Provider | Should -Be @('Revere', 'Kitchen', 'Xendit')
        $connections[2].Settings['Gateway'] | Should -Be 'Appgregator'
        @(Get-InvoiceProviderConnection).Count | Should -Be 3
        (Get-Invoice -Connection design -First 2).Count | Should -Be 2
    }

    It 'connects from hashtables, warns about unknown keys, and reports a bad row without stopping the rest' {
        $rows = @(
            @{ Provider = 'Revere'; Sandbox = $true; Name = 'one' }
            @{ Provider = 'NoSuchProvider'; Sandbox = $true; Name = 'bad' }
            @{ Provider = 'Kitchen'; Sandbox = $true; Name = 'two'; Workspce = 'typo' }
        )
        $connections = @($rows | Connect-InvoiceProvider -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue)
        $connections.Name | Should -Be @('one', 'two')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.ConnectInvoiceProviderCommand'
        $problems[0].Exception.Message | Should -Match 'Provider'
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike 'Settings row 3: ignored Workspce (did you mean Workspace?)*'
    }

    It 'uses command-line values as defaults that a row overrides' {
        $rows = [pscustomobject]@{ Provider = 'Revere'; Name = 'row' }, [pscustomobject]@{ Provider = 'Revere'; Name = '' }
        $connections = @($rows | Connect-InvoiceProvider -Sandbox -Name cli -PassThru)
        $connections.Name | Should -Be @('row', 'cli')
    }

    It 'says which provider settings exist when none is given' {
        { Connect-InvoiceProvider -Sandbox -ErrorAction Stop } | Should -Throw -ExpectedMessage '*No provider was given*'
    }
}

Describe 'Get-InvoiceProvider and Measure-Invoice' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'lists the five providers with their capabilities, without a connection' {
        $providers = @(Get-InvoiceProvider)
        $providers.Kind | Should -Be @('Revere', 'Revolv3', 'Opterius', 'Kitchen', 'Xendit')
        foreach ($provider in $providers) {
            $provider.AuthModes | Should -Not -BeNullOrEmpty
            $provider.MaxPageSize | Should -BeGreaterThan 0
            $provider.StatusMap.Count | Should -BeGreaterThan 0
        }
        (Get-InvoiceProvider -Name Revere).ServerFilters | Should -Contain 'Status (statuses)'
        (Get-InvoiceProvider -Name Kitchen).StatusMap['open'] | Should -Be 'Open'
    }

    It 'summarizes per currency and never adds currencies together' {
        Connect-InvoiceProvider -Provider Xendit -Sandbox
        $invoices = @(Get-Invoice)
        $summary = @($invoices | Measure-Invoice)
        $groups = @($invoices | Group-Object Currency)
        $summary.Length | Should -Be $groups.Length
        $groups.Length | Should -BeGreaterThan 1
        foreach ($group in $groups) {
            $row = @($summary | Where-Object { $_.Currency -eq $group.Name })
            $row.Length | Should -Be 1
            $row[0].Count | Should -Be $group.Count
            $total = [decimal]0
            $due = [decimal]0
            foreach ($invoice in $group.Group) { $total += $invoice.Total; $due += $invoice.AmountDue }
            $row[0].Total | Should -Be $total
            $row[0].AmountDue | Should -Be $due
        }
    }

    It 'answers the balance-due widget: open and overdue per currency' {
        Connect-InvoiceProvider -Provider Opterius -Sandbox
        $summary = @(Get-Invoice -Status Open, Overdue | Measure-Invoice)
        $summary | Should -Not -BeNullOrEmpty
        foreach ($row in $summary) {
            $row.AmountOverdue | Should -BeLessOrEqual $row.AmountDue
            $row.OverdueCount | Should -BeLessOrEqual $row.Count
        }
    }
}
