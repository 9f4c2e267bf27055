<#
.SYNOPSIS
    Times `Get-Invoice | Measure-Object` against the best Invoke-RestMethod loops a user could write, for Revere,
    Kitchen and Xendit, all reading the same standalone loopback sandbox (src/InvoiceTools.Sandbox.Host) with the
    same latency.

.DESCRIPTION
    Starts the sandbox host in its own process, then for each provider runs, in this PowerShell session:
      module     Get-Invoice -Connection <conn> | Measure-Object, default settings (the largest page, 4 pages at once
                 where the total is known, 1 page read ahead on a cursor)
      verbatim   Invoke-RestMethod in a do { } while, 100 invoices per page (what this script used to time)
      largest    the same loop at the largest page the API accepts (Revere 1000; Kitchen and Xendit 100, so there it
                 is the verbatim loop again, measured on its own)
      parallel   the first page, then the remaining pages through ForEach-Object -Parallel -ThrottleLimit 4 at the
                 largest page, emitted in the provider's order (Revere from total_count, Kitchen from
                 meta.last_page); impossible for Xendit's cursor, where each page names the next, so it is skipped
                 and the output says so

    A warm-up round comes first and is not timed: every side collects its invoice ids there, and the script throws
    unless each side returns exactly the module's set of ids, with no duplicates, and the module returns the
    provider's total. Then -Runs rounds are timed, interleaved (module, verbatim, largest, parallel, module, ...),
    and every timed side must count the module's number of invoices. Kitchen is read with its default (active)
    list on every side. CPU is this pwsh process's TotalProcessorTime around each side; the sandbox host is
    another process, and ForEach-Object -Parallel runspaces are in this one, so they are counted.

    Writes one object per provider and side (Provider, Side, Runs, MinSeconds, MedianSeconds, MaxSeconds, Ratio,
    CpuSeconds, Invoices, Note) and prints the same figures as a markdown table; with -Markdown it writes only the
    table, as text, for docs/performance.md. Ratio is the side's median over the module's median, from this run.
    Run it from the repository root after building the module (out/InvoiceTools) and the sandbox host:

        dotnet pwsh -NoProfile -File tests/perf/Compare-InvokeRestMethod.ps1

.PARAMETER Invoices
    Invoices in the Revere and Kitchen data sets (Kitchen lists only its active ones, about 86 % of them).

.PARAMETER XenditInvoices
    Invoices in the Xendit data set.

.PARAMETER LatencyMs
    Delay the sandbox host adds to every answer (its --latency).

.PARAMETER Runs
    Timed rounds after the warm-up round.

.PARAMETER Provider
    The providers to compare (default all three).

.PARAMETER Markdown
    Write the markdown table as text instead of the result objects.

.PARAMETER ModulePath
    The built module folder (default: out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH).
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 10000000)] [int] $Invoices = 20000,
    [ValidateRange(1, 10000000)] [int] $XenditInvoices = 10000,
    [ValidateRange(0, 10000)] [int] $LatencyMs = 50,
    [ValidateRange(1, 100)] [int] $Runs = 3,
    [string[]] $Provider = @('Revere', 'Opterius', 'Kitchen', 'Xendit', 'XenditRange'),
    [switch] $Markdown,
    [string] $ModulePath = $(if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }),
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
# -Verbose reports this script's progress only: left on, it would make the timed commands write a record per request.
$showProgress = $VerbosePreference -ne 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
# pwsh -File passes -Provider Revere,Kitchen as one string.
$Provider = @($Provider -split ',' | ForEach-Object Trim | Where-Object { $_ })
foreach ($name in $Provider) {
    if ($name -notin 'Revere', 'Opterius', 'Kitchen', 'Xendit', 'XenditRange') { throw "-Provider takes Revere, Opterius, Kitchen, Xendit and XenditRange (Xendit with -CreatedAfter), not '$name'." }
}
# Invoke-RestMethod draws a progress bar per request, which can cost more than the request.
$ProgressPreference = 'SilentlyContinue'
. (Join-Path $PSScriptRoot 'SandboxHost.ps1')

# The sandbox's published test keys (src/InvoiceTools.Sandbox/*Api.cs), not secrets.
$groupId = '8059f5c6-e1cd-4e46-9196-1d7e47401a3e'
$revereKey = 'revere_sandbox_3f9a7c1e5b'
$kitchenKey = 'kitchen_sandbox_5e8f21a7c3'
$opteriusKey = 'opterius_sandbox_4c2d9e71ab'
$xenditKey = 'xnd_development_sandboxS3cr3tKey0123456789'

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function Assert-SameIds([string] $Label, [string[]] $Ids, [System.Collections.Generic.HashSet[string]] $Expected) {
    $set = [System.Collections.Generic.HashSet[string]]::new([string[]] $Ids, [System.StringComparer]::Ordinal)
    $duplicates = $Ids.Count - $set.Count
    $missing = @($Expected | Where-Object { -not $set.Contains($_) })
    $extra = @($set | Where-Object { -not $Expected.Contains($_) })
    if ($duplicates -or $missing.Count -or $extra.Count) {
        throw ('{0}: {1} invoices, {2} duplicated, {3} of the module''s {4} missing ({5}), {6} not in the module''s ({7}).' -f
            $Label, $Ids.Count, $duplicates, $missing.Count, $Expected.Count, (($missing | Select-Object -First 3) -join ', '),
            $extra.Count, (($extra | Select-Object -First 3) -join ', '))
    }
}

$hostArguments = '--latency {0} --count revere={1} --count opterius={1} --count kitchen={1} --count xendit={2}' -f $LatencyMs, $Invoices, $XenditInvoices
$server = Start-SandboxHost -Arguments $hostArguments -Configuration $Configuration
$connections = @()
try {
    Import-Module (Join-Path $ModulePath 'InvoiceTools.psd1') -Force
    $root = $server.BaseUri

    $revere = "$root/revere/api/v1/groups/$groupId/invoices"
    $revereHeaders = @{ Authorization = $revereKey }
    $kitchen = "$root/kitchen/api/invoices"
    $kitchenHeaders = @{ Authorization = "Bearer $kitchenKey"; Accept = 'application/json'; 'X-Requested-With' = 'XMLHttpRequest' }
    $opterius = "$root/opterius/api/v1/invoices"
    $opteriusHeaders = @{ Authorization = "Bearer $opteriusKey"; Accept = 'application/json' }
    $xendit = "$root/xendit/v2/invoices"
    $xenditHeaders = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($xenditKey + ':')) }

    $secure = { param($Plain) ConvertTo-SecureString $Plain -AsPlainText -Force }
    $connect = @{
        Revere  = { Connect-InvoiceProvider -Provider Revere -Name perf-revere -BaseUri "$root/revere" -GroupId $groupId -ApiKey (& $secure $revereKey) -Force -PassThru }
        Opterius = { Connect-InvoiceProvider -Provider Opterius -Name perf-opterius -BaseUri "$root/opterius" -ApiKey (& $secure $opteriusKey) -Force -PassThru }
        Kitchen = { Connect-InvoiceProvider -Provider Kitchen -Name perf-kitchen -BaseUri "$root/kitchen" -ApiKey (& $secure $kitchenKey) -Force -PassThru }
        Xendit  = { Connect-InvoiceProvider -Provider Xendit -Name perf-xendit -BaseUri "$root/xendit" -ApiKey (& $secure $xenditKey) -Force -PassThru }
        XenditRange = { Connect-InvoiceProvider -Provider Xendit -Name perf-xendit-range -BaseUri "$root/xendit" -ApiKey (& $secure $xenditKey) -Force -PassThru }
    }

    $revereLoop = {
        param([int] $Limit)
        $offset = 0
        do {
            $page = Invoke-RestMethod -Uri "${revere}?limit=$Limit&offset=$offset" -Headers $revereHeaders
            $items = @($page.items)
            $items
            $offset += $items.Count
        } while ($items.Count -gt 0 -and $offset -lt $page.total_count)
    }
    $revereParallel = {
        $limit = 1000
        $first = Invoke-RestMethod -Uri "${revere}?limit=$limit&offset=0" -Headers $revereHeaders
        $first.items
        if ($first.total_count -le $limit) { return }
        $offsets = for ($o = $limit; $o -lt $first.total_count; $o += $limit) { $o }
        $offsets | ForEach-Object -ThrottleLimit 4 -Parallel {
            $ProgressPreference = 'SilentlyContinue'
            $page = Invoke-RestMethod -Uri "$($using:revere)?limit=$($using:limit)&offset=$_" -Headers $using:revereHeaders
            [pscustomobject]@{ Offset = $_; Items = $page.items }
        } | Sort-Object Offset | ForEach-Object { $_.Items }
    }

    # Laravel's next link drops every parameter but page, so per_page is put back on each one, as the docs advise.
    $kitchenLoop = {
        param([int] $PerPage)
        $uri = "${kitchen}?per_page=$PerPage"
        do {
            $page = Invoke-RestMethod -Uri $uri -Headers $kitchenHeaders
            $page.data
            $next = $page.links.next
            if ($next) { $uri = [uri]::new([uri] $root, $next).AbsoluteUri + "&per_page=$PerPage" }
        } while ($next)
    }
    # Laravel page numbers from meta.last_page (Kitchen, Opterius): the first page, then the others four at a time, in order.
    $pageNumberParallel = {
        param([string] $Uri, [hashtable] $Headers)
        $first = Invoke-RestMethod -Uri "${Uri}?per_page=100&page=1" -Headers $Headers
        $first.data
        if (-not $first.meta -or $first.meta.last_page -lt 2) { return }
        2..$first.meta.last_page | ForEach-Object -ThrottleLimit 4 -Parallel {
            $ProgressPreference = 'SilentlyContinue'
            $page = Invoke-RestMethod -Uri "$($using:Uri)?per_page=100&page=$_" -Headers $using:Headers
            [pscustomobject]@{ Page = $_; Items = $page.data }
        } | Sort-Object Page | ForEach-Object { $_.Items }
    }

    # Opterius: page + per_page (at most 100) with meta.last_page.
    $opteriusLoop = {
        $page = 1
        do {
            $answer = Invoke-RestMethod -Uri "${opterius}?per_page=100&page=$page" -Headers $opteriusHeaders
            $answer.data
            $page++
        } while ($answer.meta -and $page -le $answer.meta.last_page)
    }

    # Xendit answers a bare array, newest first; the next page starts after the last invoice's id.
    $xenditLoop = {
        param([int] $Limit, [string] $Range)
        $cursor = $null
        $first = if ($Range) { "${xendit}?limit=$Limit&$Range" } else { "${xendit}?limit=$Limit" }
        do {
            $uri = if ($cursor) { "$first&last_invoice_id=$cursor" } else { $first }
            # Invoke-RestMethod writes a JSON array as one object; assigned, it is the array itself.
            $page = Invoke-RestMethod -Uri $uri -Headers $xenditHeaders
            $items = @($page)
            $items
            if ($items.Count) { $cursor = $items[-1].id }
        } while ($items.Count -eq $Limit)
    }

    # With a creation range: a runbook's -CreatedAfter, a minute before the oldest invoice; the loop sends the same range.
    if ('XenditRange' -in $Provider) {
        $probe = & $connect.XenditRange
        $oldest = (Get-Invoice -Connection $probe | Measure-Object -Property CreatedAt -Minimum).Minimum
        $after = $oldest.AddMinutes(-1).UtcDateTime
        $range = 'created_after={0}&created_before=2100-01-01T00:00:00.000Z' -f $after.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)
    }

    $noParallel = 'skipped: a cursor names the next page only in the page before it, so pages cannot be requested in parallel'
    $sides = [System.Collections.Generic.List[object]]::new()
    foreach ($name in $Provider) {
        $connection = & $connect[$name]
        $connections += $connection
        if ($name -eq 'XenditRange') {
            $sides.Add(@{ Provider = $name; Side = 'module, -CreatedAfter'; Run = { Get-Invoice -Connection $connection -CreatedAfter $after }.GetNewClosure(); IdProperty = 'Id'; IsModule = $true })
        }
        else {
            $sides.Add(@{ Provider = $name; Side = 'module'; Run = { Get-Invoice -Connection $connection }.GetNewClosure(); IdProperty = 'Id'; IsModule = $true })
        }

        switch ($name) {
            'Revere' {
                $sides.Add(@{ Provider = $name; Side = 'verbatim loop (100)'; Run = { & $revereLoop 100 }; IdProperty = 'id' })
                $sides.Add(@{ Provider = $name; Side = 'largest-page loop (1000)'; Run = { & $revereLoop 1000 }; IdProperty = 'id' })
                $sides.Add(@{ Provider = $name; Side = 'ForEach-Object -Parallel (1000, 4)'; Run = $revereParallel; IdProperty = 'id' })
            }
            'Opterius' {
                $sides.Add(@{ Provider = $name; Side = 'verbatim loop (100)'; Run = $opteriusLoop; IdProperty = 'id' })
                $sides.Add(@{ Provider = $name; Side = 'ForEach-Object -Parallel (100, 4)'; Run = { & $pageNumberParallel $opterius $opteriusHeaders }; IdProperty = 'id'; Note = 'the API''s largest page is 100, so the verbatim loop is the largest-page loop' })
            }
            'Kitchen' {
                $sides.Add(@{ Provider = $name; Side = 'verbatim loop (100)'; Run = { & $kitchenLoop 100 }; IdProperty = 'id' })
                $sides.Add(@{ Provider = $name; Side = 'largest-page loop (100)'; Run = { & $kitchenLoop 100 }; IdProperty = 'id'; Note = 'the API''s largest page is 100: the verbatim loop, timed again' })
                $sides.Add(@{ Provider = $name; Side = 'ForEach-Object -Parallel (100, 4)'; Run = { & $pageNumberParallel $kitchen $kitchenHeaders }; IdProperty = 'id' })
            }
            'Xendit' {
                $sides.Add(@{ Provider = $name; Side = 'verbatim loop (100)'; Run = { & $xenditLoop 100 }; IdProperty = 'id' })
                $sides.Add(@{ Provider = $name; Side = 'largest-page loop (100)'; Run = { & $xenditLoop 100 }; IdProperty = 'id'; Note = 'the API''s largest page is 100: the verbatim loop, timed again' })
                $sides.Add(@{ Provider = $name; Side = 'ForEach-Object -Parallel'; Run = $null; Note = $noParallel })
            }
            'XenditRange' {
                $sides.Add(@{ Provider = $name; Side = 'cursor loop (100), same range'; Run = { & $xenditLoop 100 $range }; IdProperty = 'id' })
            }
        }
    }

    # What each provider says it holds: Kitchen's active list is smaller than its data set.
    $expected = @{
        Revere  = (Invoke-RestMethod -Uri "${revere}?limit=1&offset=0" -Headers $revereHeaders).total_count
        Opterius = (Invoke-RestMethod -Uri "${opterius}?per_page=1" -Headers $opteriusHeaders).meta.total
        Kitchen = (Invoke-RestMethod -Uri "${kitchen}?per_page=1" -Headers $kitchenHeaders).meta.total
        Xendit  = $XenditInvoices
        XenditRange = $XenditInvoices
    }

    # Warm-up round: not timed; checks that every side reads exactly the module's invoices.
    $moduleIds = @{}
    foreach ($side in $sides) {
        if (-not $side.Run) { continue }
        $label = "$($side.Provider) $($side.Side) (warm-up)"
        Write-Verbose $label -Verbose:$showProgress
        $ids = [string[]] @(& $side.Run | ForEach-Object $side.IdProperty)
        if ($side.IsModule) {
            $set = [System.Collections.Generic.HashSet[string]]::new($ids, [System.StringComparer]::Ordinal)
            if ($ids.Count -ne $expected[$side.Provider] -or $set.Count -ne $ids.Count) {
                throw "${label}: $($ids.Count) invoices ($($set.Count) distinct); the provider holds $($expected[$side.Provider])."
            }
            $moduleIds[$side.Provider] = $set
        }
        else {
            Assert-SameIds $label $ids $moduleIds[$side.Provider]
        }
    }

    foreach ($side in $sides) { $side.Seconds = [System.Collections.Generic.List[double]]::new(); $side.Cpu = [System.Collections.Generic.List[double]]::new() }
    for ($run = 1; $run -le $Runs; $run++) {
        foreach ($side in $sides) {
            if (-not $side.Run) { continue }
            Write-Verbose "$($side.Provider) $($side.Side) (run $run of $Runs)" -Verbose:$showProgress
            # Each side starts with a clean heap, so no side pays for the garbage of the one before.
            [GC]::Collect()
            [GC]::WaitForPendingFinalizers()
            $cpuBefore = (Get-Process -Id $PID).TotalProcessorTime
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $count = (& $side.Run | Measure-Object).Count
            $clock.Stop()
            $cpuAfter = (Get-Process -Id $PID).TotalProcessorTime
            if ($count -ne $moduleIds[$side.Provider].Count) {
                throw "$($side.Provider) $($side.Side) (run $run): counted $count invoices; the module's set has $($moduleIds[$side.Provider].Count)."
            }
            $side.Seconds.Add($clock.Elapsed.TotalSeconds)
            $side.Cpu.Add(($cpuAfter - $cpuBefore).TotalSeconds)
        }
    }

    $results = foreach ($side in $sides) {
        $module = $sides | Where-Object { $_.Provider -eq $side.Provider -and $_.IsModule } | Select-Object -First 1
        $measured = $side.Seconds.Count -gt 0
        $median = if ($measured) { Get-Median $side.Seconds }
        [pscustomobject]@{
            PSTypeName    = 'InvoiceTools.PerformanceComparison'
            Provider      = $side.Provider
            Side          = $side.Side
            Runs          = $side.Seconds.Count
            MinSeconds    = if ($measured) { [math]::Round(($side.Seconds | Measure-Object -Minimum).Minimum, 2) }
            MedianSeconds = if ($measured) { [math]::Round($median, 2) }
            MaxSeconds    = if ($measured) { [math]::Round(($side.Seconds | Measure-Object -Maximum).Maximum, 2) }
            Ratio         = if ($measured) { [math]::Round($median / [math]::Max((Get-Median $module.Seconds), 0.001), 2) }
            CpuSeconds    = if ($measured) { [math]::Round((Get-Median $side.Cpu), 2) }
            Invoices      = if ($measured) { $moduleIds[$side.Provider].Count }
            Note          = $side.Note
        }
    }

    $n = { param($Value, $Format = 'N2') if ($null -eq $Value) { '–' } else { $Value.ToString($Format, [cultureinfo]::InvariantCulture) } }
    $table = @(
        $read = foreach ($name in $Provider) {
            switch ($name) {
                'Revere' { '{0:N0} Revere invoices' -f $Invoices }
                'Opterius' { '{0:N0} Opterius invoices' -f $Invoices }
                'Kitchen' { '{0:N0} Kitchen invoices (all sides read the {1:N0} active ones)' -f $Invoices, $expected.Kitchen }
                'Xendit' { '{0:N0} Xendit invoices' -f $XenditInvoices }
                'XenditRange' { 'the same Xendit invoices with -CreatedAfter a minute before the oldest (XenditRange)' }
            }
        }
        ('{0}; {1} ms latency; {2} timed run{3} after a warm-up round, sides interleaved; PowerShell {4}.' -f
            ($read -join ', '), $LatencyMs, $Runs, $(if ($Runs -eq 1) { '' } else { 's' }), $PSVersionTable.PSVersion)
        ''
        '| Provider | Side | Invoices | Min s | Median s | Max s | Median ÷ module''s | CPU s (median) | Note |'
        '|---|---|---:|---:|---:|---:|---:|---:|---|'
        foreach ($r in $results) {
            '| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} |' -f $r.Provider, $r.Side, (& $n $r.Invoices 'N0'), (& $n $r.MinSeconds),
                (& $n $r.MedianSeconds), (& $n $r.MaxSeconds), $(if ($null -eq $r.Ratio) { '–' } else { (& $n $r.Ratio) + '×' }), (& $n $r.CpuSeconds), $r.Note
        }
    )
    if ($Markdown) {
        $table -join [Environment]::NewLine
    }
    else {
        Write-Host ($table -join [Environment]::NewLine)
        $results
    }
}
finally {
    foreach ($c in $connections) { Disconnect-InvoiceProvider -Name $c.Name -Confirm:$false -ErrorAction SilentlyContinue }
    Stop-SandboxHost $server
}
