# Dot-source to get Start-SandboxHost and Stop-SandboxHost: the standalone loopback sandbox
# (src/InvoiceTools.Sandbox.Host) in a process of its own, for tests and benchmarks that need a real HTTP server.

function Start-SandboxHost {
    <#
    .SYNOPSIS
        Starts the sandbox host on a free loopback port (building it first if no build exists) and returns
        @{ Process; BaseUri } once it listens. Extra host arguments go in -Arguments (for example '--latency 50').
    #>
    param(
        [string] $Arguments = '',
        [string] $Configuration = 'Release'
    )

    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $hostDll = @($Configuration, 'Release', 'Debug') |
        ForEach-Object { Join-Path $repo "src/InvoiceTools.Sandbox.Host/bin/$_/net10.0/InvoiceTools.Sandbox.Host.dll" } |
        Where-Object { Test-Path $_ } |
        Select-Object -First 1
    if (-not $hostDll) {
        $hostDll = Join-Path $repo "src/InvoiceTools.Sandbox.Host/bin/$Configuration/net10.0/InvoiceTools.Sandbox.Host.dll"
        & dotnet build (Join-Path $repo 'src/InvoiceTools.Sandbox.Host/InvoiceTools.Sandbox.Host.csproj') -c $Configuration --nologo -v quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "Building the sandbox host failed (exit code $LASTEXITCODE)." }
    }

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.Arguments = ('"{0}" --port 0 {1}' -f $hostDll, $Arguments).Trim()
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    while ($true) {
        $line = $process.StandardOutput.ReadLine()
        if ($null -eq $line) { throw 'The sandbox host exited before it listened.' }
        if ($line -match 'listening on (\S+)') { return @{ Process = $process; BaseUri = $Matches[1].TrimEnd('/') } }
    }
}

function Stop-SandboxHost {
    param($Server)
    if ($Server -and -not $Server.Process.HasExited) {
        $Server.Process.StandardInput.Close()
        $Server.Process.Kill()
        $Server.Process.WaitForExit()
    }
}
