using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace InvoiceTools;

/// <summary>
/// The fields of one page that held a value of an unexpected JSON type, counted in invoices: those read leniently
/// (<see cref="Coerced"/>) and those left null (<see cref="Dropped"/>). Field names are JSON paths such as
/// <c>items[].quantity</c>. Deserialization is synchronous, so the log of the page being read lives on its thread.
/// </summary>
internal sealed class FieldReadLog
{
    [ThreadStatic]
    private static FieldReadLog? s_current;

    private readonly HashSet<string> _itemCoerced = new(StringComparer.Ordinal);
    private readonly HashSet<string> _itemDropped = new(StringComparer.Ordinal);
    private string _prefix = string.Empty;

    /// <summary>Field path → number of invoices whose value was read from another JSON type.</summary>
    public Dictionary<string, int> CoercedCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Field path → number of invoices whose value was unusable and left null (kept in Raw).</summary>
    public Dictionary<string, int> DroppedCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Makes this the log of the current thread until the result is disposed.</summary>
    public IDisposable Activate()
    {
        var previous = s_current;
        s_current = this;
        return new Restore(() => s_current = previous);
    }

    /// <summary>Counts what the invoice just read recorded, once per field.</summary>
    public void EndItem()
    {
        Tally(_itemCoerced, CoercedCounts);
        Tally(_itemDropped, DroppedCounts);
    }

    /// <summary>Forgets what a failed item recorded.</summary>
    public void DiscardItem()
    {
        _itemCoerced.Clear();
        _itemDropped.Clear();
    }

    internal static void Coerced(string name)
    {
        if (s_current is { } log)
        {
            log._itemCoerced.Add(log.Path(name));
        }
    }

    /// <summary>Records that the field <paramref name="name"/> of the invoice being read was left empty.</summary>
    internal static void Dropped(string name)
    {
        if (s_current is { } log)
        {
            log._itemDropped.Add(log.Path(name));
        }
    }

    internal static IDisposable Within(string name)
    {
        if (s_current is not { } log)
        {
            return new Restore(() => { });
        }

        var saved = log._prefix;
        log._prefix = saved + name + ".";
        return new Restore(() => log._prefix = saved);
    }

    private static void Tally(HashSet<string> fields, Dictionary<string, int> counts)
    {
        foreach (var field in fields)
        {
            counts[field] = counts.TryGetValue(field, out var n) ? n + 1 : 1;
        }

        fields.Clear();
    }

    private string Path(string name) => name.Length == 0 ? _prefix.TrimEnd('.') : _prefix + name;

    private sealed class Restore : IDisposable
    {
        private Action? _undo;

        public Restore(Action undo) => _undo = undo;

        public void Dispose()
        {
            _undo?.Invoke();
            _undo = null;
        }
    }
}

/// <summary>Run-wide counts of <see cref="FieldReadLog"/> pages, for the one warning a run gives.</summary>
internal sealed class FieldReadTally
{
    private readonly Dictionary<string, int> _coerced = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _dropped = new(StringComparer.Ordinal);

    /// <summary>True when some page recorded a field.</summary>
    public bool Any => _coerced.Count > 0 || _dropped.Count > 0;

    /// <summary>Adds one page's counts.</summary>
    public void Add(FieldReadLog? page)
    {
        if (page is null)
        {
            return;
        }

        Merge(page.CoercedCounts, _coerced);
        Merge(page.DroppedCounts, _dropped);
    }

    /// <summary>"due_date (2 invoices), items[].quantity (1 invoice)" for values left null; null when there were none.</summary>
    public string? DroppedSummary => Summary(_dropped);

    /// <summary>The same for values read from another JSON type.</summary>
    public string? CoercedSummary => Summary(_coerced);

    private static string? Summary(Dictionary<string, int> counts) =>
        counts.Count == 0
            ? null
            : string.Join(", ", counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} ({p.Value.ToString(CultureInfo.InvariantCulture)} invoice{(p.Value == 1 ? string.Empty : "s")})"));

    private static void Merge(Dictionary<string, int> from, Dictionary<string, int> into)
    {
        foreach (var pair in from)
        {
            into[pair.Key] = into.TryGetValue(pair.Key, out var n) ? n + pair.Value : pair.Value;
        }
    }
}
