#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Issue 19 at the prompt: a machine in any time zone and any culture reads the same answers and sends the same
# queries. Runs against the BUILT module folder (out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH). Time zones are
# set for child sessions (TZ), cultures in this session.

BeforeDiscovery {
    $Zones = @(
        @{ Zone = 'Asia/Jakarta'; Hours = 7 }
        @{ Zone = 'America/New_York'; Hours = -5 }
        @{ Zone = 'UTC'; Hours = 0 }
    )
    $Cultures = 'th-TH', 'fa-IR', 'ar-SA', 'de-DE', 'tr-TR', 'ja-JP' | ForEach-Object { @{ Culture = $_ } }
}

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    $script:Manifest = (Resolve-Path (Join-Path $script:ModulePath 'InvoiceTools.psd1')).Path
    $script:Pwsh = Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    Import-Module $script:Manifest -Force -ErrorAction Stop

    function Get-ChildDueDate([string] $Zone) {
        $saved = $env:TZ
        $env:TZ = $Zone
        try {
            & $script:Pwsh -NoProfile -NonInteractive -Command {
                param($Manifest)
                $ErrorActionPreference = 'Stop'
                Import-Module $Manifest
                Connect-InvoiceProvider -Provider Opterius -Sandbox
                [pscustomobject]@{
                    Offset = [TimeZoneInfo]::Local.BaseUtcOffset.TotalHours
                    Due    = @(Get-Invoice -First 10 | ForEach-Object { $_.DueDate.ToString('o', [cultureinfo]::InvariantCulture) })
                }
            } -args $script:Manifest
        }
        finally {
            $env:TZ = $saved
        }
    }

    # The server's own words: Opterius due dates are dates alone.
    $script:ServedDueDates = @(
        Connect-InvoiceProvider -Provider Opterius -Sandbox -Name served -PassThru |
            ForEach-Object { Get-Invoice -Connection $_ -First 10 } |
            ForEach-Object { $_.Raw.due_date })
    Disconnect-InvoiceProvider -All -Confirm:$false
}

AfterAll {
    Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'A machine in <Zone>' -ForEach $Zones {
    It 'reads the sandbox''s Opterius due dates as their calendar day at midnight UTC' {
        $result = Get-ChildDueDate $Zone

        $result.Offset | Should -Be $Hours
        $script:ServedDueDates | Should -HaveCount 10
        $script:ServedDueDates | ForEach-Object { $_ | Should -Match '^\d{4}-\d{2}-\d{2}$' }
        $result.Due | Should -Be ($script:ServedDueDates | ForEach-Object { "$($_)T00:00:00.0000000+00:00" })
    }
}

Describe 'A session in <Culture>' -ForEach $Cultures {
    BeforeAll {
        $script:Xendit = Connect-InvoiceProvider -Provider Xendit -Sandbox -Name "xendit-$Culture" -PassThru
        $script:Revolv3 = Connect-InvoiceProvider -Provider Revolv3 -Sandbox -Name "revolv3-$Culture" -PassThru
        $script:Expected = Get-Invoice -Connection $script:Xendit -CreatedAfter ([datetime]'2025-03-01') -First 5 | ForEach-Object Id
    }

    AfterAll {
        Disconnect-InvoiceProvider -Name "xendit-$Culture", "revolv3-$Culture" -Confirm:$false
    }

    It 'sends -CreatedAfter 2025-03-01 as 2025-03-01 (Gregorian, UTC) and gets the same invoices' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $Culture
            $records = Get-Invoice -Connection $script:Xendit -CreatedAfter 2025-03-01 -First 5 -Verbose 4>&1
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }

        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $requests = @($verbose | Where-Object { $_ -like 'GET *' })
        $requests | Should -Not -BeNullOrEmpty
        $requests | ForEach-Object { $_ | Should -BeLike '*created_after=2025-03-01T00:00:00.000Z*' }
        @($records | Where-Object { $_ -is [InvoiceTools.Invoice] } | ForEach-Object Id) | Should -Be $script:Expected
    }

    It 'reads a date in the culture''s own order with the Gregorian calendar, and sends Revolv3 its day' {
        $gregorian = [cultureinfo]::GetCultureInfo($Culture).Clone()
        $calendar = @($gregorian.OptionalCalendars | Where-Object { $_ -is [System.Globalization.GregorianCalendar] })[0]
        $gregorian.DateTimeFormat.Calendar = $calendar
        $typed = ([datetime]'2025-03-01').ToString('d', $gregorian)
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $Culture
            $records = Get-Invoice -Connection $script:Revolv3 -CreatedAfter $typed -First 1 -Verbose 4>&1
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }

        $requests = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'GET *' } | ForEach-Object Message)
        $requests | Should -Not -BeNullOrEmpty
        $requests[0] | Should -Match 'startDate=03-01-2025|billingStartDate=2025-03-01'
    }

    It 'says when a typed date is outside the years it reads, and how to pass another' {
        { Get-Invoice -Connection $script:Xendit -CreatedAfter '1899-12-31' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,InvoiceTools.Commands.GetInvoiceCommand' -ExpectedMessage "*'1899-12-31' is outside the years 1900-2200 that typed dates are read in. Pass a ``[datetime``]*"
    }

    It 'takes an invoice''s own CreatedAt (a DateTimeOffset) as -CreatedAfter' {
        $newest = Get-Invoice -Connection $script:Xendit -First 1
        $older = @(Get-Invoice -Connection $script:Xendit -CreatedBefore $newest.CreatedAt -First 3)

        $older.Count | Should -Be 3
        $older | ForEach-Object { $_.CreatedAt | Should -BeLessThan $newest.CreatedAt }
    }

    It 'refuses text that is no date before any request, saying what to type' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $Culture
            { Get-Invoice -Connection $script:Xendit -CreatedAfter 'last tuesday' -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentTransformationError,InvoiceTools.Commands.GetInvoiceCommand' -ExpectedMessage "*'last tuesday' is not a date. Use ISO 8601, such as 2025-03-01*"
        }
        finally {
            [cultureinfo]::CurrentCulture = $saved
        }
    }
}
