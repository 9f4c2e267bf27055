#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Where the module runs: a fresh session, beside a module that loaded other versions of Polly and System.Text.Json,
# several runspaces, ForEach-Object -Parallel, and unattended credentials. Runs against the BUILT module folder
# (out/InvoiceTools, or $env:INVOICETOOLS_MODULE_PATH). Child sessions are started with the same PowerShell.

BeforeDiscovery {
    $IsPowerShell7 = $PSVersionTable.PSVersion.Major -ge 7
    $HasSecretManagement = [bool](Get-Module -ListAvailable Microsoft.PowerShell.SecretManagement)
}

BeforeAll {
    $script:ModulePath = if ($env:INVOICETOOLS_MODULE_PATH) { $env:INVOICETOOLS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/InvoiceTools' }
    $script:Manifest = (Resolve-Path (Join-Path $script:ModulePath 'InvoiceTools.psd1')).Path
    # Built by `dotnet test` (tests/Fixtures/OtherModule): Polly.Core 8.8.1 and System.Text.Json 9.0.0.
    $script:OtherModule = Join-Path $PSScriptRoot '../../out/fixtures/OtherModule'
    # The same PowerShell as this run; under the dotnet tool the process path is dotnet itself, so not that.
    $script:Pwsh = Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    Import-Module $script:Manifest -Force -ErrorAction Stop
    $counter = Connect-InvoiceProvider -Provider Kitchen -Sandbox -Name counter -PassThru
    $script:KitchenCount = (Get-Invoice -Connection $counter | Measure-Object).Count
    Disconnect-InvoiceProvider -All -Confirm:$false
}

AfterAll {
    Remove-Module InvoiceTools -Force -ErrorAction SilentlyContinue
}

Describe 'A fresh session' {
    It 'imports the folder, lists every sandbox invoice, and resolves the module''s type names' {
        $result = & $script:Pwsh -NoProfile -NonInteractive -Command {
            param($Manifest)
            $ErrorActionPreference = 'Stop'
            Import-Module $Manifest
            $connection = Connect-InvoiceProvider -Provider Kitchen -Sandbox -PassThru
            $count = (Get-Invoice -Connection $connection | Measure-Object).Count
            $engine = [InvoiceTools.Invoice].Assembly
            [pscustomobject]@{
                InvoiceCount   = $count
                EngineLocation = $engine.Location
                EngineContext  = if ($PSVersionTable.PSVersion.Major -ge 7) { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name } else { 'none' }
                PollyLocations = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' } | ForEach-Object Location)
                Overdue        = [InvoiceTools.InvoiceStatus]::Overdue.ToString()
                IsConnection   = $connection -is [InvoiceTools.Connections.InvoiceProviderConnection]
            }
        } -args $script:Manifest

        $result.InvoiceCount | Should -Be $script:KitchenCount
        $result.EngineLocation | Should -BeLike '*dependencies*InvoiceTools.Core.dll'
        @($result.PollyLocations) | Should -HaveCount 1
        @($result.PollyLocations)[0] | Should -BeLike '*dependencies*Polly.Core.dll'
        $result.Overdue | Should -Be 'Overdue'
        $result.IsConnection | Should -BeTrue
        if ($PSVersionTable.PSVersion.Major -ge 7) {
            $result.EngineContext | Should -Be 'InvoiceTools'
        }
    }
}

Describe 'Beside a module that loaded other versions of the same libraries' {
    It 'keeps its own Polly after Polly 8.8.1 went into PowerShell''s context and System.Text.Json 9 into another module''s, and takes System.Text.Json from the runtime' -Skip:(-not $IsPowerShell7) {
        Test-Path (Join-Path $script:OtherModule 'Polly.Core.dll') | Should -BeTrue -Because 'dotnet test builds tests/Fixtures/OtherModule into out/fixtures'
        $result = & $script:Pwsh -NoProfile -NonInteractive -Command {
            param($Manifest, $OtherModule)
            $ErrorActionPreference = 'Stop'
            # What other modules do: one library loaded into PowerShell's own context, another into a private context.
            $otherPolly = [System.Reflection.Assembly]::LoadFrom((Join-Path $OtherModule 'Polly.Core.dll'))
            $otherContext = [System.Runtime.Loader.AssemblyLoadContext]::new('OtherModule', $false)
            $otherJson = $otherContext.LoadFromAssemblyPath((Join-Path $OtherModule 'System.Text.Json.dll'))

            Import-Module $Manifest
            $count = (Get-Invoice -Connection (Connect-InvoiceProvider -Provider Kitchen -Sandbox -PassThru) | Measure-Object).Count

            $engine = [InvoiceTools.Invoice].Assembly
            $engineContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine)
            $enginePolly = $engineContext.Assemblies | Where-Object { $_.GetName().Name -eq 'Polly.Core' }
            $jsonReference = $engine.GetReferencedAssemblies() | Where-Object Name -EQ 'System.Text.Json'
            $engineJson = $engineContext.LoadFromAssemblyName($jsonReference)
            [pscustomobject]@{
                InvoiceCount        = $count
                OtherPolly          = [Diagnostics.FileVersionInfo]::GetVersionInfo($otherPolly.Location).FileVersion
                EnginePolly         = [Diagnostics.FileVersionInfo]::GetVersionInfo($enginePolly.Location).FileVersion
                EnginePollyLocation = $enginePolly.Location
                OtherJson           = $otherJson.GetName().Version.ToString()
                EngineJsonContext   = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engineJson).Name
            }
        } -args $script:Manifest, (Resolve-Path $script:OtherModule).Path

        $result.InvoiceCount | Should -Be $script:KitchenCount
        $result.OtherPolly | Should -BeLike '8.8.1*'
        $result.EnginePolly | Should -BeLike '8.5.2*'
        $result.EnginePollyLocation | Should -BeLike '*dependencies*Polly.Core.dll'
        $result.OtherJson | Should -Be '9.0.0.0'
        $result.EngineJsonContext | Should -Be 'Default'
    }
}

Describe 'Runspaces' {
    AfterEach {
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'gives two runspaces their own default connection' {
        $shells = foreach ($provider in 'Kitchen', 'Xendit') {
            $shell = [powershell]::Create()
            $null = $shell.AddScript({
                    param($Manifest, $Provider)
                    Import-Module $Manifest -ErrorAction Stop
                    Connect-InvoiceProvider -Provider $Provider -Sandbox
                    Start-Sleep -Milliseconds 200
                    @(Get-InvoiceProviderConnection).Name
                    (Get-InvoiceProviderConnection -Default).Provider.ToString()
                    (Get-Invoice -First 1).Provider.ToString()
                }).AddArgument($script:Manifest).AddArgument($provider)
            [pscustomobject]@{ Shell = $shell; Handle = $shell.BeginInvoke() }
        }

        $kitchen = @($shells[0].Shell.EndInvoke($shells[0].Handle))
        $xendit = @($shells[1].Shell.EndInvoke($shells[1].Handle))
        $shells | ForEach-Object { $_.Shell.Dispose() }

        $kitchen | Should -Be @('Kitchen-Sandbox', 'Kitchen', 'Kitchen')
        $xendit | Should -Be @('Xendit-Sandbox', 'Xendit', 'Xendit')
        Get-InvoiceProviderConnection | Should -BeNullOrEmpty
    }

    It 'serves ForEach-Object -Parallel through a passed connection, and a parallel runspace has no default of its own' -Skip:(-not $IsPowerShell7) {
        $manifest = $script:Manifest
        $connection = Connect-InvoiceProvider -Provider Kitchen -Sandbox -PassThru
        $counts = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            (Get-Invoice -Connection $using:connection | Measure-Object).Count
        }
        $counts | Should -Be (@($script:KitchenCount) * 4)

        $errorIds = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            try { Get-Invoice -ErrorAction Stop | Out-Null; 'no error' } catch { $_.FullyQualifiedErrorId }
        }
        $errorIds | Should -Be (@('InvoiceToolsNoConnection,InvoiceTools.Commands.GetInvoiceCommand') * 2)
    }

    It 'serves Start-ThreadJob through a passed connection' -Skip:(-not $IsPowerShell7) {
        $connection = Connect-InvoiceProvider -Provider Xendit -Sandbox -PassThru
        $expected = (Get-Invoice -Connection $connection | Measure-Object).Count
        $job = Start-ThreadJob -ArgumentList $script:Manifest, $connection -ScriptBlock {
            param($Manifest, $Connection)
            Import-Module $Manifest
            (Get-Invoice -Connection $Connection | Measure-Object).Count
        }
        $job | Wait-Job -Timeout 120 | Receive-Job | Should -Be $expected
        $job | Remove-Job -Force
    }
}

Describe 'Credentials without prompts' {
    BeforeEach {
        $script:SavedKey = $env:INVOICETOOLS_KITCHEN_API_KEY
    }

    AfterEach {
        $env:INVOICETOOLS_KITCHEN_API_KEY = $script:SavedKey
        Disconnect-InvoiceProvider -All -Confirm:$false
    }

    It 'reads the key from INVOICETOOLS_KITCHEN_API_KEY and never shows it' {
        $env:INVOICETOOLS_KITCHEN_API_KEY = 'kitchen-key-from-env-7f3a'
        $c = Connect-InvoiceProvider -Provider Kitchen -Workspace acme -SkipKeyCheck -PassThru -Verbose 4>&1 |
            Tee-Object -Variable streams | Where-Object { $_ -is [InvoiceTools.Connections.InvoiceProviderConnection] }

        $c.KeySource | Should -Be 'the INVOICETOOLS_KITCHEN_API_KEY environment variable'
        $c.Authentication | Should -Be 'API key (25 characters, hidden)'
        ($streams | Out-String) | Should -Match 'INVOICETOOLS_KITCHEN_API_KEY'
        ($streams | Out-String) + ($c | Format-List * | Out-String) + ($c | ConvertTo-Json -Depth 3) | Should -Not -Match 'kitchen-key-from-env'
    }

    It 'names the variable among the ways to give a key when there is none' {
        $env:INVOICETOOLS_KITCHEN_API_KEY = $null
        Connect-InvoiceProvider -Provider Kitchen -Workspace acme -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvoiceToolsInvalidArgument,InvoiceTools.Commands.ConnectInvoiceProviderCommand'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'INVOICETOOLS_KITCHEN_API_KEY'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match '-SecretName'
    }

    It 'says how to install SecretManagement when -SecretName is used without it' -Skip:$HasSecretManagement {
        Connect-InvoiceProvider -Provider Kitchen -Workspace acme -SecretName KitchenKey -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].Exception.Message | Should -Be '-SecretName needs the Microsoft.PowerShell.SecretManagement module, which is not installed.'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'Install-Module Microsoft.PowerShell.SecretManagement'
        Get-InvoiceProviderConnection | Should -BeNullOrEmpty
    }

    It 'refuses -SecretName with -Sandbox before reading anything' {
        # On the command line the two are in different parameter sets; a settings row reaches the module's own check.
        { @{ Provider = 'Kitchen'; Sandbox = $true; SecretName = 'KitchenKey' } | Connect-InvoiceProvider -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '-SecretName reads a real API key, and -Sandbox needs none.'
    }

    It 'reads the key with Get-Secret from the named vault, in a scope of its own' {
        # A stand-in for SecretManagement, first on PSModulePath of a child session, so no real vault is touched.
        $stub = Join-Path $TestDrive 'modules/Microsoft.PowerShell.SecretManagement'
        New-Item -ItemType Directory -Path $stub -Force | Out-Null
        Set-Content -Path (Join-Path $stub 'Microsoft.PowerShell.SecretManagement.psm1') -Value @'
function Get-Secret {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Name, [string] $Vault)
    if ($Name -ne 'KitchenKey') { throw "The secret $Name was not found." }
    $global:StubVaultSeen = $Vault
    ConvertTo-SecureString 'kitchen-key-from-vault-1' -AsPlainText -Force
}
Export-ModuleMember -Function Get-Secret
'@
        $result = & $script:Pwsh -NoProfile -NonInteractive -Command {
            param($Manifest, $StubRoot)
            $ErrorActionPreference = 'Stop'
            $env:PSModulePath = $StubRoot + [IO.Path]::PathSeparator + $env:PSModulePath
            Import-Module $Manifest
            $Name = 'caller-name'
            $Vault = 'caller-vault'
            $c = Connect-InvoiceProvider -Provider Kitchen -Workspace acme -SecretName KitchenKey -Vault Store -SkipKeyCheck -PassThru
            Connect-InvoiceProvider -Provider Kitchen -Workspace acme -SecretName Missing -ErrorVariable problems -ErrorAction SilentlyContinue
            [pscustomobject]@{
                KeySource      = $c.KeySource
                Authentication = $c.Authentication
                VaultSeen      = $global:StubVaultSeen
                CallerName     = $Name
                CallerVault    = $Vault
                Problem        = $problems[0].Exception.Message
                Shown          = ($c | Format-List * | Out-String) + ($c | ConvertTo-Json -Depth 3)
            }
        } -args $script:Manifest, (Join-Path $TestDrive 'modules')

        $result.KeySource | Should -Be "SecretManagement secret 'KitchenKey' in vault 'Store'"
        $result.Authentication | Should -Be 'API key (24 characters, hidden)'
        $result.VaultSeen | Should -Be 'Store'
        $result.CallerName | Should -Be 'caller-name'
        $result.CallerVault | Should -Be 'caller-vault'
        $result.Problem | Should -BeLike "Get-Secret could not read SecretManagement secret 'Missing':*"
        $result.Shown | Should -Not -Match 'kitchen-key-from-vault'
    }

    It 'shows the proxy without its password, and refuses one for the sandbox' {
        $key = ConvertTo-SecureString 'some-key' -AsPlainText -Force
        $proxyCredential = [pscredential]::new('alice', (ConvertTo-SecureString 'proxy-pass-9d2' -AsPlainText -Force))
        $c = Connect-InvoiceProvider -Provider Kitchen -Workspace acme -ApiKey $key -Proxy http://proxy.example.com:3128 -ProxyCredential $proxyCredential -SkipKeyCheck -PassThru
        $c.Proxy | Should -Be 'http://proxy.example.com:3128/ (-Proxy, with credentials)'
        ($c | Format-List * | Out-String) | Should -Not -Match 'proxy-pass-9d2'

        { @{ Provider = 'Kitchen'; Sandbox = $true; Proxy = 'http://proxy.example.com:3128' } | Connect-InvoiceProvider -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*takes no proxy*'

        # -ProxyCredential alone is for the system proxy (or the one HTTPS_PROXY names).
        $systemProxy = Connect-InvoiceProvider -Provider Kitchen -Workspace acme -ApiKey $key -ProxyCredential $proxyCredential -Name system-proxy -SkipKeyCheck -PassThru
        $systemProxy.Proxy | Should -BeLike '*with credentials)*'
        $systemProxy.Proxy | Should -Not -Match 'proxy-pass-9d2'
    }

    It 'keeps keys out of the error record of a settings row that fails' {
        @{ Provider = 'Kitchen'; Name = 'row'; ApiKey = 'row-key-5e1c'; Proxy = 'http://alice:row-pass-77@proxy.example.com:3128'; Workspace = '' } |
            Connect-InvoiceProvider -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].TargetObject['Name'] | Should -Be 'row'
        ($problems[0].TargetObject | Out-String) + ($problems[0] | Format-List * -Force | Out-String) | Should -Not -Match 'row-key-5e1c|row-pass-77'
    }
}
