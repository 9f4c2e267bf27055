using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using InvoiceTools.Checkpoints;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>-Checkpoint paths that cannot be a checkpoint file, leftovers of stopped runs, and the lock file (issue 20 row 7).</summary>
public sealed class CheckpointFileSystemTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "invoicetools-checkpoint-fs-" + Guid.NewGuid().ToString("N"));

    public CheckpointFileSystemTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var folder in Directory.EnumerateDirectories(_directory, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static string Hex() => Guid.NewGuid().ToString("N");

    /// <summary>Every kind of -Checkpoint that cannot be a checkpoint file, with what the error must say.</summary>
    public static TheoryData<string, string> BadPaths()
    {
        var data = new TheoryData<string, string>
        {
            { "the test folder", "is a folder, not a file" },
            { "the test folder, with a separator at the end", "is a folder, not a file" },
            { "a folder in it", "is a folder, not a file" },
            { "a file in a missing folder", "is in a folder that does not exist" },
            { "a file two missing folders down", "is in a folder that does not exist" },
            { "a file below a file", "is a file, not a folder" },
            { "a file two folders below a file", "is a file, not a folder" },
            { "a NUL in the name", "is not a valid file path: it contains a control character (U+0000)" },
            { "a line break in the name", "is not a valid file path: it contains a line break" },
            { "a bell in a folder name", "is not a valid file path: it contains a control character (U+0007)" },
            { "blank", "is not a valid file path: it is blank" },
            { "a read-only checkpoint", "is read-only" },
        };
        if (OperatingSystem.IsWindows())
        {
            data.Add("a ? in the name", "is not a valid file path");
            data.Add("a | in a folder name", "is not a valid file path");
            data.Add("a : in the name", "is not a valid file path");
        }
        else
        {
            // /sys takes no new files even for root; a folder without write permission stops everyone else.
            data.Add("a file in /sys", "cannot be written: no new file can be created in '/sys'");
            if (Environment.UserName != "root")
            {
                data.Add("a file in a folder without write permission", "cannot be written: no new file can be created in");
            }
        }

        return data;
    }

    private string Make(string kind)
    {
        File.WriteAllText(PathOf("notes.txt"), "a user's file");
        Directory.CreateDirectory(PathOf("sub"));
        switch (kind)
        {
            case "the test folder": return _directory;
            case "the test folder, with a separator at the end": return _directory + Path.DirectorySeparatorChar;
            case "a folder in it": return PathOf("sub");
            case "a file in a missing folder": return Path.Combine(_directory, "missing", "cp.json");
            case "a file two missing folders down": return Path.Combine(_directory, "missing", "deeper", "cp.json");
            case "a file below a file": return Path.Combine(PathOf("notes.txt"), "cp.json");
            case "a file two folders below a file": return Path.Combine(PathOf("notes.txt"), "sub", "cp.json");
            case "a NUL in the name": return PathOf("cp\0.json");
            case "a line break in the name": return PathOf("cp\n.json");
            case "a bell in a folder name": return Path.Combine(_directory, "s\au", "cp.json");
            case "blank": return "   ";
            case "a read-only checkpoint":
                File.WriteAllText(PathOf("cp.json"), "{}");
                File.SetAttributes(PathOf("cp.json"), FileAttributes.ReadOnly);
                return PathOf("cp.json");
            case "a ? in the name": return PathOf("cp?.json");
            case "a | in a folder name": return Path.Combine(_directory, "a|b", "cp.json");
            case "a : in the name": return PathOf("cp:stream.json");
            case "a file in /sys": return "/sys/invoicetools-" + Hex() + ".json";
            case "a file in a folder without write permission":
                if (OperatingSystem.IsWindows())
                {
                    throw new PlatformNotSupportedException(kind);
                }

                Directory.CreateDirectory(PathOf("locked"));
                File.SetUnixFileMode(PathOf("locked"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
                return Path.Combine(_directory, "locked", "cp.json");
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such kind of path");
        }
    }

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task A_bad_path_is_a_classified_error_naming_Checkpoint_and_the_path_and_no_request_is_sent(string kind, string expected)
    {
        await using var loopback = await LoopbackSandbox.StartAsync();
        using var connection = loopback.ConnectRevere();
        var path = Make(kind);
        var before = Listing();

        // As Get-Invoice does it: open the checkpoint, read, save; the path must be refused at the first step.
        var ex = Assert.Throws<InvoiceConfigurationException>(() =>
        {
            var scope = CheckpointFile.Open(path, connection, InvoiceQuery.All);
            foreach (var invoice in scope.OnlyNewOrChanged(InvoiceEngine.GetInvoices(connection, InvoiceQuery.All)))
            {
                scope.Delivered(invoice);
            }

            scope.Commit(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        });

        Assert.Empty(loopback.Sandbox.Requests);
        Assert.Equal("Checkpoint", ex.ParameterName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        // A path that is not valid is shown as given (control characters as '?'); any other, in full.
        var shown = expected.StartsWith("is not a valid file path", StringComparison.Ordinal)
            ? new string(path.Select(c => char.IsControl(c) ? '?' : c).ToArray())
            : Path.GetFullPath(path);
        Assert.StartsWith($"-Checkpoint '{shown}", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.Message.Any(char.IsControl), "a control character reached the message");
        Assert.False(string.IsNullOrEmpty(ex.RecommendedAction));
        Assert.Equal(("InvoiceToolsInvalidArgument", "InvalidArgument"), ErrorClassification.Classify(ex));
        Assert.Equal(before, Listing());
    }

    [Theory]
    [InlineData("cp.json")]
    [InlineData("cp.checkpoint.json")]
    [InlineData("sub/cp.json")]
    [InlineData("a name with spaces [and brackets] and ünïcode.json")]
    [InlineData("existing.json")]
    public void A_file_in_an_existing_writable_folder_is_accepted_and_checking_it_leaves_nothing_behind(string name)
    {
        Directory.CreateDirectory(PathOf("sub"));
        File.WriteAllText(PathOf("existing.json"), "{}");
        var before = Listing();

        var full = CheckpointFile.CheckPath(PathOf(name));

        Assert.Equal(Path.GetFullPath(PathOf(name)), full);
        Assert.Equal(before, Listing());
    }

    /// <summary>Files beside the checkpoint "revere.json" before a run saves, and whether that run removes them.</summary>
    public static TheoryData<string, string, double, bool> Leftovers() => new()
    {
        { "a stopped run's temporary file, a day old", "revere.json.{hex}.tmp", 24 * 60, true },
        { "a stopped run's temporary file, two hours old", "revere.json.{hex}.tmp", 120, true },
        { "a stopped run's temporary file, a year old", "revere.json.{hex}.tmp", 365 * 24 * 60, true },
        { "a stopped run's half-written file", "revere.json.{hex}.tmp partial", 24 * 60, true },
        { "a temporary file a minute old (another machine may be writing it)", "revere.json.{hex}.tmp", 1, false },
        { "a temporary file written just now", "revere.json.{hex}.tmp", 0, false },
        { "an old temporary file another run holds open", "revere.json.{hex}.tmp open", 24 * 60, false },
        { "another checkpoint's temporary file", "other.json.{hex}.tmp", 24 * 60, false },
        { "the temporary file of checkpoint revere.json.x", "revere.json.x.{hex}.tmp", 24 * 60, false },
        { "the temporary file of checkpoint xrevere.json", "xrevere.json.{hex}.tmp", 24 * 60, false },
        { "the temporary file of checkpoint revere", "revere.{hex}.tmp", 24 * 60, false },
        { "a user's backup", "revere.json.backup.tmp", 24 * 60, false },
        { "a user's file with a dashed GUID", "revere.json.{guid}.tmp", 24 * 60, false },
        { "a user's file with uppercase hex", "revere.json.{HEX}.tmp", 24 * 60, false },
        { "a user's file with 31 hex digits", "revere.json.{hex31}.tmp", 24 * 60, false },
        { "a user's file ending .tmp.bak", "revere.json.{hex}.tmp.bak", 24 * 60, false },
        { "a user's revere.json.tmp", "revere.json.tmp", 24 * 60, false },
        { "a folder named like a temporary file", "revere.json.{hex}.tmp folder", 24 * 60, false },
    };

    [Theory]
    [MemberData(nameof(Leftovers))]
    public void A_run_that_saves_removes_only_old_temporary_files_of_its_own_checkpoint_not_in_use(string what, string pattern, double minutesOld, bool removed)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("revere.json");
        var query = new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid } };
        var first = Run(connection, path, query);
        var saved = File.ReadAllBytes(path);
        var parts = pattern.Split(' ');
        var name = parts[0].Replace("{hex}", Hex(), StringComparison.Ordinal).Replace("{HEX}", Hex().ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{hex31}", Hex()[..31], StringComparison.Ordinal).Replace("{guid}", Guid.NewGuid().ToString("D"), StringComparison.Ordinal);
        var planted = PathOf(name);
        var folder = parts.Length > 1 && parts[1] == "folder";
        if (folder)
        {
            Directory.CreateDirectory(planted);
            Directory.SetLastWriteTimeUtc(planted, DateTime.UtcNow.AddMinutes(-minutesOld));
        }
        else
        {
            File.WriteAllBytes(planted, parts.Length > 1 && parts[1] == "partial" ? saved[..(saved.Length / 2)] : saved);
            File.SetLastWriteTimeUtc(planted, DateTime.UtcNow.AddMinutes(-minutesOld));
        }

        // The checkpoint is read whatever lies beside it: a half-written temporary file never touches it.
        Assert.Equal(saved, File.ReadAllBytes(path));
        using (parts.Length > 1 && parts[1] == "open" ? new FileStream(planted, FileMode.Open, FileAccess.ReadWrite, FileShare.None) : null)
        {
            Assert.Empty(Run(connection, path, query));
        }

        Assert.True(removed != (folder ? Directory.Exists(planted) : File.Exists(planted)), $"{what} ({name}, {minutesOld} min old): expected {(removed ? "removed" : "kept")}");
        Assert.Equal(first.Count, ScopeCounts(path).Single());
        Assert.False(File.Exists(path + ".lock"), "the lock file stayed");
        Assert.Equal(new[] { "revere.json" }.Concat(removed ? Array.Empty<string>() : new[] { name }).Order(StringComparer.Ordinal), Listing());
    }

    [Fact]
    public void The_lock_file_is_removed_after_every_run_that_saves_and_an_empty_one_left_behind_is_taken_and_removed()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("revere.json");

        Assert.Equal(1200, Run(connection, path).Count);
        Assert.Equal(new[] { "revere.json" }, Listing());

        // What earlier versions left after every run, and a run killed while holding the lock leaves.
        File.WriteAllBytes(path + ".lock", Array.Empty<byte>());
        sandbox.Revere.SetStatus(sandbox.Revere.Ids[0], "paid", DateTimeOffset.UtcNow);
        Assert.Single(Run(connection, path));
        Assert.Equal(new[] { "revere.json" }, Listing());
    }

    [Fact]
    public async Task A_second_run_waits_while_the_lock_is_held_and_saves_when_it_is_released()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("revere.json");
        var gate = CheckpointFile.AcquireLock(path + ".lock");

        var second = Task.Run(() => Run(connection, path, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid } }));
        await Task.Delay(500);
        Assert.False(second.IsCompleted, "the second run saved while the lock was held");
        Assert.False(File.Exists(path));
        CheckpointFile.ReleaseLock(gate, path + ".lock");

        Assert.NotEmpty(await second);
        Assert.Single(ScopeCounts(path));
        Assert.Equal(new[] { "revere.json" }, Listing());
    }

    [Fact]
    public void A_run_that_opened_the_lock_file_just_before_it_was_deleted_does_not_hold_the_lock()
    {
        var lockPath = PathOf("revere.json.lock");
        var view = PathOf("view-of-the-lock");
        File.WriteAllBytes(lockPath, Array.Empty<byte>());

        // A second name for the lock file's data stands for a run that opened the file by name before the holder
        // deleted that name: it keeps the deleted file, and locks it once the holder closes it.
        HardLink(lockPath, view);
        var holder = CheckpointFile.AcquireLock(lockPath);
        CheckpointFile.ReleaseLock(holder, lockPath);
        Assert.False(File.Exists(lockPath));

        using (var late = new FileStream(view, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.False(CheckpointFile.IsLive(late), "the deleted lock file looks live, so two runs could hold the lock");
        }

        using var fresh = CheckpointFile.AcquireLock(lockPath);
        Assert.True(CheckpointFile.IsLive(fresh));
    }

    [Fact]
    public async Task Many_concurrent_runs_of_different_scopes_keep_every_scope_and_leave_no_lock_or_temporary_file()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("shared.json");
        const int Runs = 8;

        // Saves with nothing new, so that the runs spend their time on the lock: a scope lost means two held it.
        await Task.WhenAll(Enumerable.Range(0, Runs).Select(r => Task.Run(() =>
        {
            var query = new InvoiceQuery { Customer = "customer " + r };
            for (var i = 0; i < 25; i++)
            {
                CheckpointFile.Open(path, connection, query).Commit(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
            }
        })));

        Assert.Equal(Runs, ScopeCounts(path).Count);
        Assert.Equal(new[] { "shared.json" }, Listing());
        Assert.Empty(sandbox.Requests);
    }

    private static InvoiceProviderConnection Revere(InvoiceSandbox sandbox) =>
        InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, SandboxInstance = sandbox.AsServer() });

    private static List<Invoice> Run(InvoiceProviderConnection connection, string path, InvoiceQuery? query = null)
    {
        query ??= InvoiceQuery.All;
        var scope = CheckpointFile.Open(path, connection, query);
        var started = DateTimeOffset.UtcNow;
        var delivered = new List<Invoice>();
        foreach (var invoice in scope.OnlyNewOrChanged(InvoiceEngine.GetInvoices(connection, query)))
        {
            delivered.Add(invoice);
            scope.Delivered(invoice);
        }

        scope.Commit(started, DateTimeOffset.UtcNow);
        return delivered;
    }

    private static List<int> ScopeCounts(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("scopes").EnumerateObject().Select(s => s.Value.GetProperty("count").GetInt32()).ToList();
    }

    private List<string> Listing() =>
        Directory.EnumerateFileSystemEntries(_directory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_directory, p)).Order(StringComparer.Ordinal).ToList();

    private static void HardLink(string existing, string link)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", "mklink", "/H", link, existing } }
            : new ProcessStartInfo("ln") { ArgumentList = { existing, link } };
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && File.Exists(link), $"could not make a hard link: exit code {process.ExitCode}");
    }
}
