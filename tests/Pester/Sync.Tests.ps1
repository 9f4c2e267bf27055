#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# One invoice by id or number, many accounts in one stream, and incremental sync with -Checkpoint,
# against the BUILT module folder (out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH) and its in-process sandbox.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    Import-Module (Join-Path $script:ModulePath 'InvoiceTools.psd1') -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'Get-Invoice -Id and -Number' {
    BeforeAll {
        Connect-InvoiceProvider -Provider Kitchen -Sandbox
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'returns the invoices asked for, in order, and a non-terminating ObjectNotFound error for a missing id' {
        $listed = @(Get-Invoice -First 2)
        $found = @(Get-Invoice -Id $listed[1].Id, 'in_missing', $listed[0].Id -ErrorVariable problems -ErrorAction SilentlyContinue)
        $found.Id | Should -Be @($listed[1].Id, $listed[0].Id)
        $found[0].Connection | Should -Be 'Kitchen-Sandbox'
        $problems.Count | Should -Be 1
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsNotFound,InvoiceTools.Commands.GetInvoiceCommand'
        $problems[0].TargetObject | Should -Be 'in_missing'
    }

    It 'takes ids from the pipeline by property name' {
        $listed = @(Get-Invoice -First 3)
        $again = @($listed | Select-Object -Property Id | Get-Invoice)
        $again.Id | Should -Be $listed.Id
    }

    It 'finds an invoice by its number, and says so when there is none' {
        $target = Get-Invoice -First 30 | Select-Object -Last 1
        (Get-Invoice -Number $target.Number).Id | Should -Be $target.Id
        Get-Invoice -Number 'NO-SUCH-NUMBER' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsNotFound,InvoiceTools.Commands.GetInvoiceCommand'
    }
}

Describe 'Many accounts in one stream' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'streams every connection, each invoice naming its connection, from the pipeline or -Connection a,b' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name a
        Connect-InvoiceProvider -Provider Opterius -Sandbox -Name b
        $piped = @(Get-InvoiceProviderConnection | Get-Invoice -Status Overdue)
        $named = @(Get-Invoice -Connection a, b -Status Overdue)
        $named.Count | Should -BeGreaterThan 0
        $named.Id | Should -Be $piped.Id
        @($named.Connection | Select-Object -Unique) | Should -Be @('a', 'b')
        @($named | Where-Object { $_.Connection -eq 'a' } | ForEach-Object { "$($_.Provider)" } | Select-Object -Unique) | Should -Be @('Revere')
    }

    It 'writes a non-terminating error for a failing connection and goes on with the others' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name good
        Connect-InvoiceProvider -Provider Kitchen -Sandbox -Name bad -ApiKey (ConvertTo-SecureString 'wrong-key' -AsPlainText -Force) -SkipKeyCheck
        Connect-InvoiceProvider -Provider Opterius -Sandbox -Name later
        $invoices = @(Get-Invoice -Connection good, bad, later -Status Overdue -ErrorVariable problems -ErrorAction SilentlyContinue)
        @($invoices.Connection | Select-Object -Unique) | Should -Be @('good', 'later')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand'
        $problems[0].TargetObject.Name | Should -Be 'bad'
    }
}

Describe 'Get-Invoice -Checkpoint' {
    BeforeAll {
        Connect-InvoiceProvider -Provider Revere -Sandbox
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'returns everything once, then only what changed' {
        $path = Join-Path $TestDrive 'revere.checkpoint.json'
        @(Get-Invoice -Status Overdue -Checkpoint $path).Count | Should -BeGreaterThan 0
        Test-Path -Path $path | Should -BeTrue
        @(Get-Invoice -Status Overdue -Checkpoint $path).Count | Should -Be 0
        (Get-Content -Raw -Path $path | ConvertFrom-Json).format | Should -Be 'InvoiceTools.Checkpoint'
        (Get-Content -Raw -Path $path) | Should -Not -Match 'revere_sandbox_'
    }

    It 'does not save when the pipeline stops early, and saves after a run that ends normally' {
        $path = Join-Path $TestDrive 'stopped.json'
        Get-Invoice -Checkpoint $path | Select-Object -First 1 | Out-Null
        Test-Path -Path $path | Should -BeFalse
        @(Get-Invoice -Checkpoint $path -First 5).Count | Should -Be 5
        Test-Path -Path $path | Should -BeTrue
    }

    It 'refuses a folder, a missing folder and a non-file-system path with a classified error, before any request' -ForEach @(
        @{ Kind = 'a folder'; Path = { $TestDrive }; Says = "-Checkpoint '*' is a folder, not a file." }
        @{ Kind = 'a missing folder'; Path = { Join-Path $TestDrive 'missing/revere.json' }; Says = "-Checkpoint '*missing*revere.json' is in a folder that does not exist: '*missing'." }
        @{ Kind = 'a file as a folder'; Path = { Join-Path $TestDrive 'notes.txt/revere.json' }; Says = "-Checkpoint '*' cannot be created: '*notes.txt' is a file, not a folder." }
        @{ Kind = 'another provider'; Path = { 'Env:\INVOICETOOLS_CHECKPOINT' }; Says = "-Checkpoint 'Env:\INVOICETOOLS_CHECKPOINT' is not a valid file path: it is a path of the Environment provider, not of the file system." }
    ) {
        Set-Content -Path (Join-Path $TestDrive 'notes.txt') -Value 'a user file'
        $before = @(Get-ChildItem -Path $TestDrive -Recurse -Force).FullName
        $path = & $Path
        $lines = [System.Collections.Generic.List[object]]::new()
        $failure = { Get-Invoice -Checkpoint $path -Verbose 4>&1 | ForEach-Object { $lines.Add($_) } } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -Be 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.GetInvoiceCommand'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike $Says
        $failure.Exception.ParameterName | Should -Be 'Checkpoint'
        $failure.TargetObject | Should -Be $path
        $failure.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        @($lines | Where-Object { "$_" -like 'GET *' }) | Should -BeNullOrEmpty -Because 'no request may leave for a bad -Checkpoint'
        @(Get-ChildItem -Path $TestDrive -Recurse -Force).FullName | Should -Be $before
    }

    It 'leaves no lock or temporary file after a normal run, and removes what a stopped run left' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'clean')
        $path = Join-Path $folder 'revere.json'
        $orphan = Join-Path $folder "revere.json.$([guid]::NewGuid().ToString('N')).tmp"
        $other = Join-Path $folder "other.json.$([guid]::NewGuid().ToString('N')).tmp"
        foreach ($file in $orphan, $other) {
            Set-Content -Path $file -Value '{"format":"InvoiceTools.Check'
            (Get-Item -Path $file).LastWriteTimeUtc = [datetime]::UtcNow.AddDays(-1)
        }

        @(Get-Invoice -Status Overdue -Checkpoint $path).Count | Should -BeGreaterThan 0
        @(Get-ChildItem -Path $folder -Force).Name | Sort-Object | Should -Be @((Split-Path -Leaf $other), 'revere.json')
        @(Get-Invoice -Status Overdue -Checkpoint $path).Count | Should -Be 0
        @(Get-ChildItem -Path $folder -Force).Name | Sort-Object | Should -Be @((Split-Path -Leaf $other), 'revere.json')
    }

    It 'refuses a file that is not a checkpoint, before any request' {
        $path = Join-Path $TestDrive 'notes.txt'
        Set-Content -Path $path -Value 'hello'
        { Get-Invoice -Checkpoint $path } | Should -Throw -ErrorId 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.GetInvoiceCommand'
    }
}
