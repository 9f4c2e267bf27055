using System;
using System.Collections.Generic;
using System.Linq;
using static System.FormattableString;

namespace InvoiceTools.Requests;

/// <summary>
/// How a query runs against one provider: the parameters sent to the server, the filters the module applies
/// itself, and the page size. Built, and validated, before any request is sent.
/// </summary>
internal sealed class QueryPlan
{
    private readonly List<KeyValuePair<string, string>> _serverParameters = new();
    private readonly List<string> _serverFilters = new();
    private readonly List<string> _clientFilters = new();
    private readonly List<Func<Invoice, bool>> _clientPredicates = new();
    private readonly List<string> _notes = new();

    /// <summary>Creates an empty plan for <paramref name="query"/>.</summary>
    public QueryPlan(InvoiceQuery query, int pageSize)
    {
        Query = query ?? throw new ArgumentNullException(nameof(query));
        PageSize = pageSize;
    }

    /// <summary>The query being planned.</summary>
    public InvoiceQuery Query { get; }

    /// <summary>Invoices per request.</summary>
    public int PageSize { get; internal set; }

    /// <summary>The list endpoint, when the plan chose one other than the provider's default (for example Revolv3's v1).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The -CreatedAfter bound when the module applies it (not the server), so newest-first paging can stop early.</summary>
    public DateTimeOffset? ClientCreatedAfter { get; set; }

    /// <summary>How many invoices the server skips for us (offset paging with no client filter).</summary>
    public long ServerSkip { get; set; }

    /// <summary>The filter parameters sent with every request, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ServerParameters => _serverParameters;

    /// <summary>Descriptions of the filters the server applies.</summary>
    public IReadOnlyList<string> ServerFilters => _serverFilters;

    /// <summary>Descriptions of the filters the module applies.</summary>
    public IReadOnlyList<string> ClientFilters => _clientFilters;

    /// <summary>Remarks for -Verbose (for example statuses the provider does not have).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>True when the module filters after download.</summary>
    public bool HasClientFilter => _clientPredicates.Count > 0;

    /// <summary>Sends a filter to the server.</summary>
    public void AddServerFilter(string parameter, string value, string description)
    {
        _serverParameters.Add(new KeyValuePair<string, string>(parameter, value));
        _serverFilters.Add(description);
    }

    /// <summary>Applies a filter after download.</summary>
    public void AddClientFilter(string description, Func<Invoice, bool> predicate)
    {
        _clientFilters.Add(description);
        _clientPredicates.Add(predicate);
    }

    /// <summary>Adds a remark for -Verbose.</summary>
    public void AddNote(string note) => _notes.Add(note);

    /// <summary>True when <paramref name="invoice"/> passes every client-side filter.</summary>
    public bool Matches(Invoice invoice)
    {
        foreach (var predicate in _clientPredicates)
        {
            if (!predicate(invoice))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One line for -Verbose: which filters go where.</summary>
    public string Describe()
    {
        var server = _serverFilters.Count == 0 ? "none" : string.Join(", ", _serverFilters);
        var client = _clientFilters.Count == 0 ? "none" : string.Join(", ", _clientFilters);
        var skip = ServerSkip > 0 ? Invariant($", server skips {ServerSkip}") : string.Empty;
        var notes = string.Concat(_notes.Select(n => $" {n.TrimEnd('.')}."));
        return Invariant($"Filters sent to the server: {server}. Filters applied by the module: {client}. Page size {PageSize}{skip}.{notes}");
    }
}
