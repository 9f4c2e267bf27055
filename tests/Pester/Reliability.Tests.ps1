#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Retry limits: per connection (-MaxAttempts, -MaxRetryWaitSeconds, -TimeoutSeconds) and for the session (environment
# variables); -ErrorAction/-ErrorVariable after a failure on a later page; verbose retries; keys in no output channel.
# Faults come from the built-in sandbox (-SandboxFault); paging is one page at a time so the failing request is page 2.

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    Import-Module (Join-Path $script:ModulePath 'InvoiceTools.psd1') -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'Retry limits' {
    BeforeEach {
        $script:savedAttempts = $env:INVOICETOOLS_MAX_ATTEMPTS
        $script:savedWait = $env:INVOICETOOLS_MAX_RETRY_WAIT_SECONDS
        $script:savedTimeout = $env:INVOICETOOLS_TIMEOUT_SECONDS
        $env:INVOICETOOLS_MAX_ATTEMPTS = $null
        $env:INVOICETOOLS_MAX_RETRY_WAIT_SECONDS = $null
        $env:INVOICETOOLS_TIMEOUT_SECONDS = $null
    }

    AfterEach {
        $env:INVOICETOOLS_MAX_ATTEMPTS = $script:savedAttempts
        $env:INVOICETOOLS_MAX_RETRY_WAIT_SECONDS = $script:savedWait
        $env:INVOICETOOLS_TIMEOUT_SECONDS = $script:savedTimeout
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'defaults to 5 attempts and 2 minutes of waiting' {
        $c = Connect-InvoiceProvider -Provider Revere -Sandbox -PassThru
        $c.MaxAttempts | Should -Be 5
        $c.MaxRetryWaitSeconds | Should -Be 120
    }

    It 'takes the session default from the environment, and the parameters win over it' {
        $env:INVOICETOOLS_MAX_ATTEMPTS = '8'
        $env:INVOICETOOLS_MAX_RETRY_WAIT_SECONDS = '30'
        $fromSession = Connect-InvoiceProvider -Provider Revere -Sandbox -Name session -PassThru
        $fromParameters = Connect-InvoiceProvider -Provider Revere -Sandbox -Name own -MaxAttempts 2 -MaxRetryWaitSeconds 600 -PassThru

        $fromSession.MaxAttempts | Should -Be 8
        $fromSession.MaxRetryWaitSeconds | Should -Be 30
        $fromParameters.MaxAttempts | Should -Be 2
        $fromParameters.MaxRetryWaitSeconds | Should -Be 600
    }

    It 'names a bad environment variable and the accepted range' {
        $env:INVOICETOOLS_MAX_ATTEMPTS = 'lots'
        $err = $null
        Connect-InvoiceProvider -Provider Revere -Sandbox -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike '*INVOICETOOLS_MAX_ATTEMPTS*lots*'
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*1 to 10*'
        @(Get-InvoiceProviderConnection).Count | Should -Be 0
    }

    It 'refuses -MaxAttempts <Value> at binding time' -TestCases @(@{ Value = 0 }, @{ Value = 11 }) {
        { Connect-InvoiceProvider -Provider Revere -Sandbox -MaxAttempts $Value } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'takes the per-attempt timeout from -TimeoutSeconds, else INVOICETOOLS_TIMEOUT_SECONDS, else 100 s' {
        (Connect-InvoiceProvider -Provider Revere -Sandbox -Name default -PassThru).TimeoutSeconds | Should -Be 100
        $env:INVOICETOOLS_TIMEOUT_SECONDS = '45'
        (Connect-InvoiceProvider -Provider Revere -Sandbox -Name session -PassThru).TimeoutSeconds | Should -Be 45
        (Connect-InvoiceProvider -Provider Revere -Sandbox -Name own -TimeoutSeconds 7 -PassThru).TimeoutSeconds | Should -Be 7
    }
}

Describe 'Rehearsal settings' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'refuses -SandboxLatencyMs out of range at binding time' {
        { Connect-InvoiceProvider -Provider Revere -Sandbox -SandboxLatencyMs 60001 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'refuses a fault the provider cannot have, listing the ones it can' {
        $err = $null
        Connect-InvoiceProvider -Provider Revere -Sandbox -SandboxFault ForeignNextLink -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.ConnectInvoiceProviderCommand'
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike 'For Revere Payments use one of: RateLimitedRetryAfterSeconds*'
        @(Get-InvoiceProviderConnection).Count | Should -Be 0
    }

    It 'offers the fault names on Tab, since -SandboxFault is an enum' {
        $completions = TabExpansion2 -inputScript 'Connect-InvoiceProvider -Provider Revere -Sandbox -SandboxFault ResetM' -cursorColumn 70
        $completions.CompletionMatches.CompletionText | Should -Contain 'ResetMidBody'
    }
}

Describe 'A failure on a later page' {
    BeforeEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
        # Page 1 is answered; both attempts at page 2 get 503.
        Connect-InvoiceProvider -Provider Revere -Sandbox -SandboxFault ServiceUnavailable, ServiceUnavailable -MaxAttempts 2 -PageConcurrency 1 -Prefetch 0 -PageSize 100
    }

    AfterAll {
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'keeps the invoices already written and reports one non-terminating error in -ErrorVariable' {
        $failed = $null
        $invoices = @(Get-Invoice -ErrorVariable failed -ErrorAction SilentlyContinue)

        $invoices.Count | Should -Be 100
        @($invoices | Select-Object -ExpandProperty Id -Unique).Count | Should -Be 100
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsApiError,InvoiceTools.Commands.GetInvoiceCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ProtocolError'
        $failed[0].TargetObject.Name | Should -Be 'Revere-Sandbox'
        $failed[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $failed[0].Exception.Attempts | Should -Be 2
        $failed[0].Exception.LastResponse | Should -Be '503 Service Unavailable'
        $failed[0].Exception.StatusCode | Should -Be ([System.Net.HttpStatusCode]::ServiceUnavailable)
        $failed[0].Exception.Message | Should -BeLike '*answered 503 Service Unavailable to GET https://sandbox.invoicetools.invalid/*after 2 attempts over*'
    }

    It 'with -ErrorAction Stop becomes terminating, after the invoices already written' {
        $collected = [System.Collections.Generic.List[object]]::new()
        $stopped = $null

        try { Get-Invoice -ErrorAction Stop | ForEach-Object { $collected.Add($_) } } catch { $stopped = $_ }

        $stopped | Should -Not -BeNullOrEmpty
        $stopped.FullyQualifiedErrorId | Should -Be 'InvoiceToolsApiError,InvoiceTools.Commands.GetInvoiceCommand'
        $collected.Count | Should -Be 100
    }

    It 'with -ErrorAction SilentlyContinue still lands in $Error' {
        $Error.Clear()
        $invoices = @(Get-Invoice -ErrorAction SilentlyContinue)

        $invoices.Count | Should -Be 100
        $Error[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsApiError,InvoiceTools.Commands.GetInvoiceCommand'
    }
}

Describe 'Retries in the verbose stream' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'names the reason and the wait the provider asked for, and every invoice still arrives once' {
        Connect-InvoiceProvider -Provider Revere -Sandbox -SandboxFault RateLimitedRetryAfterSeconds -PageConcurrency 1 -Prefetch 0 -PageSize 100

        $all = @(Get-Invoice -Verbose 4>&1)
        $invoices = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $retries = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Retry *' })

        $invoices.Count | Should -Be 1200
        @($invoices | Select-Object -ExpandProperty Id -Unique).Count | Should -Be 1200
        $retries.Count | Should -Be 1
        $retries[0].Message | Should -BeLike 'Retry 1 of 4 for GET https://sandbox.invoicetools.invalid/*offset=100* after 429 Too Many Requests; waiting 2 s as the provider asked.'
    }

    It 'says when a body that is not JSON is retried' {
        Connect-InvoiceProvider -Provider Kitchen -Sandbox -SandboxFault HtmlErrorPage -PageConcurrency 1 -Prefetch 0

        $messages = @(Get-Invoice -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        @($messages | Where-Object { $_ -like "Retry 1 of 4 *after 200 OK with a body that is not complete JSON ('text/html'*" }).Count | Should -Be 1
    }
}

Describe 'Keys never appear' {
    BeforeAll {
        $script:Key = 'revere_sandbox_3f9a7c1e5b'
    }

    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'in Format-*, ConvertTo-Json, Export-Clixml, Export-Csv, ToString, the verbose and debug streams, or errors' {
        $secure = ConvertTo-SecureString $script:Key -AsPlainText -Force
        $c = Connect-InvoiceProvider -Provider Revere -Sandbox -ApiKey $secure -SandboxFault ServiceUnavailable -PageConcurrency 1 -Prefetch 0 -PageSize 100 -PassThru
        $clixml = Join-Path $TestDrive 'connection.xml'
        $csv = Join-Path $TestDrive 'connection.csv'
        $c | Export-Clixml -Path $clixml
        $c | Export-Csv -Path $csv -NoTypeInformation

        $savedDebug = $DebugPreference
        $DebugPreference = 'Continue'
        try {
            $streams = Get-Invoice -Connection $c -First 150 -Verbose *>&1 | Out-String -Width 4096
        }
        finally {
            $DebugPreference = $savedDebug
        }

        Connect-InvoiceProvider -Provider Revere -Sandbox -Name revoked -ApiKey (ConvertTo-SecureString "$($script:Key)-revoked" -AsPlainText -Force) -SkipKeyCheck
        $denied = $null
        try { Get-Invoice -Connection revoked -ErrorAction Stop } catch { $denied = $_ }
        $denied | Should -Not -BeNullOrEmpty
        $denied.FullyQualifiedErrorId | Should -Be 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand'

        $texts = @(
            $streams
            ($c | Format-List * | Out-String -Width 4096)
            ($c | Format-Table * | Out-String -Width 4096)
            ($c | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue)
            (Get-Content -Path $clixml -Raw)
            (Get-Content -Path $csv -Raw)
            "$c"
            (Get-Invoice -Connection $c -First 3 | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue)
            ($denied | Format-List * -Force | Out-String -Width 4096)
            $denied.Exception.ToString()
            ($denied.ErrorDetails | Out-String -Width 4096)
        )

        $streams | Should -BeLike '*Retry 1 of 4*'
        foreach ($text in $texts) {
            $text | Should -Not -BeLike "*$($script:Key)*"
        }
    }

    It 'when a 401 quotes the Authorization header back: not in the ErrorRecord, its exception, $Error or Export-Clixml' {
        $secure = ConvertTo-SecureString $script:Key -AsPlainText -Force
        Connect-InvoiceProvider -Provider Revere -Sandbox -Name echo -ApiKey $secure -SandboxFault EchoCredentials -PageConcurrency 1 -Prefetch 0 -PageSize 100
        $Error.Clear()
        $count = 0
        $record = $null
        try { Get-Invoice -Connection echo -ErrorAction Stop | ForEach-Object { $count++ } } catch { $record = $_ }

        $count | Should -Be 100
        $record | Should -Not -BeNullOrEmpty
        $record.FullyQualifiedErrorId | Should -Be 'InvoiceToolsAuthenticationFailed,InvoiceTools.Commands.GetInvoiceCommand'
        $record.Exception.ProviderErrorCode | Should -Be 'INVALID_API_KEY'
        $record.Exception.Message.Contains('(Authorization: ***)') | Should -BeTrue
        $clixml = Join-Path $TestDrive 'error.xml'
        $record | Export-Clixml -Path $clixml -Depth 6
        $texts = @(
            ($record | Format-List * -Force | Out-String -Width 4096)
            $record.Exception.ToString()
            ($record.Exception | Format-List * -Force | Out-String -Width 4096)
            ($record.ErrorDetails | Out-String -Width 4096)
            ($Error | Out-String -Width 4096)
            (Get-Content -Path $clixml -Raw)
        )
        foreach ($text in $texts) {
            $text | Should -Not -BeLike "*$($script:Key)*"
        }
    }
}

Describe 'User-Agent' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'a real session sends InvoiceTools/<version> with the PowerShell edition and version' {
        $listener = [System.Net.HttpListener]::new()
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $server = [powershell]::Create()
        $null = $server.AddScript({
                param($l)
                $context = $l.GetContext()
                $bytes = [Text.Encoding]::UTF8.GetBytes('{"data":[]}')
                $context.Response.ContentType = 'application/json'
                $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                $context.Response.Close()
                $context.Request.UserAgent
            }).AddArgument($listener)
        $answered = $server.BeginInvoke()
        try {
            Connect-InvoiceProvider -Provider Opterius -BaseUri "http://127.0.0.1:$port" -Name ua -ApiKey (ConvertTo-SecureString 'op-token-ua-1' -AsPlainText -Force) -SkipKeyCheck
            @(Get-Invoice -Connection ua).Count | Should -Be 0
            $agent = @($server.EndInvoke($answered))[0]
        }
        finally {
            $listener.Stop()
            $server.Dispose()
        }

        $version = (Get-Module InvoiceTools).Version.ToString(3)
        $product = if ($PSVersionTable.PSEdition -eq 'Desktop') { "Windows PowerShell $($PSVersionTable.PSVersion)" } else { "PowerShell $($PSVersionTable.PSEdition) $($PSVersionTable.PSVersion)" }
        $agent | Should -BeLike "InvoiceTools/$version ($product; *)"
    }
}
