using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using Polly;
using Polly.Retry;

namespace InvoiceTools.Checkpoints;

/// <summary>
/// The -Checkpoint file: for each connection-and-query scope, the fingerprint of every invoice the last successful
/// run saw. It holds ids and 64-bit hashes, never invoices or keys. Writes are atomic (a temporary file renamed over
/// the old one) and serialized by a lock file, so concurrent runs never corrupt it.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The value of the file's "format" property.</summary>
    public const string Format = "InvoiceTools.Checkpoint";

    /// <summary>The file layout version this module writes.</summary>
    public const int Version = 1;

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
    /// <exception cref="InvoiceConfigurationException">The file exists but is not a checkpoint this module can read.</exception>
    public static CheckpointScope Open(string path, InvoiceProviderConnection connection, InvoiceQuery query)
    {
        if (string.IsNullOrWhiteSpace(path) || connection is null || query is null)
        {
            throw new ArgumentNullException(string.IsNullOrWhiteSpace(path) ? nameof(path) : connection is null ? nameof(connection) : nameof(query));
        }

        var fullPath = Path.GetFullPath(path);
        var account = AccountOf(connection);
        var signature = query.Signature();
        var key = Hash(account + "\n" + signature);
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        DateTimeOffset? startedAt = null;
        var bytes = ReadIfExists(fullPath);
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
        Directory.CreateDirectory(directory);
        using var gate = FileRetry.Execute(() => new FileStream(scope.Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));

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

        var temporary = Path.Combine(directory, Path.GetFileName(scope.Path) + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".tmp");
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
                    writer.WriteString("provider", scope.Provider.ToString());
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
            "The checkpoint file '" + path + "' is not an InvoiceTools checkpoint (format " + Format + ", version " + Version.ToString(CultureInfo.InvariantCulture) + ").",
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

    internal CheckpointScope(string path, string key, InvoiceProviderKind provider, string account, string query, IReadOnlyDictionary<string, string> previous, DateTimeOffset? previousRunStartedAt)
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

    internal InvoiceProviderKind Provider { get; }

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

        note = "Checkpoint: asking " + connection.Implementation.Descriptor.DisplayName + " only for invoices updated since " + narrowed.UpdatedAfter!.Value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) + " (a day before the last run began).";
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
