#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Retry limits: per connection (-MaxAttempts, -MaxRetryWaitSeconds) and for the session (environment variables).

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
        $env:INVOICETOOLS_MAX_ATTEMPTS = $null
        $env:INVOICETOOLS_MAX_RETRY_WAIT_SECONDS = $null
    }

    AfterEach {
        $env:INVOICETOOLS_MAX_ATTEMPTS = $script:savedAttempts
        $env:INVOICETOOLS_MAX_RETRY_WAIT_SECONDS = $script:savedWait
        Disconnect-InvoiceProvider -All -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'defaults to 5 attempts and 2 minutes of waiting' {
        $c = Connect-InvoiceProvider -Provider Revere -Sandbox -PassThru
        $c.MaxAttempts | Should -Be 5
        $c.MaxRetryWait | Should -Be ([timespan]::FromMinutes(2))
    }

    It 'takes the session default from the environment, and the parameters win over it' {
        $env:INVOICETOOLS_MAX_ATTEMPTS = '8'
        $env:INVOICETOOLS_MAX_RETRY_WAIT_SECONDS = '30'
        $fromSession = Connect-InvoiceProvider -Provider Revere -Sandbox -Name session -PassThru
        $fromParameters = Connect-InvoiceProvider -Provider Revere -Sandbox -Name own -MaxAttempts 2 -MaxRetryWaitSeconds 600 -PassThru

        $fromSession.MaxAttempts | Should -Be 8
        $fromSession.MaxRetryWait | Should -Be ([timespan]::FromSeconds(30))
        $fromParameters.MaxAttempts | Should -Be 2
        $fromParameters.MaxRetryWait | Should -Be ([timespan]::FromSeconds(600))
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
        { Connect-InvoiceProvider -Provider Revere -Sandbox -MaxAttempts $Value } | Should -Throw -ErrorId 'ParameterArgumentValidationError'
    }
}
