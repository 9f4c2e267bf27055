#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# A user with only a definition file and its sample records: register, connect to the sandbox, list, filter, page,
# export and measure, for every example under examples/, against the BUILT module folder (out/InvoiceTools, or
# $env:INVOICETOOLS_MODULE_PATH). Then what a definition must not do (problems, code, a bad path) and keys that never show.
# The expected numbers were counted from the records files, not from the module. Statuses derived from due dates
# (Overdue) hold for any day after 2026-09-30: the latest due date among the records.
# Definitions are process-wide: the examples keep their own names; the ad-hoc definitions here have names of their own.

BeforeDiscovery {
    # The JSON twin of Harvest's definition reads the same records into the same invoices.
    $harvest = @{
        Name = 'Harvest'; File = 'Harvest/harvest.psd1'; DisplayName = 'Harvest'; Setting = @{ AccountId = '123456'; Contact = 'you@example.com' }
        Count = 24; LineItems = 29
        Statuses = [ordered]@{ Draft = 2; Overdue = 6; Paid = 14; Uncollectible = 2 }
        Totals = [ordered]@{ EUR = 12823.20d; GBP = 19368.00d; JPY = 665500d; USD = 63016.00d }
        StatusParameter = 'state'; PaidWord = 'paid'; OverdueSent = 'state=open'
        CreatedSent = $null
        Window = 8; Customer = 'Oakridge'; CustomerCount = 6
        Probe = @{ Id = '13160023'; Number = '2026-023'; Status = 'Paid'; ProviderStatus = 'paid'; Currency = 'JPY'; Total = 247500d; Tax = 22500d; DueDate = '2026-07-22T00:00:00Z'; PaidAt = '2026-07-03T00:00:00Z'; Lines = 2 }
        Missing = '999'; NumberSent = $null
        # links.next is null on the eighth page of three.
        PagesOf3 = 8
    }
    $harvestJson = $harvest.Clone()
    $harvestJson.Name = 'HarvestJson'; $harvestJson.File = 'Harvest/harvest.json'; $harvestJson.DisplayName = 'Harvest (JSON definition)'
    $script:Examples = @(
        @{
            Name = 'Stripe'; File = 'Stripe/stripe.psd1'; DisplayName = 'Stripe Invoicing'; Setting = @{}
            Count = 20; LineItems = 25
            Statuses = [ordered]@{ Draft = 2; Open = 2; Overdue = 3; Paid = 9; Uncollectible = 2; Void = 2 }
            Totals = [ordered]@{ EUR = 2767.20d; GBP = 4416.00d; JPY = 409200d; USD = 14590.50d }
            StatusParameter = 'status'; PaidWord = 'paid'; OverdueSent = 'status=open'
            CreatedSent = 'created[gte]=1772323200, created[lt]=1777593600'
            Window = 9; Customer = 'Harbor'; CustomerCount = 3
            Probe = @{ Id = 'in_1RNwl00133GwqsMuQSKazg8'; Number = 'NWL-0013'; Status = 'Paid'; ProviderStatus = 'paid'; Currency = 'JPY'; Total = 198000d; Tax = 18000d; DueDate = '2026-05-31T23:59:00Z'; PaidAt = '2026-05-12T03:00:00Z'; Lines = 1 }
            Missing = 'in_missing'; NumberSent = $null
            # The last page of -PageSize 3: has_more is false on it.
            PagesOf3 = 7
        }
        $harvest
        $harvestJson
        @{
            Name = 'Chargebee'; File = 'Chargebee/chargebee.psd1'; DisplayName = 'Chargebee Billing'; Setting = @{ Site = 'acme-test' }
            Count = 14; LineItems = 19
            Statuses = [ordered]@{ Draft = 1; Failed = 1; Open = 2; Overdue = 2; Paid = 6; Void = 2 }
            Totals = [ordered]@{ AUD = 1423.40d; EUR = 1657.02d; GBP = 1137.60d; USD = 544.80d }
            StatusParameter = 'status[is]'; PaidWord = 'paid'; OverdueSent = 'status[is]=payment_due'
            CreatedSent = $null
            # generated_at 2026-03-01T00:00:00Z is not after -CreatedAfter 2026-03-01: the window holds 6 of 7.
            Window = 6; Customer = 'Pixel'; CustomerCount = 3
            Probe = @{ Id = 'CB-1006'; Number = 'CB-1006'; Status = 'Failed'; ProviderStatus = 'not_paid'; Currency = 'EUR'; Total = 236.81d; Tax = 37.81d; DueDate = '2026-02-10T00:00:00Z'; PaidAt = $null; Lines = 1 }
            Missing = 'CB-9999'; NumberSent = 'id[is]=CB-1006'
            # next_offset is left out of the fifth page, which holds the last two.
            PagesOf3 = 5
        }
    )
}

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    $script:Manifest = (Resolve-Path (Join-Path $script:ModulePath 'InvoiceTools.psd1')).Path
    $script:ExamplesRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../examples')).Path
    Import-Module $script:Manifest -Force -ErrorAction Stop

    # Every verbose and debug record of a run, as text, with what it returned; a terminating error is caught and kept.
    function Invoke-Logged([scriptblock] $Run) {
        $lines = [System.Collections.Generic.List[object]]::new()
        $output = [System.Collections.Generic.List[object]]::new()
        $failure = $null
        $savedDebug = $DebugPreference
        $DebugPreference = 'Continue'
        try {
            & $Run -Verbose *>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord] -or $_ -is [System.Management.Automation.DebugRecord] -or $_ -is [System.Management.Automation.ErrorRecord] -or $_ -is [System.Management.Automation.WarningRecord] -or $_ -is [System.Management.Automation.InformationRecord]) { $lines.Add($_) }
                else { $output.Add($_) }
            }
        }
        catch { $failure = $_ }
        finally { $DebugPreference = $savedDebug }
        [pscustomobject]@{
            Output  = $output.ToArray()
            Text    = (@($lines | ForEach-Object { "$_" }) -join "`n")
            Verbose = @($lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { "$_" })
            # The line that says what goes to the server and what the module filters (the host may write others first).
            Plan    = $lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -like "* via connection '*'. Filters sent to the server: *" } | ForEach-Object { "$_" } | Select-Object -First 1
            Done    = $lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -like '*: done, *' } | ForEach-Object { "$_" } | Select-Object -Last 1
            Debug   = @($lines | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object { "$_" })
            Errors  = @($lines | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            Failure = $failure
        }
    }

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    # A copy of an example's folder in TestDrive whose definition has another Name, so that it can be changed freely.
    function Copy-Example([string] $File, [string] $NewName) {
        $source = Join-Path $script:ExamplesRoot (Split-Path $File -Parent)
        $target = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $target | Out-Null
        Copy-Item -Path $source -Destination $target -Recurse
        $target = Join-Path $target (Split-Path $source -Leaf)
        $definition = Join-Path $target (Split-Path $File -Leaf)
        $text = Get-Content -Raw -Path $definition
        $text = if ($definition.EndsWith('.json')) { ([regex]'"Name": "[^"]+"').Replace($text, "`"Name`": `"$NewName`"", 1) } else { ([regex]"(?m)^(\s*Name\s*=\s*)'[^']+'").Replace($text, "`${1}'$NewName'", 1) }
        Set-Content -Path $definition -Value $text -NoNewline
        $definition
    }

    foreach ($file in 'Stripe/stripe.psd1', 'Harvest/harvest.psd1', 'Harvest/harvest.json', 'Chargebee/chargebee.psd1') {
        Register-InvoiceProvider -Path (Join-Path $script:ExamplesRoot $file) -ErrorAction Stop | Out-Null
    }
}

AfterAll {
    Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    Unregister-InvoiceProvider -Name Stripe, Harvest, HarvestJson, Chargebee -ErrorAction SilentlyContinue
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'The <Name> example, offline' -ForEach $script:Examples {
    BeforeAll {
        $script:Definition = Join-Path $script:ExamplesRoot $File
        $script:Connection = "e2e-$Name"
        Connect-InvoiceProvider -Provider $Name -Sandbox -Setting $Setting -Name $script:Connection -InformationAction Ignore
        $script:All = @(Get-Invoice -Connection $script:Connection)
    }

    AfterAll {
        Disconnect-InvoiceProvider -Name $script:Connection -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'registers from its file: the descriptor, Get-InvoiceProvider and -Provider tab completion show it' {
        $descriptor = Register-InvoiceProvider -Path $script:Definition
        $descriptor.Name | Should -BeExactly $Name
        $descriptor.DisplayName | Should -BeExactly $DisplayName
        "$($descriptor.Kind)" | Should -Be 'Defined'
        $descriptor.Source | Should -BeLike 'https://*'
        $descriptor.DefinitionFile | Should -Be $script:Definition

        $listed = Get-InvoiceProvider -Name $Name
        $listed.Name | Should -BeExactly $Name
        $listed.DisplayName | Should -BeExactly $DisplayName
        $listed.Source | Should -Be $descriptor.Source
        $listed.DefinitionFile | Should -Be $script:Definition
        @(Get-InvoiceProvider).Name | Should -Contain $Name
        (Get-InvoiceProvider | Out-String -Width 80) | Should -Match "(?m)^$Name\s+$([regex]::Escape($DisplayName.Substring(0, 7)))"

        Get-Completion 'Connect-InvoiceProvider -Provider ' | Should -Contain $Name
        Get-Completion "Connect-InvoiceProvider -Provider $($Name.Substring(0, 4))" | Should -Contain $Name
        Get-Completion "Get-InvoiceProvider -Name $($Name.Substring(0, 4))" | Should -Contain $Name
    }

    It 'lists every invoice exactly once, with the status counts the records hold' {
        $connection = Get-InvoiceProviderConnection -Name $script:Connection
        $connection.Provider | Should -Be $Name
        $connection.IsSandbox | Should -BeTrue
        $connection.BaseUri | Should -Be "https://sandbox.invoicetools.invalid/defined-$($Name.ToLowerInvariant())"
        $script:All.Count | Should -Be $Count
        @($script:All.Id | Select-Object -Unique).Count | Should -Be $Count
        @($script:All.Provider | Select-Object -Unique) | Should -Be @($Name)
        @($script:All.Connection | Select-Object -Unique) | Should -Be @($script:Connection)
        $counts = [ordered]@{}
        $script:All | Group-Object { "$($_.Status)" } | Sort-Object Name | ForEach-Object { $counts[$_.Name] = $_.Count }
        ($counts.Keys -join ',') | Should -Be (@($Statuses.Keys | Sort-Object) -join ',')
        foreach ($status in $Statuses.Keys) { $counts[$status] | Should -Be $Statuses[$status] -Because "$status invoices" }
    }

    It 'measures the total of each currency exactly, as decimals' {
        $summaries = @($script:All | Measure-Invoice)
        ($summaries.Currency -join ',') | Should -Be (@($Totals.Keys) -join ',')
        foreach ($summary in $summaries) {
            $summary.Total | Should -BeOfType [decimal]
            $summary.Total | Should -Be $Totals[$summary.Currency] -Because "the $($summary.Currency) total"
            $summary.Providers | Should -Be $Name
        }
        ($summaries | Measure-Object -Property Count -Sum).Sum | Should -Be $Count
        # The same through the pipeline straight from the connection.
        @(Get-Invoice -Connection $script:Connection | Measure-Invoice).Total | Should -Be @($Totals.Values)
    }

    It 'reads one invoice in full, and finds it by -Id and by -Number' {
        $invoice = $script:All | Where-Object Id -EQ $Probe.Id
        foreach ($found in @($invoice, (Get-Invoice -Connection $script:Connection -Id $Probe.Id), (Get-Invoice -Connection $script:Connection -Number $Probe.Number))) {
            $found.Id | Should -BeExactly $Probe.Id
            $found.Number | Should -BeExactly $Probe.Number
            "$($found.Status)" | Should -Be $Probe.Status
            $found.ProviderStatus | Should -BeExactly $Probe.ProviderStatus
            $found.Currency | Should -BeExactly $Probe.Currency
            $found.Total | Should -BeOfType [decimal]
            $found.Total | Should -Be $Probe.Total
            $found.Tax | Should -Be $Probe.Tax
            $found.DueDate.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ') | Should -Be $Probe.DueDate
            if ($Probe.PaidAt) { $found.PaidAt.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ') | Should -Be $Probe.PaidAt } else { $found.PaidAt | Should -BeNullOrEmpty }
            @($found.LineItems).Count | Should -Be $Probe.Lines
        }
    }

    It '-Id of a missing invoice is a non-terminating ObjectNotFound error; the others are still returned' {
        $found = @(Get-Invoice -Connection $script:Connection -Id $Missing, $Probe.Id -ErrorVariable problems -ErrorAction SilentlyContinue)
        $found.Id | Should -Be @($Probe.Id)
        $problems.Count | Should -Be 1
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsNotFound,InvoiceTools.Commands.GetInvoiceCommand'
        $problems[0].TargetObject | Should -Be $Missing
        "$($problems[0])" | Should -BeLike "*'$Missing'*"

        @(Get-Invoice -Connection $script:Connection -Number 'NO-SUCH-NUMBER' -ErrorVariable missing -ErrorAction SilentlyContinue).Count | Should -Be 0
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsNotFound,InvoiceTools.Commands.GetInvoiceCommand'
    }

    It '-Number sends the number to the server only when the definition has that filter, and says so' {
        $run = Invoke-Logged { Get-Invoice -Connection $script:Connection -Number $Probe.Number @args }
        $run.Output.Id | Should -Be @($Probe.Id)
        if ($NumberSent) {
            $run.Plan | Should -BeLike "*Filters sent to the server: $([WildcardPattern]::Escape($NumberSent)).*"
            @($run.Verbose | Where-Object { $_ -like 'GET *' }).Count | Should -Be 1
        }
        else {
            $run.Plan | Should -BeLike '*Filters sent to the server: none.*'
        }
    }

    It 'counts the line items of every invoice' {
        $items = @($script:All | Get-InvoiceLineItem)
        $items.Count | Should -Be $LineItems
        @($items.Provider | Select-Object -Unique) | Should -Be @($Name)
        foreach ($item in $items) { $item.Amount | Should -BeOfType [decimal] }
        @(Get-Invoice -Connection $script:Connection -Id $Probe.Id | Get-InvoiceLineItem).Count | Should -Be $Probe.Lines
    }

    It 'exports to CSV and reads back every invoice: ISO 8601 UTC dates and exact amounts' {
        $path = Join-Path $TestDrive "$Name.csv"
        $script:All | Export-Csv -Path $path -NoTypeInformation
        $rows = @(Import-Csv -Path $path)
        $rows.Count | Should -Be $Count
        ($rows.Id -join ',') | Should -Be ($script:All.Id -join ',')
        for ($i = 0; $i -lt $Count; $i++) {
            $row = $rows[$i]; $invoice = $script:All[$i]
            $row.Provider | Should -BeExactly $Name
            $row.Status | Should -BeExactly "$($invoice.Status)"
            [decimal]::Parse($row.Total, [cultureinfo]::InvariantCulture) | Should -Be $invoice.Total
            foreach ($date in 'CreatedAt', 'IssuedAt', 'DueDate', 'PaidAt', 'UpdatedAt') {
                if ($null -eq $invoice.$date) { $row.$date | Should -BeNullOrEmpty; continue }
                $row.$date | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$' -Because "$date is ISO 8601 in UTC"
                [datetimeoffset]::Parse($row.$date, [cultureinfo]::InvariantCulture) | Should -Be $invoice.$date
            }
        }
        foreach ($currency in $Totals.Keys) {
            $sum = [decimal]0
            $rows | Where-Object Currency -EQ $currency | ForEach-Object { $sum += [decimal]::Parse($_.Total, [cultureinfo]::InvariantCulture) }
            $sum | Should -Be $Totals[$currency]
        }
    }

    It 'converts to JSON with statuses as names and amounts as numbers' {
        $json = $script:All | Select-Object -Property * -ExcludeProperty Raw | ConvertTo-Json -Depth 4 -WarningAction Stop
        $back = @($json | ConvertFrom-Json)
        $back.Count | Should -Be $Count
        ($back.Id -join ',') | Should -Be ($script:All.Id -join ',')
        ($back.Status -join ',') | Should -Be (($script:All | ForEach-Object { "$($_.Status)" }) -join ',')
        $fromJson = $back | Where-Object Id -EQ $Probe.Id
        [decimal]$fromJson.Total | Should -Be $Probe.Total
        @($fromJson.LineItems).Count | Should -Be $Probe.Lines
        $json | Should -Not -Match 'InvoiceTools\.'
    }

    It 'shows a table at 80 columns: one row per invoice, no type names, amounts right-aligned under Total' {
        $text = $script:All | Out-String -Width 80
        $lines = @($text -split '\r?\n')
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 -Because "'$line' must not wrap" }
        $text | Should -Not -Match 'InvoiceTools\.'
        $text | Should -Match "(?m)^\s+Connection: $([regex]::Escape($script:Connection))\s*$"
        $header = @($lines | Where-Object { $_ -match '^Invoice\s+Status\s+Customer\s+Total\s+Due\s*$' })
        $header.Count | Should -Be 1
        $totalEnd = $header[0].IndexOf('Total') + 'Total'.Length
        $rows = @($lines | Where-Object { $_ -match '\S' -and $_ -notmatch '^(\s+Connection:|-+ |Invoice\s)' })
        $rows.Count | Should -Be $Count
        for ($i = 0; $i -lt $Count; $i++) {
            $invoice = $script:All[$i]
            $shown = if ($invoice.Number) { $invoice.Number } else { $invoice.Id }
            $rows[$i] | Should -BeLike "$([WildcardPattern]::Escape($shown.Substring(0, [math]::Min(16, $shown.Length))))*"
            $rows[$i] | Should -BeLike "* $($invoice.Status) *"
            $money = [InvoiceTools.Currency]::FormatMoney($invoice.Total, $invoice.Currency, 20)
            $rows[$i].IndexOf($money) + $money.Length | Should -Be $totalEnd -Because "the total of $shown ends under the Total header"
        }

        $chosen = $script:All | Format-Table -Property Provider, Number, Status, Total, Currency | Out-String -Width 80
        $chosen | Should -Not -Match 'InvoiceTools\.'
        @($chosen -split '\r?\n' | Where-Object { $_ -match "^$Name\s" }).Count | Should -Be $Count
    }

    It '-First and -Skip take the same invoices as the whole list' {
        @(Get-Invoice -Connection $script:Connection -First 5).Id | Should -Be $script:All[0..4].Id
        @(Get-Invoice -Connection $script:Connection -Skip 3 -First 4).Id | Should -Be $script:All[3..6].Id
        @(Get-Invoice -Connection $script:Connection -Skip ($Count - 2)).Id | Should -Be $script:All[($Count - 2)..($Count - 1)].Id
        @(Get-Invoice -Connection $script:Connection -Skip $Count).Count | Should -Be 0
        @(Get-Invoice -Connection $script:Connection -First ($Count + 5)).Count | Should -Be $Count
    }

    It '-PageSize 1 and 3 page through the same invoices in the same order, in the pages the definition promises' {
        $one = Invoke-Logged { Get-Invoice -Connection $script:Connection -PageSize 1 @args }
        ($one.Output.Id -join ',') | Should -Be ($script:All.Id -join ',')
        @($one.Verbose | Where-Object { $_ -like 'GET *' }).Count | Should -BeGreaterOrEqual $Count

        $three = Invoke-Logged { Get-Invoice -Connection $script:Connection -PageSize 3 @args }
        ($three.Output.Id -join ',') | Should -Be ($script:All.Id -join ',')
        @($three.Verbose | Where-Object { $_ -like 'GET *' }).Count | Should -Be $PagesOf3
        $three.Plan | Should -BeLike '*Page size 3.'
        $three.Done | Should -BeLike "*done, $Count of the $Count invoice(s) received passed the query's filters, in $PagesOf3 page request(s)*"
    }

    It '-Status Paid is sent to the server as one of the API''s words and comes back whole' {
        $run = Invoke-Logged { Get-Invoice -Connection $script:Connection -Status Paid @args }
        $run.Output.Count | Should -Be $Statuses['Paid']
        @($run.Output | Where-Object { "$($_.Status)" -ne 'Paid' }) | Should -BeNullOrEmpty
        $run.Plan | Should -BeLike "*Filters sent to the server: $([WildcardPattern]::Escape("$StatusParameter=$PaidWord")).*"
        $escaped = [uri]::EscapeDataString($StatusParameter)
        @($run.Verbose | Where-Object { $_ -like "GET *$escaped=$PaidWord*" }).Count | Should -BeGreaterThan 0
    }

    It '-Status Overdue: what the server filters and what the module adds' {
        $run = Invoke-Logged { Get-Invoice -Connection $script:Connection -Status Overdue @args }
        $run.Output.Count | Should -Be $Statuses['Overdue']
        @($run.Output | Where-Object { "$($_.Status)" -ne 'Overdue' }) | Should -BeNullOrEmpty
        $run.Plan | Should -BeLike "*Filters sent to the server: $([WildcardPattern]::Escape($OverdueSent)).*"
    }

    It '-Status with two statuses is applied by the module alone' {
        $run = Invoke-Logged { Get-Invoice -Connection $script:Connection -Status Draft, Paid @args }
        $run.Output.Count | Should -Be ($Statuses['Draft'] + $Statuses['Paid'])
        ($run.Output.Id -join ',') | Should -Be (($script:All | Where-Object { "$($_.Status)" -in 'Draft', 'Paid' }).Id -join ',')
        $run.Plan | Should -BeLike '*Filters sent to the server: none. Filters applied by the module: Status in Draft, Paid.*'
    }

    It '-CreatedAfter and -CreatedBefore keep the invoices created strictly inside the window' {
        $after = [datetime]::new(2026, 3, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $before = [datetime]::new(2026, 5, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $run = Invoke-Logged { Get-Invoice -Connection $script:Connection -CreatedAfter $after -CreatedBefore $before @args }
        $run.Output.Count | Should -Be $Window
        ($run.Output.Id -join ',') | Should -Be (($script:All | Where-Object { $_.CreatedAt -gt $after -and $_.CreatedAt -lt $before }).Id -join ',')
        $sent = if ($CreatedSent) { $CreatedSent } else { 'none' }
        $run.Plan | Should -BeLike "*Filters sent to the server: $([WildcardPattern]::Escape($sent)). Filters applied by the module: CreatedAt > 2026-03-01T00:00:00Z, CreatedAt < 2026-05-01T00:00:00Z.*"
    }

    It '-Customer matches names, e-mails and ids, in the module' {
        $run = Invoke-Logged { Get-Invoice -Connection $script:Connection -Customer $Customer @args }
        $run.Output.Count | Should -Be $CustomerCount
        foreach ($invoice in $run.Output) { "$($invoice.CustomerName) $($invoice.CustomerEmail) $($invoice.CustomerId)" | Should -BeLike "*$Customer*" }
        $run.Plan | Should -BeLike "*Filters applied by the module: Customer contains '$Customer'.*"
    }

    It '-Checkpoint returns every invoice once, then nothing, then only the changed and the new one' {
        $copyName = "E2eCk$($Name)$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $definition = Copy-Example $File $copyName
        try {
            Register-InvoiceProvider -Path $definition | Out-Null
            Connect-InvoiceProvider -Provider $copyName -Sandbox -Setting $Setting -Name ck -InformationAction Ignore
            $checkpoint = Join-Path $TestDrive "$copyName.checkpoint.json"
            @(Get-Invoice -Connection ck -PageSize 5 -Checkpoint $checkpoint).Count | Should -Be $Count
            @(Get-Invoice -Connection ck -PageSize 5 -Checkpoint $checkpoint).Count | Should -Be 0

            # The records change as the API's would: one invoice is paid and one is added.
            $records = (Get-ChildItem -Path (Split-Path $definition -Parent) -Filter '*.records.json').FullName
            $data = @(Get-Content -Raw -Path $records | ConvertFrom-Json -DateKind String)
            $added = $data[0] | ConvertTo-Json -Depth 30 | ConvertFrom-Json -DateKind String
            $changedId = switch ($Name) {
                'Stripe' { $o = $data | Where-Object { $_.status -eq 'open' } | Select-Object -First 1; $o.status = 'paid'; $o.amount_remaining = 0; $o.id; $added.id = 'in_1RNwl0021AddedByTheTest'; $added.created += 3600 }
                'Chargebee' { $o = ($data | Where-Object { $_.invoice.status -eq 'posted' } | Select-Object -First 1).invoice; $o.status = 'paid'; $o.updated_at += 86400; $o.id; $added.invoice.id = 'CB-2001' }
                default { $o = $data | Where-Object { $_.state -eq 'open' } | Select-Object -First 1; $o.state = 'paid'; $o.updated_at = '2026-11-02T10:00:00Z'; "$($o.id)"; $added.id = 13169999; $added.number = '2026-999' }
            }
            $addedId = if ($Name -eq 'Chargebee') { $added.invoice.id } else { "$($added.id)" }
            ConvertTo-Json -InputObject @($data + $added) -Depth 30 | Set-Content -Path $records
            Register-InvoiceProvider -Path $definition | Out-Null
            Connect-InvoiceProvider -Provider $copyName -Sandbox -Setting $Setting -Name ck -Force -InformationAction Ignore

            $changed = @(Get-Invoice -Connection ck -PageSize 5 -Checkpoint $checkpoint)
            @($changed.Id | Sort-Object) | Should -Be @($changedId, $addedId | Sort-Object)
            "$(($changed | Where-Object Id -EQ $changedId).Status)" | Should -Be 'Paid'
            @(Get-Invoice -Connection ck -PageSize 5 -Checkpoint $checkpoint).Count | Should -Be 0
            (Get-Content -Raw -Path $checkpoint | ConvertFrom-Json).format | Should -Be 'InvoiceTools.Checkpoint'
        }
        finally {
            Disconnect-InvoiceProvider -Name ck -Confirm:$false -ErrorAction SilentlyContinue
            Unregister-InvoiceProvider -Name $copyName -ErrorAction SilentlyContinue
        }
    }

    It 'retries a 429 and a 500 on pages 2 and 3 and still returns every invoice once' {
        Get-Completion 'Connect-InvoiceProvider -SandboxFault RateLimitedRetryAfterS' | Should -Be 'RateLimitedRetryAfterSeconds'
        Get-Completion 'Connect-InvoiceProvider -SandboxFault InternalServerE' | Should -Be 'InternalServerError'
        try {
            Connect-InvoiceProvider -Provider $Name -Sandbox -Setting $Setting -Name "$($script:Connection)-faults" -SandboxFault RateLimitedRetryAfterSeconds, InternalServerError -InformationAction Ignore
            $run = Invoke-Logged { Get-Invoice -Connection "$($script:Connection)-faults" -PageSize 3 @args }
            $run.Failure | Should -BeNullOrEmpty
            $run.Errors | Should -BeNullOrEmpty
            ($run.Output.Id -join ',') | Should -Be ($script:All.Id -join ',')
            @($run.Verbose | Where-Object { $_ -like 'Retry ? of 4 for GET * after 429 Too Many Requests; waiting 2 s as the provider asked.' }).Count | Should -Be 1
            @($run.Verbose | Where-Object { $_ -like 'Retry ? of 4 for GET * after 500 Internal Server Error; waiting * (exponential backoff with jitter).' }).Count | Should -Be 1
        }
        finally {
            Disconnect-InvoiceProvider -Name "$($script:Connection)-faults" -Confirm:$false -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Harvest as .psd1 and as JSON' {
    BeforeAll {
        $setting = @{ AccountId = '123456'; Contact = 'you@example.com' }
        Connect-InvoiceProvider -Provider Harvest -Sandbox -Setting $setting -Name twin-psd1 -InformationAction Ignore
        Connect-InvoiceProvider -Provider HarvestJson -Sandbox -Setting $setting -Name twin-json -InformationAction Ignore
    }

    AfterAll {
        Disconnect-InvoiceProvider -Name twin-psd1, twin-json -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'give the same invoices, field by field, and the same line items' {
        $fromPsd1 = @(Get-Invoice -Connection twin-psd1)
        $fromJson = @(Get-Invoice -Connection twin-json)
        $fromJson.Count | Should -Be $fromPsd1.Count
        $fields = { $_ | Select-Object -Property * -ExcludeProperty Provider, Connection, LineItems | ConvertTo-Json -Depth 10 -Compress }
        ($fromJson | ForEach-Object $fields) | Should -Be ($fromPsd1 | ForEach-Object $fields)
        $items = { $_ | Get-InvoiceLineItem | Select-Object -Property * -ExcludeProperty Provider | ConvertTo-Json -Depth 4 -Compress }
        ($fromJson | ForEach-Object $items) | Should -Be ($fromPsd1 | ForEach-Object $items)
        @($fromJson.Provider | Select-Object -Unique) | Should -Be 'HarvestJson'
    }

    It '-Sandbox needs no settings, but checks a setting given as a real connection does' {
        try {
            Connect-InvoiceProvider -Provider Harvest -Sandbox -Name twin-bare -InformationAction Ignore
            @(Get-Invoice -Connection twin-bare).Count | Should -Be 24
            { Connect-InvoiceProvider -Provider HarvestJson -Sandbox -Name twin-bad -Setting @{ AccountId = 'acme'; Contact = 'you@example.com' } -ErrorAction Stop } |
                Should -Throw -ExpectedMessage "'acme' is not a valid AccountId for Harvest (JSON definition)*"
            { Connect-InvoiceProvider -Provider Harvest -Sandbox -Name twin-bad -Setting @{ Site = 'acme' } -ErrorAction Stop } |
                Should -Throw -ExpectedMessage "'Site' is not a setting of Harvest.*"
            Get-InvoiceProviderConnection -Name twin-bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally {
            Disconnect-InvoiceProvider -Name twin-bare -Confirm:$false -ErrorAction SilentlyContinue
        }
    }

    It 'a real connection needs both settings, and names the one missing or wrong' {
        $key = ConvertTo-SecureString 'hv_token_not_sent' -AsPlainText -Force
        $failure = { Connect-InvoiceProvider -Provider Harvest -ApiKey $key -SkipKeyCheck -Setting @{ Contact = 'you@example.com' } -ErrorAction Stop } | Should -Throw -PassThru
        "$failure" | Should -BeLike '*Harvest needs the setting AccountId*'
        $failure = { Connect-InvoiceProvider -Provider HarvestJson -ApiKey $key -SkipKeyCheck -Setting @{ AccountId = 'acme'; Contact = 'you@example.com' } -ErrorAction Stop } | Should -Throw -PassThru
        "$failure" | Should -BeLike '*AccountId*'
        @(Get-InvoiceProviderConnection | Where-Object { -not $_.IsSandbox }) | Should -BeNullOrEmpty
    }
}

Describe 'Registering definitions' {
    BeforeAll {
        $script:Folder = Join-Path $TestDrive 'definitions'
        New-Item -ItemType Directory -Path $script:Folder | Out-Null
        $script:Unique = "E2e$([guid]::NewGuid().ToString('n').Substring(0, 8))"

        function New-Definition([string] $FileName, [string] $Name, [string] $Extra = '') {
            $path = Join-Path $script:Folder $FileName
            Set-Content -Path $path -Value @"
@{
    Name           = '$Name'
    BaseUri        = 'https://api.$($Name.ToLowerInvariant()).example'
    Authentication = @{ Type = 'Bearer' }
    List           = @{ Path = '/v1/invoices'; Items = 'data' }
    Paging         = @{ Type = 'Offset'; Offset = 'offset'; PageSize = 'limit'; MaxPageSize = 50 }
    Invoice        = @{ Id = 'id'; Status = 'status'; Total = 'total'; Currency = 'currency' }
    Statuses       = @{ paid = 'Paid'; open = 'Open' }$Extra
}
"@
            $path
        }
    }

    AfterAll {
        Unregister-InvoiceProvider -Name "$($script:Unique)*" -ErrorAction SilentlyContinue
    }

    It 'reports every problem of a file in one non-terminating error, each with its line and key, and registers nothing' {
        $path = Join-Path $script:Folder 'three.psd1'
        Set-Content -Path $path -Value @"
@{
    Name           = '$($script:Unique)Three'
    BaseUri        = 'ftp://api.three.example'
    Authentication = @{ Type = 'Bearer' }
    List           = @{ Path = '/v1/invoices' }
    Paging         = @{ Type = 'Pages'; MaxPageSize = 100 }
    Invoice        = @{ Id = 'id'; Status = 'status' }
    Statuses       = @{ paid = 'Paid' }
}
"@
        $out = @(Register-InvoiceProvider -Path $path -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsInvalidDefinition,InvoiceTools.Commands.RegisterInvoiceProviderCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $found = @($problems[0].Exception.Problems | ForEach-Object { "$($_.Line)|$($_.Key)" })
        $found | Should -Be @('3|BaseUri', '5|List', '6|Paging.Type')
        $message = $problems[0].Exception.Message
        $message | Should -BeLike 'The provider definition three.psd1 has 3 problems:*'
        $message | Should -BeLike "*three.psd1:3: BaseUri: 'ftp://api.three.example' is not an absolute https:// address.*"
        $message | Should -BeLike '*three.psd1:5: List: Items is missing.*'
        ($message -split '\r?\n')[-1] | Should -BeExactly "  three.psd1:6: Paging.Type: 'Pages' is not one of Offset, Page, NextLink, LinkHeader, Cursor, None; did you mean Page?"
        $problems[0].ErrorDetails.RecommendedAction | Should -BeLike '*about_InvoiceTools_CustomProviders*'
        Get-InvoiceProvider -Name "$($script:Unique)Three" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a .psd1 that holds a command <Kind>, and runs nothing' -ForEach @(
        @{ Kind = 'in a subexpression'; Value = '$(New-Item -ItemType File -Path ''{0}'')' }
        @{ Kind = 'in parentheses'; Value = '(New-Item -ItemType File -Path ''{0}'')' }
        @{ Kind = 'in a script block invoked'; Value = '& { New-Item -ItemType File -Path ''{0}'' }' }
    ) {
        $marker = Join-Path $TestDrive "ran-$([guid]::NewGuid().ToString('n')).txt"
        $path = New-Definition 'code.psd1' "$($script:Unique)Code"
        (Get-Content -Raw $path).Replace("Name           = '$($script:Unique)Code'", "Name           = $($Value.Replace('{0}', $marker))") | Set-Content -Path $path
        $out = @(Register-InvoiceProvider -Path $path -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsInvalidDefinition,InvoiceTools.Commands.RegisterInvoiceProviderCommand'
        $problems[0].Exception.Problems[0].Line | Should -Be 2
        $problems[0].Exception.Problems[0].Key | Should -Be 'Name'
        "$($problems[0])" | Should -BeLike '*only literals, hashtables and arrays are allowed*'
        Test-Path -Path $marker | Should -BeFalse -Because 'a definition never runs code'
        Get-InvoiceProvider -Name "$($script:Unique)Code" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'names the definition, the key and the path when a JSON path is not valid' {
        $path = Join-Path $script:Folder 'badpath.json'
        Set-Content -Path $path -Value (@{
                Name = "$($script:Unique)Path"; BaseUri = 'https://api.path.example'; Authentication = @{ Type = 'Bearer' }
                List = @{ Path = '/v1/invoices'; Items = 'data[?(@.total > 1)]' }; Paging = @{ Type = 'None' }
                Invoice = @{ Id = 'id'; Status = 'status' }; Statuses = @{ paid = 'Paid' }
            } | ConvertTo-Json -Depth 5)
        Register-InvoiceProvider -Path $path -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].Exception.Problems.Count | Should -Be 1
        $problems[0].Exception.Problems[0].Key | Should -Be 'List.Items'
        $problems[0].Exception.Problems[0].Line | Should -BeGreaterThan 0
        $message = "$($problems[0])"
        $message | Should -BeLike '*badpath.json*'
        $message | Should -BeLike "*List.Items: 'data``[?(@.total > 1)]' is not a JSON path*"
        $message | Should -BeLike '*at character 5*'
        Get-InvoiceProvider -Name "$($script:Unique)Path" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a second definition of a name from another file without -Force, and replaces it with -Force' {
        $name = "$($script:Unique)Twice"
        $first = New-Definition 'first.psd1' $name
        $second = New-Definition 'second.psd1' $name "`n    DisplayName    = 'The second'"
        (Register-InvoiceProvider -Path $first).DefinitionFile | Should -Be $first
        (Register-InvoiceProvider -Path $first).DefinitionFile | Should -Be $first -Because 'the same file again replaces it quietly'

        Register-InvoiceProvider -Path $second -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsDefinitionExists,InvoiceTools.Commands.RegisterInvoiceProviderCommand'
        "$($problems[0])" | Should -Be "A provider named $name is already registered, from $first."
        $problems[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Force*'
        (Get-InvoiceProvider -Name $name).DefinitionFile | Should -Be $first

        $replaced = Register-InvoiceProvider -Path $second -Force
        $replaced.DefinitionFile | Should -Be $second
        (Get-InvoiceProvider -Name $name).DisplayName | Should -Be 'The second'
    }

    It '-WhatIf registers nothing' {
        $name = "$($script:Unique)WhatIf"
        $path = New-Definition 'whatif.psd1' $name
        Register-InvoiceProvider -Path $path -WhatIf | Should -BeNullOrEmpty
        Get-InvoiceProvider -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Completion 'Connect-InvoiceProvider -Provider ' | Should -Not -Contain $name
    }

    It 'Unregister-InvoiceProvider removes a defined provider, by name or wildcard, and refuses a built-in one' {
        $one = "$($script:Unique)One"; $two = "$($script:Unique)Two"
        Register-InvoiceProvider -Path (New-Definition 'one.psd1' $one) | Out-Null
        Register-InvoiceProvider -Path (New-Definition 'two.psd1' $two) | Out-Null
        Get-Completion "Unregister-InvoiceProvider -Name $($script:Unique)" | Should -Contain $one

        Unregister-InvoiceProvider -Name $one -WhatIf
        (Get-InvoiceProvider -Name $one).Name | Should -Be $one

        $removed = @(Unregister-InvoiceProvider -Name $one -PassThru)
        $removed.Name | Should -Be @($one)
        Get-InvoiceProvider -Name $one -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        { Connect-InvoiceProvider -Provider $one -Sandbox -ErrorAction Stop } | Should -Throw
        (Get-InvoiceProvider -Name $two).Name | Should -Be $two

        @(Unregister-InvoiceProvider -Name "$($script:Unique)T*" -PassThru).Name | Should -Contain $two
        Get-InvoiceProvider -Name $two -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        Unregister-InvoiceProvider -Name Revere -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsProviderBuiltIn,InvoiceTools.Commands.UnregisterInvoiceProviderCommand'
        (Get-InvoiceProvider -Name Revere).Name | Should -Be 'Revere'

        Unregister-InvoiceProvider -Name "$($script:Unique)Never" -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsProviderNotFound,InvoiceTools.Commands.UnregisterInvoiceProviderCommand'
    }

    It 'registers every example under a folder with -Recurse, skipping the records' {
        $descriptors = @(Register-InvoiceProvider -Path $script:ExamplesRoot -Recurse)
        @($descriptors.Name | Sort-Object) | Should -Be @('Chargebee', 'Harvest', 'HarvestJson', 'Stripe')
        @(Register-InvoiceProvider -Path $script:ExamplesRoot -ErrorAction Stop) | Should -BeNullOrEmpty -Because 'without -Recurse, the examples folder holds only README.md'
    }

    It 'a new runspace that imports the module sees the definitions registered in the process' {
        $seen = @(1..2 | ForEach-Object -Parallel {
                Import-Module $using:Manifest
                $provider = Get-InvoiceProvider -Name Stripe -ErrorAction SilentlyContinue
                "$($provider.Name)|$($provider.DefinitionFile)"
            })
        $seen | Should -Be (@("Stripe|$(Join-Path $script:ExamplesRoot 'Stripe/stripe.psd1')") * 2)
    }
}

Describe 'The complete example of about_InvoiceTools_CustomProviders' {
    AfterAll {
        Disconnect-InvoiceProvider -Name acme-about -Confirm:$false -ErrorAction SilentlyContinue
        Unregister-InvoiceProvider -Name Acme -ErrorAction SilentlyContinue
    }

    It 'registers as written, and its sandbox serves records in the shape it describes' {
        $topic = Get-Content -Raw -Path (Join-Path $PSScriptRoot '../../src/InvoiceTools/en-US/about_InvoiceTools_CustomProviders.help.txt')
        $section = ($topic -split '(?m)^A COMPLETE EXAMPLE\s*$')[1]
        $section = ($section -split '(?m)^\S')[0]
        $lines = @($section -split '\r?\n' | ForEach-Object { if ($_.Length -ge 4) { $_.Substring(4) } else { $_.Trim() } })
        # The hashtable ends at its own closing brace; the records the topic shows come after it.
        $code = $lines[0..([array]::IndexOf($lines, '}'))] -join "`n"
        $code.Trim() | Should -BeLike '@{*}'
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'acme')
        $definition = Join-Path $folder 'acme.psd1'
        Set-Content -Path $definition -Value $code
        $code | Should -Match "Records = 'acme.records.json'"
        Set-Content -Path (Join-Path $folder 'acme.records.json') -Value @'
[
  { "id": "inv_2", "number": "A-0002", "state": "open", "currency": "EUR", "total": 11900, "tax": 1900, "amount_due": 11900,
    "customer": { "id": "c_7", "name": "Blue Harbor GmbH" }, "created": 1781000000, "due_on": "2026-12-31",
    "lines": [ { "title": "Support", "qty": 1, "amount": 10000 } ] },
  { "id": "inv_1", "number": "A-0001", "state": "paid", "currency": "USD", "total": 2500, "tax": 0, "amount_due": 0,
    "customer": { "id": "c_3", "name": "Ridge Works" }, "created": 1775000000, "due_on": "2026-04-30",
    "lines": [ { "title": "Setup", "qty": 2, "amount": 1250 }, { "title": "Fee", "qty": 1, "amount": 0 } ] }
]
'@

        $descriptor = Register-InvoiceProvider -Path $definition -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        $descriptor.Name | Should -Be 'Acme'
        $descriptor.DisplayName | Should -Be 'Acme Billing'

        Connect-InvoiceProvider -Provider Acme -Sandbox -Setting @{ Region = 'eu' } -Name acme-about -InformationAction Ignore
        $invoices = @(Get-Invoice -Connection acme-about)
        $invoices.Number | Should -Be @('A-0002', 'A-0001')
        $invoices.Total | Should -Be @(119.00d, 25.00d)
        $invoices[0].DueDate.UtcDateTime | Should -Be ([datetime]::new(2026, 12, 31, 0, 0, 0, [DateTimeKind]::Utc))
        @($invoices | Get-InvoiceLineItem).Count | Should -Be 3
        (Get-Invoice -Connection acme-about -Id inv_1).Customer | Should -Be 'Ridge Works'
        @(Get-Invoice -Connection acme-about -Status Paid).Id | Should -Be @('inv_1')
    }
}

Describe 'Keys never appear' {
    BeforeAll {
        $script:Key = 'sk_test_51E2eSecretKeyValue7Q'
        $script:Secure = ConvertTo-SecureString $script:Key -AsPlainText -Force
    }

    AfterEach {
        Disconnect-InvoiceProvider -Name key-sandbox, key-real, key-query, key-query-wrong -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'for <Name>: not in the connection, its text, Format-List *, the verbose and debug streams, the 401 error or Export-Csv' -ForEach $script:Examples {
        # The sandbox knows only its own key: this one is refused with 401, as a real API refuses a wrong key.
        $sandbox = Connect-InvoiceProvider -Provider $Name -Sandbox -Setting $Setting -ApiKey $script:Secure -SkipKeyCheck -Name key-sandbox -PassThru
        # A real host: nothing is sent, and the connection must not show the key either.
        $real = Connect-InvoiceProvider -Provider $Name -Setting $Setting -ApiKey $script:Secure -SkipKeyCheck -Name key-real -PassThru
        $run = Invoke-Logged { Get-Invoice -Connection key-sandbox -PageSize 5 @args }
        $run.Failure | Should -Not -BeNullOrEmpty
        $run.Failure.FullyQualifiedErrorId | Should -Be 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand'
        @($run.Verbose | Where-Object { $_ -like 'GET *' }).Count | Should -BeGreaterThan 0 -Because 'the verbose stream was captured'
        @($run.Debug | Where-Object { $_ -like 'GET *401*' }).Count | Should -BeGreaterThan 0 -Because 'the debug stream was captured'

        Connect-InvoiceProvider -Provider $Name -Sandbox -Setting $Setting -Name key-sandbox -Force -InformationAction Ignore
        $csv = Join-Path $TestDrive "$Name-key.csv"
        Get-Invoice -Connection key-sandbox | Export-Csv -Path $csv -NoTypeInformation

        $texts = @(
            $run.Text
            ($run.Failure | Format-List * -Force | Out-String -Width 4096)
            $run.Failure.Exception.ToString()
            ($run.Failure.ErrorDetails | Out-String -Width 4096)
            foreach ($c in $sandbox, $real) {
                "$c"
                ($c | Format-List * | Out-String -Width 4096)
                ($c | Format-Table * | Out-String -Width 4096)
                ($c | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue)
            }
            (Get-Content -Raw -Path $csv)
        )
        $real.Authentication | Should -BeLike '*hidden*'
        foreach ($text in $texts) {
            $text | Should -Not -BeLike "*$($script:Key)*"
            $text | Should -Not -BeLike '*E2eSecretKey*'
        }
    }

    It 'a Query-authenticated definition leaves its key out of every URL in -Verbose and -Debug, right key or wrong' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'query')
        $name = "E2eQuery$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $definition = Join-Path $folder 'query.psd1'
        Set-Content -Path $definition -Value @"
@{
    Name           = '$name'
    BaseUri        = 'https://api.query.example'
    Authentication = @{ Type = 'Query'; Name = 'api_key' }
    List           = @{ Path = '/invoices'; Items = 'items' }
    Paging         = @{ Type = 'Page'; Page = 'page'; PageSize = 'size'; MaxPageSize = 50 }
    Invoice        = @{ Id = 'id'; Status = 'status'; Total = 'total'; Currency = 'currency' }
    Statuses       = @{ paid = 'Paid'; open = 'Open' }
    Item           = @{ Path = '/invoices/{id}' }
    Sandbox        = @{ Records = 'query.records.json' }
}
"@
        Set-Content -Path (Join-Path $folder 'query.records.json') -Value '[ { "id": "q1", "status": "paid", "total": 10.5, "currency": "USD" }, { "id": "q2", "status": "open", "total": 20, "currency": "USD" }, { "id": "q3", "status": "paid", "total": 30, "currency": "EUR" } ]'
        try {
            Register-InvoiceProvider -Path $definition | Out-Null
            Connect-InvoiceProvider -Provider $name -Sandbox -Name key-query -InformationAction Ignore
            $good = Invoke-Logged { Get-Invoice -Connection key-query -PageSize 2 @args }
            $good.Output.Id | Should -Be @('q1', 'q2', 'q3')
            $byId = Invoke-Logged { Get-Invoice -Connection key-query -Id q2 @args }
            $byId.Output.Id | Should -Be @('q2')

            Connect-InvoiceProvider -Provider $name -Sandbox -ApiKey $script:Secure -SkipKeyCheck -Name key-query-wrong -InformationAction Ignore
            $wrong = Invoke-Logged { Get-Invoice -Connection key-query-wrong -PageSize 2 @args }
            $wrong.Failure.FullyQualifiedErrorId | Should -Be 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand'

            foreach ($run in $good, $byId, $wrong) {
                $run.Debug.Count | Should -BeGreaterThan 0
                $urls = @($run.Text -split "`n" | Where-Object { $_ -like 'GET *' })
                $urls.Count | Should -BeGreaterThan 0
                foreach ($url in $urls) { $url | Should -Not -Match 'api_key=(?!\*)' -Because "'$url' must not carry the key" }
                $run.Text | Should -Not -BeLike '*sandbox-key*'
                $run.Text | Should -Not -BeLike "*$($script:Key)*"
            }
            "$($wrong.Failure)" | Should -Not -BeLike "*$($script:Key)*"
            ($wrong.Failure | Format-List * -Force | Out-String -Width 4096) | Should -Not -BeLike "*$($script:Key)*"
        }
        finally {
            Unregister-InvoiceProvider -Name $name -ErrorAction SilentlyContinue
        }
    }
}
