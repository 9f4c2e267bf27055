#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Runs every example of README.md and the cmdlet help (docs/help/*.md) that can run against the sandbox, statement by
# statement, each code block in a runspace of its own, against the BUILT module folder. A statement that needs a
# real account (a key, a credential, a vault, a real host) is left out, and so is every later statement that uses a
# variable it set. The sandbox is dated from today, as users get it, so relative dates in the examples are tested.

BeforeDiscovery {
    $root = Join-Path $PSScriptRoot '../..'
    $script:Blocks = foreach ($file in @(Get-Item (Join-Path $root 'README.md')) + @(Get-ChildItem (Join-Path $root 'docs/help') -Filter *.md | Sort-Object Name)) {
        $heading = $file.Name
        $inCode = $false
        $code = [System.Text.StringBuilder]::new()
        foreach ($line in Get-Content $file.FullName) {
            if (-not $inCode -and $line -match '^#{2,3} (.+)$') { $heading = "$($file.Name): $($Matches[1])" }
            if ($line -eq '```powershell') { $inCode = $true; $null = $code.Clear(); continue }
            if ($inCode -and $line -eq '```') {
                $inCode = $false
                @{ Name = $heading; Code = $code.ToString() }
                continue
            }
            if ($inCode) { $null = $code.AppendLine($line) }
        }
    }
}

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    $script:Manifest = (Resolve-Path (Join-Path $script:ModulePath 'InvoiceTools.psd1')).Path

    # What only a real account, a vault or another service can answer.
    $script:NeedsRealAccount = 'build\.ps1|Import-Module|127\.0\.0\.1|localhost|Get-Automation|Read-Host|Get-Credential|SecretName|Get-Secret|Set-Secret|Register-SecretVault|Install-Module|\$key\b|\$token\b|\$cred\b|-Credential\b|accounts\.csv|Invoke-Command|Start-Job|F:\\|\bAz[A-Z]\w*|-AzStorage|Connect-AzAccount|-BaseUri\s+https?://|-Proxy\b|INVOICETOOLS_\w+_API_KEY|\bexit\b'

    function Get-RunnableStatement([string] $Code) {
        $tokens = $null; $parseErrors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $parseErrors)
        $parseErrors | Should -BeNullOrEmpty -Because 'every example must parse'
        $skippedVariables = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
        # After a real account's Connect is left out, the statements that follow would read another default connection.
        $afterSkippedConnect = $false
        foreach ($statement in $ast.EndBlock.Statements) {
            $text = $statement.Extent.Text
            $used = @($statement.FindAll({ $args[0] -is [System.Management.Automation.Language.VariableExpressionAst] }, $true).VariablePath.UserPath)
            $connects = $text -match 'Connect-InvoiceProvider'
            $realConnect = $connects -and $text -notmatch '-Sandbox'
            if ($connects -and -not $realConnect) { $afterSkippedConnect = $false }
            if ($realConnect) { $afterSkippedConnect = $true }
            if ($text -match $script:NeedsRealAccount -or $realConnect -or ($afterSkippedConnect -and -not $connects) -or @($used | Where-Object { $skippedVariables.Contains($_) }).Count -gt 0) {
                if ($statement -is [System.Management.Automation.Language.AssignmentStatementAst]) {
                    $null = $skippedVariables.Add($statement.Left.Extent.Text.TrimStart('$'))
                }
                continue
            }
            $statement
        }
    }
}

Describe 'Examples in README.md and the help' {
    It 'has the complete example of about_InvoiceTools_CustomProviders as tests/Fixtures/Acme' {
        $about = Get-Content -Raw (Join-Path $PSScriptRoot '../../src/InvoiceTools/en-US/about_InvoiceTools_CustomProviders.help.txt')
        $fixture = Get-Content (Join-Path $PSScriptRoot '../Fixtures/Acme/acme.psd1') | Select-Object -Skip 1
        $indented = ($fixture | ForEach-Object { if ($_) { "    $_" } else { '' } }) -join "`n"
        $about.Replace("`r`n", "`n") | Should -BeLike "*$([WildcardPattern]::Escape($indented))*"
    }


    It 'runs <Name>' -ForEach $script:Blocks {
        $statements = @(Get-RunnableStatement $Code)
        if ($statements.Count -eq 0) { return }   # the whole block needs a real account; nothing to run here

        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        $ps = [powershell]::Create()
        try {
            # A fresh session as a user has it: the module, one sandbox connection, sample files the examples read,
            # and the sandbox dated from today.
            # The definition examples read the repository's examples/ and the about topic's Acme (tests/Fixtures/Acme).
            $root = Join-Path $PSScriptRoot '../..'
            Copy-Item -Recurse (Join-Path $root 'examples') (Join-Path $folder 'examples')
            Copy-Item (Join-Path $root 'tests/Fixtures/Acme/*') $folder
            $null = $ps.AddScript({
                    param($Manifest, $Folder)
                    $env:INVOICETOOLS_SANDBOX_DATE = $null
                    $env:TEMP = $Folder
                    Set-Location $Folder
                    Import-Module $Manifest
                    # Registrations are per process: each block starts with the examples registered from its own folder.
                    Get-InvoiceProvider | Where-Object DefinitionFile | Unregister-InvoiceProvider
                    Register-InvoiceProvider -Path examples -Recurse | Out-Null
                    Connect-InvoiceProvider -Provider Revere -Sandbox -InformationAction Ignore
                    Get-Invoice -First 3 | Select-Object Id | Export-Csv ids.csv -NoTypeInformation
                    Get-Invoice -First 5 | Export-Clixml invoices.xml
                    $InformationPreference = 'SilentlyContinue'
                }).AddArgument($script:Manifest).AddArgument($folder).Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty -Because 'the prelude must work'

            foreach ($statement in $statements) {
                $ps.Commands.Clear()
                $ps.Streams.ClearStreams()
                $null = $ps.AddScript($statement.Extent.Text)
                $output = try { $ps.Invoke() } catch {
                    $cause = if ($_.Exception.InnerException) { $_.Exception.InnerException.Message } else { $_.Exception.Message }
                    throw "'$($statement.Extent.Text)' failed: $cause"
                }
                # Examples may show a missing id on purpose (InvoiceToolsNotFound); any other error means the example is wrong.
                $errors = @($ps.Streams.Error | Where-Object { $_.FullyQualifiedErrorId -notlike 'InvoiceToolsNotFound,*' })
                $errors | Should -BeNullOrEmpty -Because "'$($statement.Extent.Text)' must run without error: $($errors | Select-Object -First 1)"
                # A bare expression is there to show something; showing nothing means it names what does not exist.
                $isExpression = $statement -is [System.Management.Automation.Language.PipelineAst] -and
                    $statement.PipelineElements.Count -eq 1 -and $statement.PipelineElements[0] -is [System.Management.Automation.Language.CommandExpressionAst]
                if ($isExpression) {
                    @($output | Where-Object { $null -ne $_ -and "$_" -ne '' }).Count | Should -BeGreaterThan 0 -Because "'$($statement.Extent.Text)' should show something"
                }
            }
        }
        finally {
            $ps.Dispose()
        }
    }

    AfterAll {
        # Registrations are per process, and other test files run in this one.
        $cleanup = [powershell]::Create()
        try {
            $null = $cleanup.AddScript({ param($Manifest) Import-Module $Manifest; Get-InvoiceProvider | Where-Object DefinitionFile | Unregister-InvoiceProvider }).AddArgument($script:Manifest).Invoke()
        }
        finally {
            $cleanup.Dispose()
        }
    }
}
