using System;
using System.Collections.Generic;
using System.Linq;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// Where one provider applies one or more Get-Invoice filters: sent to the server (under the query parameters
/// <see cref="Detail"/> names) or applied by the module after download. A provider declares its uses once; its
/// descriptor's ServerFilters, ClientFilters and ProviderFilters are read from them.
/// </summary>
internal sealed class FilterUse
{
    private FilterUse(bool onServer, string? detail, string[] filters)
    {
        if (filters.Length == 0)
        {
            throw new ArgumentException("A filter use names at least one filter.", nameof(filters));
        }

        OnServer = onServer;
        Detail = detail;
        Filters = filters.Select(QueryFilter.Named).ToList();
    }

    /// <summary>The filters (a range's two bounds are one use: CreatedAfter/CreatedBefore).</summary>
    public IReadOnlyList<QueryFilter> Filters { get; }

    /// <summary>True when the server applies them; false when the module does.</summary>
    public bool OnServer { get; }

    /// <summary>The query parameters they go to, or how they are applied, in words; null when there is nothing to add.</summary>
    public string? Detail { get; }

    /// <summary>As Get-InvoiceProvider shows it: <c>CreatedAfter/CreatedBefore (created_after/created_before)</c>.</summary>
    public string Text => Detail is null ? string.Join("/", Filters.Select(f => f.Name)) : $"{string.Join("/", Filters.Select(f => f.Name))} ({Detail})";

    /// <summary>Filters the server applies, sent as <paramref name="parameters"/> (or applied as it says).</summary>
    public static FilterUse Server(string parameters, params string[] filters) => new(true, parameters, filters);

    /// <summary>Filters the module applies after download.</summary>
    public static FilterUse Module(params string[] filters) => new(false, null, filters);

    /// <summary>Filters the module applies after download, with how (<paramref name="how"/>) in words.</summary>
    public static FilterUse ModuleAs(string how, params string[] filters) => new(false, how, filters);
}
