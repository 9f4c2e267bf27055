using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InvoiceTools.Connections;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using Polly;
using Polly.Retry;
using static System.FormattableString;

namespace InvoiceTools.Checkpoints;

/// <summary>
/// The -Checkpoint file: for each connection-and-query scope, the fingerprint of every invoice the last successful
/// run saw. It holds ids and 64-bit hashes, never invoices or keys. Writes are atomic (a temporary file renamed over
/// the old one) and serialized by a lock file, so concurrent runs never corrupt it. The lock file and the
/// temporary files of runs that were stopped mid-write are removed by the next run that saves.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The value of the file's "format" property.</summary>
    public const string Format = "InvoiceTools.Checkpoint";

    /// <summary>The file layout version this module writes.</summary>
    public const int Version = 1;

    /// <summary>How old a temporary file must be before a run removes it as left over by a run that was stopped.</summary>
    /// <remarks>
    /// Runs write temporary files only while holding the lock, so under the lock none is in use; the age is for a run
    /// the lock does not reach (another machine on a file system without locks), and allows for its clock.
    /// </remarks>
    public static readonly TimeSpan LeftoverAge = TimeSpan.FromHours(1);

    // What a run writes into the lock file just before closing it, once the file is deleted: see AcquireLock.
    private const byte Released = (byte)'x';

    private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    private static readonly ResiliencePipeline FileRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            // Another run holds the lock, or a reader has the file open on Windows; both pass in moments.
            ShouldHandle = new PredicateBuilder().Handle<IOException>(e => e is not FileNotFoundException and not DirectoryNotFoundException),
            MaxRetryAttempts = 200,
            Delay = TimeSpan.FromMilliseconds(50),
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
        })
        .Build();

    /// <summary>Reads the scope of <paramref name="connection"/> and <paramref name="query"/> from <paramref name="path"/> (a missing file is an empty checkpoint).</summary>
    /// <exception cref="InvoiceConfigurationException">The path cannot be a checkpoint file (see <see cref="CheckPath"/>), or the file exists but is not a checkpoint this module can read.</exception>
    public static CheckpointScope Open(string path, InvoiceProviderConnection connection, InvoiceQuery query)
    {
        if (path is null || connection is null || query is null)
        {
            throw new ArgumentNullException(path is null ? nameof(path) : connection is null ? nameof(connection) : nameof(query));
        }

        var fullPath = CheckPath(path);
        var account = AccountOf(connection);
        var signature = query.Signature();
        var key = Hash(account + "\n" + signature);
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        DateTimeOffset? startedAt = null;
        byte[]? bytes;
        try
        {
            bytes = ReadIfExists(fullPath);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Refused(fullPath, $"cannot be read: {ex.Message}", "Give a path you can read and write, or change the file's permissions.");
        }

        if (bytes is not null)
        {
            using var document = Parse(fullPath, bytes);
            if (document.RootElement.GetProperty("scopes").TryGetProperty(key, out var scope))
            {
                startedAt = scope.TryGetProperty("startedAt", out var started) && started.TryGetDateTimeOffset(out var time) ? time : null;
                foreach (var entry in scope.GetProperty("invoices").EnumerateObject())
                {
                    previous[entry.Name] = entry.Value.GetString() ?? string.Empty;
                }
            }
        }

        return new CheckpointScope(fullPath, key, connection.Provider, account, signature, previous, startedAt);
    }

    /// <summary>Writes <paramref name="scope"/>'s invoices into the file, keeping every other scope as it is.</summary>
    internal static void Commit(CheckpointScope scope, DateTimeOffset startedAt, DateTimeOffset completedAt)
    {
        var directory = Path.GetDirectoryName(scope.Path)!;
        var lockPath = scope.Path + ".lock";
        var gate = AcquireLock(lockPath);
        try
        {
            RemoveLeftovers(scope.Path, DateTime.UtcNow);
            Write(scope, directory, startedAt, completedAt);
        }
        finally
        {
            ReleaseLock(gate, lockPath);
        }
    }

    private static void Write(CheckpointScope scope, string directory, DateTimeOffset startedAt, DateTimeOffset completedAt)
    {
        // Re-read under the lock: another run may have committed since this one opened the file.
        var bytes = ReadIfExists(scope.Path);
        using var current = bytes is null ? null : Parse(scope.Path, bytes);
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        if (current is not null && current.RootElement.GetProperty("scopes").TryGetProperty(scope.Key, out var existing))
        {
            foreach (var entry in existing.GetProperty("invoices").EnumerateObject())
            {
                merged[entry.Name] = entry.Value.GetString() ?? string.Empty;
            }
        }

        foreach (var pair in scope.Seen)
        {
            merged[pair.Key] = pair.Value;
        }

        var temporary = Path.Combine(directory, TemporaryName(Path.GetFileName(scope.Path)));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
                {
                    writer.WriteStartObject();
                    writer.WriteString("format", Format);
                    writer.WriteNumber("version", Version);
                    writer.WriteStartObject("scopes");
                    if (current is not null)
                    {
                        foreach (var other in current.RootElement.GetProperty("scopes").EnumerateObject().Where(s => s.Name != scope.Key))
                        {
                            other.WriteTo(writer);
                        }
                    }

                    writer.WriteStartObject(scope.Key);
                    writer.WriteString("provider", scope.Provider);
                    writer.WriteString("account", scope.Account);
                    writer.WriteString("query", scope.Query);
                    writer.WriteString("startedAt", startedAt.ToUniversalTime());
                    writer.WriteString("completedAt", completedAt.ToUniversalTime());
                    writer.WriteNumber("count", merged.Count);
                    writer.WriteStartObject("invoices");
                    foreach (var pair in merged.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        writer.WriteString(pair.Key, pair.Value);
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                stream.Flush(flushToDisk: true);
            }

            FileRetry.Execute(() =>
            {
                if (File.Exists(scope.Path))
                {
                    File.Replace(temporary, scope.Path, null);
                }
                else
                {
                    File.Move(temporary, scope.Path);
                }
            });
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// The full path of <paramref name="path"/> as a checkpoint file, checked before any request: a file (new or
    /// existing, not read-only) in an existing folder where new files can be created.
    /// </summary>
    /// <exception cref="InvoiceConfigurationException">The path cannot be a checkpoint file; the message names -Checkpoint, the path and why.</exception>
    public static string CheckPath(string path)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw InvalidPath(path, "it is blank");
        }

        if (WireText.Problem(path, asciiOnly: false) is { } problem)
        {
            throw InvalidPath(path, $"it contains {problem}");
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or SecurityException)
        {
            throw InvalidPath(path, ex.Message);
        }

        var root = Path.GetPathRoot(full) ?? string.Empty;
        var invalid = Path.GetInvalidFileNameChars();
        foreach (var segment in full.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries))
        {
            var at = segment.IndexOfAny(invalid);
            if (at >= 0)
            {
                throw InvalidPath(path, $"'{segment}' contains '{segment[at]}', which a file or folder name cannot contain here");
            }
        }

        var name = Path.GetFileName(full);
        if (name.Length == 0 || Directory.Exists(full))
        {
            var folder = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            throw Refused(full, "is a folder, not a file", $"Give the path of a file in it, for example -Checkpoint '{Path.Combine(folder, "invoices.checkpoint.json")}'.");
        }

        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            for (var ancestor = directory; ancestor is not null; ancestor = Path.GetDirectoryName(ancestor))
            {
                if (File.Exists(ancestor))
                {
                    throw Refused(full, $"cannot be created: '{ancestor}' is a file, not a folder", "Give a path in a folder.");
                }

                if (Directory.Exists(ancestor))
                {
                    break;
                }
            }

            throw Refused(full, $"is in a folder that does not exist: '{directory}'", $"Create the folder first (New-Item -ItemType Directory -Path '{directory}'), or give a path in an existing folder.");
        }

        if (File.Exists(full) && (File.GetAttributes(full) & FileAttributes.ReadOnly) != 0)
        {
            throw Refused(full, "is read-only", "Make the file writable (Set-ItemProperty -Path <file> -Name IsReadOnly -Value $false), or give another path.");
        }

        // A save writes a new file beside the checkpoint and renames it over the old one, so the folder must take
        // new files; find out now rather than after the invoices were read. The probe has the temporary files' name,
        // so that a run killed right here leaves nothing the next run does not remove.
        try
        {
            using var probe = new FileStream(Path.Combine(directory, TemporaryName(name)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw Refused(full, $"cannot be written: no new file can be created in '{directory}' ({ex.Message})", "Give a path in a folder you can write to.");
        }

        return full;
    }

    /// <summary>The error for a -Checkpoint value that is not a usable file path, for the reason given.</summary>
    public static InvoiceConfigurationException InvalidPath(string path, string reason) =>
        new($"-Checkpoint '{Printable(path)}' is not a valid file path: {reason?.TrimEnd('.')}.", "Give the path of a file, for example -Checkpoint './invoices.checkpoint.json'.") { ParameterName = "Checkpoint" };

    private static InvoiceConfigurationException Refused(string fullPath, string problem, string recommendedAction) =>
        new($"-Checkpoint '{fullPath}' {problem}.", recommendedAction) { ParameterName = "Checkpoint" };

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static string TemporaryName(string checkpointName) =>
        $"{checkpointName}.{Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)}.tmp";

    /// <summary>Whether <paramref name="fileName"/> is a name <see cref="TemporaryName"/> gives for <paramref name="checkpointName"/>: the name, a dot, 32 lowercase hex digits, ".tmp".</summary>
    internal static bool IsTemporaryOf(string fileName, string checkpointName)
    {
        // Windows compares names without case, so a run given -Checkpoint REVERE.JSON writes beside revere.json.
        var comparison = IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        const int Suffix = 1 + 32 + 4;
        return fileName.Length == checkpointName.Length + Suffix &&
            fileName.StartsWith(checkpointName, comparison) &&
            fileName[checkpointName.Length] == '.' &&
            fileName.EndsWith(".tmp", StringComparison.Ordinal) &&
            fileName.Substring(checkpointName.Length + 1, 32).All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
    }

    /// <summary>
    /// Removes the temporary files of <paramref name="path"/> that runs stopped mid-write left behind: only names this
    /// module gives (never another checkpoint's or a user's file), only older than <see cref="LeftoverAge"/>, not open
    /// in another run, and only while holding the lock. A file that cannot be removed is left. Returns the removed names.
    /// </summary>
    internal static IReadOnlyList<string> RemoveLeftovers(string path, DateTime utcNow)
    {
        var name = Path.GetFileName(path);
        var removed = new List<string>();
        FileInfo[] candidates;
        try
        {
            candidates = new DirectoryInfo(Path.GetDirectoryName(path)!).GetFiles("*.tmp");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder that can be written but not listed: the save goes on without the cleanup.
            return removed;
        }

        foreach (var file in candidates)
        {
            if (!IsTemporaryOf(file.Name, name) || (file.Attributes & FileAttributes.ReparsePoint) != 0 || utcNow - file.LastWriteTimeUtc < LeftoverAge)
            {
                continue;
            }

            try
            {
                // Opened without sharing first: a run writing its temporary file holds it so (FileShare.None, a
                // flock on Linux and macOS), and such a file is in use whatever its age.
                using (new FileStream(file.FullName, FileMode.Open, FileAccess.Read, IsWindows ? FileShare.Delete : FileShare.None))
                {
                    file.Delete();
                }

                removed.Add(file.Name);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // In use or protected: not this run's to force; the next run tries again.
            }
        }

        return removed;
    }

    /// <summary>
    /// Takes the lock file beside the checkpoint, waiting while another run holds it.
    /// </summary>
    /// <remarks>
    /// The lock is removed when a run ends (<see cref="ReleaseLock"/>), which must never let two runs hold it:
    /// <list type="bullet">
    /// <item>Windows: the holder opens it sharing nothing but delete, so no other run can open it while it is held
    /// (delete-while-held is impossible with FileShare.None, hence FileShare.Delete). Once deleted, the name is gone
    /// or, on older Windows, "delete pending" (opening it is denied, retried) until the holder closes it.</item>
    /// <item>Linux and macOS: FileShare.None is flock on the file itself, not on the name. A run that opened the name
    /// just before the holder deleted it gets the lock of a deleted file once the holder closes it, while a third
    /// run creates the name again and locks that: two holders. So the holder, after deleting the name, writes a
    /// mark into the file and only then closes it; a lock file with anything in it is one that was released and
    /// deleted, and is let go and opened again. A live lock file is always empty.</item>
    /// </list>
    /// </remarks>
    internal static FileStream AcquireLock(string lockPath) => FileRetry.Execute(() =>
    {
        FileStream gate;
        try
        {
            gate = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, IsWindows ? FileShare.Delete : FileShare.None);
        }
        catch (UnauthorizedAccessException ex) when (IsWindows)
        {
            throw new IOException($"The lock file '{lockPath}' is being deleted by the run that held it: {ex.Message}", ex);
        }

        if (IsLive(gate))
        {
            return gate;
        }

        gate.Dispose();
        throw new IOException($"The lock file '{lockPath}' was released and deleted by another run; opening it again.");
    });

    /// <summary>Whether a lock file just taken is the live one (empty), not one released and deleted by another run.</summary>
    internal static bool IsLive(FileStream gate) => gate.Length == 0;

    /// <summary>Deletes the lock file while holding it, marks it released (see <see cref="AcquireLock"/>), and closes it.</summary>
    internal static void ReleaseLock(FileStream gate, string lockPath)
    {
        try
        {
            File.Delete(lockPath);
            gate.WriteByte(Released);
            gate.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not deleted (a lock file a user made read-only, a share that refuses): an empty lock file left behind
            // is harmless, the next run takes it as it is.
        }
        finally
        {
            gate.Dispose();
        }
    }

    private static string AccountOf(InvoiceProviderConnection connection) =>
        connection.Provider + " " + connection.BaseUri.AbsoluteUri +
        string.Concat(connection.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => " " + s.Key + "=" + s.Value));

    private static string Hash(string text)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        return string.Concat(hash.Take(8).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static byte[]? ReadIfExists(string path)
    {
        try
        {
            return FileRetry.Execute(() => File.ReadAllBytes(path));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static JsonDocument Parse(string path, byte[] bytes)
    {
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object &&
                root.TryGetProperty("format", out var format) && format.ValueEquals(Format) &&
                root.TryGetProperty("version", out var version) && version.TryGetInt32(out var v) && v == Version &&
                root.TryGetProperty("scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Object &&
                scopes.EnumerateObject().All(s => s.Value.ValueKind == JsonValueKind.Object && s.Value.TryGetProperty("invoices", out var i) && i.ValueKind == JsonValueKind.Object))
            {
                return document;
            }
        }
        catch (JsonException)
        {
        }

        document?.Dispose();
        throw new InvoiceConfigurationException(
            Invariant($"The checkpoint file '{path}' is not an InvoiceTools checkpoint (format {Format}, version {Version})."),
            "Give -Checkpoint a new path, or delete the file to start over (the next run then returns every invoice).")
        { ParameterName = "Checkpoint" };
    }
}

/// <summary>One connection-and-query's part of a checkpoint file, during one run.</summary>
public sealed class CheckpointScope
{
    private readonly IReadOnlyDictionary<string, string> _previous;
    private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);
    private Invoice? _lastYielded;
    private string? _lastFingerprint;

    internal CheckpointScope(string path, string key, string provider, string account, string query, IReadOnlyDictionary<string, string> previous, DateTimeOffset? previousRunStartedAt)
    {
        Path = path;
        Key = key;
        Provider = provider;
        Account = account;
        Query = query;
        _previous = previous;
        PreviousRunStartedAt = previousRunStartedAt;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>When the last successful run of this scope began; null on the first run.</summary>
    public DateTimeOffset? PreviousRunStartedAt { get; }

    /// <summary>How many invoices the last successful run recorded.</summary>
    public int PreviousCount => _previous.Count;

    /// <summary>How many invoices this run recorded.</summary>
    public int RecordedCount => _seen.Count;

    internal string Key { get; }

    internal string Provider { get; }

    internal string Account { get; }

    internal string Query { get; }

    internal IReadOnlyDictionary<string, string> Seen => _seen;

    /// <summary>
    /// Where the provider can filter on the server by last update (Revolv3), narrows <paramref name="query"/> to what
    /// changed since a day before the last successful run began (a day, because the filter works in whole days and
    /// clocks drift). Returns the query unchanged where it cannot, or when the caller set an update range already.
    /// </summary>
    public InvoiceQuery Narrow(InvoiceQuery query, InvoiceProviderConnection connection, out string? note)
    {
        if (query is null || connection is null)
        {
            throw new ArgumentNullException(query is null ? nameof(query) : nameof(connection));
        }

        note = null;
        if (PreviousRunStartedAt is not DateTimeOffset previous || query.UpdatedAfter is not null || query.UpdatedBefore is not null ||
            !connection.Implementation.Descriptor.ProviderFilters.Contains("UpdatedAfter"))
        {
            return query;
        }

        var narrowed = query with { UpdatedAfter = previous.AddDays(-1) };
        try
        {
            connection.Implementation.Plan(narrowed, connection);
        }
        catch (InvoiceConfigurationException)
        {
            return query;
        }

        note = Invariant($"Checkpoint: asking {connection.Implementation.Descriptor.DisplayName} only for invoices updated since {narrowed.UpdatedAfter!.Value.UtcDateTime:u} (a day before the last run began).");
        return narrowed;
    }

    /// <summary>How many invoices <see cref="OnlyNewOrChanged"/> passed over because they had not changed.</summary>
    public int UnchangedCount { get; private set; }

    /// <summary>
    /// The invoices of <paramref name="source"/> that are new or changed. Unchanged ones are recorded and passed over;
    /// call <see cref="Delivered"/> for each one actually written, so that one skipped by -Skip is returned next time.
    /// </summary>
    public IEnumerable<Invoice> OnlyNewOrChanged(IEnumerable<Invoice> source)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        return Filter(source);
    }

    /// <summary>Records that <paramref name="invoice"/>, from <see cref="OnlyNewOrChanged"/>, reached the caller.</summary>
    public void Delivered(Invoice invoice)
    {
        if (invoice is null)
        {
            throw new ArgumentNullException(nameof(invoice));
        }

        Record(invoice, ReferenceEquals(invoice, _lastYielded) ? _lastFingerprint! : InvoiceFingerprint.Of(invoice));
    }

    private IEnumerable<Invoice> Filter(IEnumerable<Invoice> source)
    {
        foreach (var invoice in source)
        {
            if (IsNewOrChanged(invoice, out var fingerprint))
            {
                // Delivered usually follows at once for this invoice: keep its fingerprint rather than hash it twice.
                _lastYielded = invoice;
                _lastFingerprint = fingerprint;
                yield return invoice;
            }
            else
            {
                Record(invoice, fingerprint);
                UnchangedCount++;
            }
        }
    }

    /// <summary>Whether <paramref name="invoice"/> is new or changed since the last successful run; does not record it.</summary>
    public bool IsNewOrChanged(Invoice invoice, out string fingerprint)
    {
        if (invoice is null)
        {
            throw new ArgumentNullException(nameof(invoice));
        }

        fingerprint = InvoiceFingerprint.Of(invoice);
        return !_previous.TryGetValue(invoice.Id, out var before) || before != fingerprint;
    }

    /// <summary>Records that this run delivered (or did not need to deliver) <paramref name="invoice"/>.</summary>
    public void Record(Invoice invoice, string fingerprint)
    {
        if (invoice is null)
        {
            throw new ArgumentNullException(nameof(invoice));
        }

        _seen[invoice.Id] = fingerprint;
    }

    /// <summary>Saves what this run recorded. Call only when the run finished without error.</summary>
    public void Commit(DateTimeOffset startedAt, DateTimeOffset completedAt) => CheckpointFile.Commit(this, startedAt, completedAt);
}
