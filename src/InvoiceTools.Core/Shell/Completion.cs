using System;
using System.Collections.Generic;
using System.Linq;

namespace InvoiceTools.Shell;

/// <summary>One tab-completion candidate: the text to insert (quoted when PowerShell needs it) and the text to list.</summary>
public sealed class CompletionCandidate
{
    internal CompletionCandidate(string completionText, string listItemText, string toolTip)
    {
        CompletionText = completionText;
        ListItemText = listItemText;
        ToolTip = toolTip;
    }

    /// <summary>What replaces the word being completed.</summary>
    public string CompletionText { get; }

    /// <summary>What the completion menu shows.</summary>
    public string ListItemText { get; }

    /// <summary>The tooltip.</summary>
    public string ToolTip { get; }
}

/// <summary>The logic of the module's argument completers, kept free of PowerShell so that it can be tested.</summary>
public static class Completion
{
    private static readonly char[] NeedsQuotes = { ' ', '\t', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '@', '#', '|', '&', '<', '>' };

    /// <summary>
    /// The candidates that start with <paramref name="wordToComplete"/> (case-insensitive, surrounding quotes ignored),
    /// in their given order, each quoted if PowerShell would otherwise split or expand it.
    /// </summary>
    public static IReadOnlyList<CompletionCandidate> Complete(IEnumerable<KeyValuePair<string, string>> candidates, string? wordToComplete)
    {
        if (candidates is null)
        {
            throw new ArgumentNullException(nameof(candidates));
        }

        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var results = new List<CompletionCandidate>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var candidate in candidates)
        {
            if (candidate.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && seen.Add(candidate.Key))
            {
                results.Add(new CompletionCandidate(Quote(candidate.Key), candidate.Key, string.IsNullOrEmpty(candidate.Value) ? candidate.Key : candidate.Value));
            }
        }

        return results;
    }

    /// <summary>The candidates with no tooltip of their own.</summary>
    public static IReadOnlyList<CompletionCandidate> Complete(IEnumerable<string> candidates, string? wordToComplete)
    {
        if (candidates is null)
        {
            throw new ArgumentNullException(nameof(candidates));
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var candidate in candidates)
        {
            pairs.Add(new KeyValuePair<string, string>(candidate, candidate));
        }

        return Complete(pairs, wordToComplete);
    }

    /// <summary>
    /// -Status candidates for the providers of the connections in play: the statuses their invoices can have, with the
    /// provider words behind each as the tooltip ("Overdue: past_due (Revere)"). Every status when no provider is known.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Statuses(IEnumerable<Providers.ProviderDescriptor> providers)
    {
        var list = (providers ?? Enumerable.Empty<Providers.ProviderDescriptor>()).Distinct().ToList();
        var statuses = list.Count == 0
            ? Enum.GetValues(typeof(InvoiceStatus)).Cast<InvoiceStatus>().ToList()
            : list.SelectMany(p => p.Statuses).Distinct().OrderBy(s => s).ToList();
        return statuses.Select(status =>
        {
            var words = list.SelectMany(p => p.StatusMap.Where(w => w.Value == status).Select(w => $"{w.Key} ({p.Kind})")
                .Concat(p.DerivedStatuses.Contains(status) ? new[] { $"worked out by the module ({p.Kind})" } : Array.Empty<string>())).ToList();
            var tip = status == InvoiceStatus.Unknown ? "Unknown: a provider status the module does not know" : words.Count == 0 ? status.ToString() : $"{status}: {string.Join(", ", words)}";
            return new KeyValuePair<string, string>(status.ToString(), tip);
        }).ToList();
    }

    /// <summary>Xendit's common payment channel codes, for -PaymentChannel.</summary>
    public static IReadOnlyList<string> PaymentChannels => Providers.XenditProvider.PaymentChannels;

    /// <summary>A single-quoted PowerShell literal when <paramref name="value"/> has characters the parser treats specially.</summary>
    public static string Quote(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        return value.Length == 0 || value.IndexOfAny(NeedsQuotes) >= 0 || value[0] == '-'
            ? "'" + value.Replace("'", "''") + "'"
            : value;
    }
}
