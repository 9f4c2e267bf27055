using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace InvoiceTools.ModuleTests;

/// <summary>
/// Every Pester <c>It</c> under tests/Pester, run against the built module folder in the pinned pwsh, reported as one
/// xunit test each: the totals count Its one by one, and a failure names the file and the It.
/// </summary>
/// <remarks>
/// The Its are listed by Pester's own discovery when xunit discovers tests; each file then runs once, in a pwsh of its
/// own, on its first It, and every It reads its result by position. Under CI (CI=true) a missing pwsh or Pester, or a
/// Pester skip, is a failure; elsewhere it is a skip that says why.
/// </remarks>
public sealed class PesterTests
{
    public static TheoryData<PesterIt> Its()
    {
        var data = new TheoryData<PesterIt>();
        PesterSuite.Discovery discovery;
        try
        {
            discovery = PesterSuite.Discover();
        }
        catch (PesterUnavailableException e)
        {
            data.Add(new PesterIt("(none)", -1, e.Message));
            return data;
        }

        foreach (var file in discovery.Files)
        {
            for (var index = 0; index < file.Its.Count; index++)
            {
                data.Add(new PesterIt(file.Name, index, file.Its[index].Display));
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Its))]
    public void It_passes_in_pwsh(PesterIt it)
    {
        var (file, index) = (it.File, it.Index);
        if (index < 0)
        {
            Assert.False(PesterSuite.IsCI, "Pester did not run under CI: " + it.Display);
            Skip.If(true, it.Display);
        }

        var run = PesterSuite.RunFile(file);
        Assert.True(index < run.Its.Count, $"{file} ran {run.Its.Count} Its, fewer than discovery listed; '{it.Display}' did not run.\n{run.Describe()}");
        var result = run.Its[index];
        var expected = PesterSuite.Discover().Files.Single(f => f.Name == file).Its[index];
        Assert.True(result.Name == expected.Name, $"{file}: It {index} ran as '{result.Name}', discovered as '{expected.Name}'.");

        switch (result.Result)
        {
            case "Passed":
                return;
            case "Skipped":
                Assert.False(PesterSuite.IsCI, $"{file}: '{result.Display}' skipped under CI, and a skipped Pester test is a defect there: {result.Skipped}");
                Skip.If(true, $"{file}: '{result.Display}' skipped: {result.Skipped}");
                return;
            default:
                Assert.Fail($"{file}: '{result.Display}' {result.Result.ToLowerInvariant()}.\n{string.Join("\n", result.Errors)}{run.DescribeBlockErrors()}");
                return;
        }
    }
}

/// <summary>One It, by file and position in Pester's order; shown as the file and the It's name.</summary>
public sealed class PesterIt : IXunitSerializable
{
    public PesterIt()
    {
    }

    public PesterIt(string file, int index, string display) => (File, Index, Display) = (file, index, display);

    public string File { get; private set; } = string.Empty;

    public int Index { get; private set; }

    public string Display { get; private set; } = string.Empty;

    public void Deserialize(IXunitSerializationInfo info) =>
        (File, Index, Display) = (info.GetValue<string>(nameof(File)), info.GetValue<int>(nameof(Index)), info.GetValue<string>(nameof(Display)));

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(File), File);
        info.AddValue(nameof(Index), Index);
        info.AddValue(nameof(Display), Display);
    }

    public override string ToString() => Index < 0 ? Display : $"{File} > {Display}";
}

/// <summary>Why the Pester tests cannot run here: no pwsh, no Pester, or a discovery that failed.</summary>
internal sealed class PesterUnavailableException(string message) : Exception(message);

/// <summary>Finds the pinned pwsh and Pester, lists the Its, and runs each file once.</summary>
internal static class PesterSuite
{
    private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Discovery> Discovered = new(DiscoverNow);
    private static readonly ConcurrentDictionary<string, Lazy<FileRun>> Runs = new(StringComparer.Ordinal);

    public static bool IsCI { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ||
        Environment.GetEnvironmentVariable("CI") == "1";

    private static string PesterDir => Path.Combine(ModuleLayout.RepoRoot, "tests", "Pester");

    private static string RunnerScript => Path.Combine(PesterDir, "PesterRunner.ps1");

    private static string PesterManifest => Path.Combine(ModuleLayout.PesterModuleDir, "Pester.psd1");

    public static Discovery Discover() => Discovered.Value;

    public static FileRun RunFile(string file) =>
        Runs.GetOrAdd(file, name => new Lazy<FileRun>(() => RunNow(name))).Value;

    private static Discovery DiscoverNow()
    {
        if (!File.Exists(PesterManifest))
        {
            throw new PesterUnavailableException($"Pester is not restored at {ModuleLayout.PesterModuleDir}: build the test project (dotnet build) so its PackageDownload restores it.");
        }

        var files = Directory.GetFiles(PesterDir, "*.Tests.ps1");
        var records = Invoke("Discover", PesterDir, out var output);
        var byFile = records.Tests.GroupBy(t => t.File, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<ItRecord>)g.ToList(), StringComparer.Ordinal);
        var missing = files.Select(Path.GetFileName).Where(f => !byFile.ContainsKey(f!)).ToList();
        if (missing.Count > 0 || records.BlockErrors.Count > 0)
        {
            throw new PesterUnavailableException($"Pester discovery found no It in {string.Join(", ", missing)}. {string.Join("\n", records.BlockErrors)}\n{output}");
        }

        return new Discovery(byFile.Select(p => new DiscoveredFile(p.Key, p.Value)).OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
    }

    private static FileRun RunNow(string file)
    {
        var watch = Stopwatch.StartNew();
        var records = Invoke("Run", Path.Combine(PesterDir, file), out var output);
        return new FileRun(file, records.Tests, records.BlockErrors, output, watch.Elapsed);
    }

    private static RunRecord Invoke(string mode, string path, out string output)
    {
        var resultPath = Path.Combine(Path.GetTempPath(), $"invoicetools-pester-{Guid.NewGuid():N}.json");
        try
        {
            var arguments = new List<string> { "-NoLogo", "-NoProfile", "-NonInteractive", "-File", RunnerScript, "-Mode", mode, "-PesterManifest", PesterManifest, "-ResultPath", resultPath, "-Path", path };
            var exitCode = PwshHost.Run(arguments, FileTimeout, out output);
            if (!File.Exists(resultPath))
            {
                throw new PesterUnavailableException($"{PwshHost.Describe()} exited with {exitCode} and wrote no Pester results ({mode} {Path.GetFileName(path)}):\n{output}");
            }

            return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(resultPath))
                ?? throw new PesterUnavailableException("The Pester runner wrote an empty result.");
        }
        finally
        {
            File.Delete(resultPath);
        }
    }

    internal sealed record Discovery(IReadOnlyList<DiscoveredFile> Files);

    internal sealed record DiscoveredFile(string Name, IReadOnlyList<ItRecord> Its);

    internal sealed record FileRun(string File, IReadOnlyList<ItRecord> Its, IReadOnlyList<string> BlockErrors, string Output, TimeSpan Elapsed)
    {
        public string DescribeBlockErrors() => BlockErrors.Count == 0 ? string.Empty : "\nErrors outside any It:\n" + string.Join("\n", BlockErrors);

        public string Describe() => $"{File} ran in {Elapsed.TotalSeconds:0.0} s.{DescribeBlockErrors()}\n{Output}";
    }

    internal sealed record RunRecord(IReadOnlyList<ItRecord> Tests, IReadOnlyList<string> BlockErrors, string Result);

    internal sealed record ItRecord(string File, string Name, string Display, string Result, double Duration, IReadOnlyList<string> Errors, string? Skipped);
}

/// <summary>
/// Starts the pwsh that the tests run in: $INVOICETOOLS_PWSH when set (any pwsh or powershell.exe, to run the suite in
/// another host), otherwise the PowerShell dotnet tool pinned in .config/dotnet-tools.json, as <c>dotnet pwsh</c>.
/// </summary>
internal static class PwshHost
{
    private static string? Override => Environment.GetEnvironmentVariable("INVOICETOOLS_PWSH") is { Length: > 0 } path ? path : null;

    public static string Describe() => Override ?? "dotnet pwsh (the tool pinned in .config/dotnet-tools.json)";

    public static int Run(IReadOnlyList<string> arguments, TimeSpan timeout, out string output)
    {
        var info = new ProcessStartInfo(Override ?? DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ModuleLayout.RepoRoot,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (Override is null)
        {
            info.ArgumentList.Add("pwsh");
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["INVOICETOOLS_MODULE_PATH"] = ModuleLayout.ModuleDir;

        // The sandbox dates its data from today; the suite pins the day so that its runs repeat (Prompt.Tests.ps1
        // clears it to check the README's relative-date examples against today).
        info.Environment["INVOICETOOLS_SANDBOX_DATE"] = "2026-11-01";
        info.Environment["NO_COLOR"] = "1";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new PesterUnavailableException($"{Describe()} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PesterUnavailableException($"{Describe()} could not be started ({e.Message}). Run 'dotnet tool restore' in the repository, or set INVOICETOOLS_PWSH to a pwsh.");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                output = $"Stopped after {timeout.TotalMinutes} minutes.\n{stdout.Result}{stderr.Result}";
                return -1;
            }

            output = stdout.Result + stderr.Result;
            if (Override is null && process.ExitCode != 0 && output.Contains("dotnet tool restore", StringComparison.OrdinalIgnoreCase))
            {
                throw new PesterUnavailableException($"The pinned pwsh is not restored: run 'dotnet tool restore' in {ModuleLayout.RepoRoot}.\n{output}");
            }

            return process.ExitCode;
        }
    }

    /// <summary>The dotnet that runs these tests (DOTNET_HOST_PATH is set by the SDK), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self : "dotnet";
    }
}
