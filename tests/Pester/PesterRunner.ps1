<#
.SYNOPSIS
    Lists or runs the It blocks of Pester files and writes one JSON record per It, for the xunit bridge
    (tests/InvoiceTools.Module.Tests/PesterTests.cs) that reports each It as a test of its own.
.DESCRIPTION
    Discover: every It of every file, in Pester's order, with its name as written and as far as its -ForEach data
              expands it (names that use variables set in BeforeAll expand only when run).
    Run:      runs one file and records each It's result, its expanded name, its duration and its errors, plus
              errors of blocks (BeforeAll, AfterAll) that no It carries.
    The record order is Pester's own, the same in both modes: the bridge matches Its by position.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('Discover', 'Run')] [string] $Mode,
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force

function Format-PesterError {
    param($ErrorRecords)
    @(foreach ($record in $ErrorRecords) {
            $text = "$($record.Exception.Message)"
            $where = $record.DisplayStackTrace
            if (-not $where) { $where = $record.ScriptStackTrace }
            if ($where) { $text += "`n$where" }
            $text
        })
}

function Expand-DataName {
    param([string] $Name, $Data)
    if ($null -eq $Data) { return $Name }
    [regex]::Replace($Name, '<([^<>]+)>', {
            param($match)
            $key = $match.Groups[1].Value
            if ($key -eq '_') { return "$Data" }
            if ($Data -is [System.Collections.IDictionary] -and $Data.Contains($key)) { return "$($Data[$key])" }
            $match.Value
        })
}

# The names of a block and its parents, outermost first, each expanded with its own -ForEach data.
function Get-BlockName {
    param($Block)
    $names = [System.Collections.Generic.List[string]]::new()
    for (; $null -ne $Block -and -not $Block.IsRoot; $Block = $Block.Parent) { $names.Insert(0, (Expand-DataName $Block.Name $Block.Data)) }
    , $names.ToArray()
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Run.SkipRun = $Mode -eq 'Discover'
$configuration.Output.Verbosity = 'None'
$result = Invoke-Pester -Configuration $configuration

$tests = @(foreach ($test in $result.Tests) {
        $file = [IO.Path]::GetFileName($test.ScriptBlock.File)
        [ordered]@{
            File     = $file
            Name     = ($test.Path -join '.')
            Display  = if ($Mode -eq 'Run' -and $test.ExpandedPath) { $test.ExpandedPath } else { ((Get-BlockName $test.Block) + (Expand-DataName $test.Name $test.Data)) -join '.' }
            Result   = "$($test.Result)"
            Duration = [math]::Round($test.Duration.TotalMilliseconds)
            Errors   = @(Format-PesterError $test.ErrorRecord)
            Skipped  = if ($test.Skipped) { "$($test.ErrorRecord | Select-Object -First 1)" } else { $null }
        }
    })

$blockErrors = @(
    foreach ($container in $result.FailedContainers) { Format-PesterError $container.ErrorRecord | ForEach-Object { "$($container.Item): $_" } }
    foreach ($block in $result.FailedBlocks) { Format-PesterError $block.ErrorRecord | ForEach-Object { "$($block.ExpandedPath): $_" } })

$record = [ordered]@{ Tests = $tests; BlockErrors = $blockErrors; Result = "$($result.Result)" }
[IO.File]::WriteAllText($ResultPath, ($record | ConvertTo-Json -Depth 6), [Text.UTF8Encoding]::new($false))
