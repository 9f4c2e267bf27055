using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace InvoiceTools.ModuleTests;

/// <summary>
/// Runs each Pester file against the built module when pwsh and Pester 5 are on the PATH; reports it as skipped
/// otherwise (the CI machines have no PowerShell).
/// </summary>
public sealed class PesterTests
{
    private static readonly Lazy<string?> Pwsh = new(FindPwsh);
    private static readonly Lazy<bool> HasPester = new(() => Pwsh.Value is not null && Run("if (Get-Module -ListAvailable Pester | Where-Object { $_.Version -ge [version]'5.0.0' }) { exit 0 } else { exit 3 }", out _) == 0);

    public static TheoryData<string> PesterFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(ModuleLayout.RepoRoot, "tests", "Pester"), "*.Tests.ps1").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(PesterFiles))]
    public void Pester_file_passes_against_the_built_module(string file)
    {
        Skip.If(Pwsh.Value is null, "pwsh is not on the PATH; the Pester tests run wherever PowerShell 7 is installed.");
        Skip.IfNot(HasPester.Value, "Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser).");

        var path = Path.Combine(ModuleLayout.RepoRoot, "tests", "Pester", file).Replace("'", "''", StringComparison.Ordinal);
        var script = "$ErrorActionPreference = 'Stop'; Import-Module Pester -MinimumVersion 5.0; " +
            "$c = New-PesterConfiguration; $c.Run.Path = '" + path + "'; $c.Run.PassThru = $true; $c.Output.Verbosity = 'Detailed'; " +
            "$r = Invoke-Pester -Configuration $c; if ($r.FailedCount -gt 0 -or $r.Result -ne 'Passed') { exit 1 } else { exit 0 }";
        var exitCode = Run(script, out var output);

        Assert.True(exitCode == 0, file + " failed:\n" + output);
    }

    private static string? FindPwsh()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "pwsh.exe" } : new[] { "pwsh" };
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(n => Path.Combine(dir, n)))
            .FirstOrDefault(File.Exists);
    }

    private static int Run(string script, out string output)
    {
        var info = new ProcessStartInfo(Pwsh.Value!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["INVOICETOOLS_MODULE_PATH"] = ModuleLayout.ModuleDir;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        return process.ExitCode;
    }
}
