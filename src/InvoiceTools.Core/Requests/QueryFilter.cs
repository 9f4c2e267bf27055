using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace InvoiceTools.Requests;

/// <summary>
/// Names an <see cref="InvoiceQuery"/> property's Get-Invoice parameter where the two differ (Statuses is -Status),
/// and marks the filters only some providers honour. A property without it is a filter every provider honours,
/// under its own name.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class QueryFilterAttribute : Attribute
{
    /// <summary>A filter named as its property.</summary>
    public QueryFilterAttribute()
    {
    }

    /// <summary>A filter whose Get-Invoice parameter is <paramref name="parameter"/>.</summary>
    public QueryFilterAttribute(string parameter) => Parameter = parameter;

    /// <summary>The Get-Invoice parameter, or null for the property's name.</summary>
    public string? Parameter { get; }

    /// <summary>True when only some providers honour the filter; a query that uses it is refused by the others.</summary>
    public bool ProviderOnly { get; set; }
}

/// <summary>
/// One Get-Invoice filter, read from <see cref="InvoiceQuery"/>'s declaration: every public property but the paging
/// ones is a filter, so the checkpoint scope (<see cref="InvoiceQuery.Signature"/>), the provider-only names a
/// provider is checked against, and the convention tests all follow the query's one list.
/// </summary>
internal sealed class QueryFilter
{
    /// <summary>Properties that say how to page, not what to list: they never change a checkpoint's scope.</summary>
    private static readonly HashSet<string> PagingProperties = new(StringComparer.Ordinal) { nameof(InvoiceQuery.PageSize), nameof(InvoiceQuery.Skip), nameof(InvoiceQuery.First) };

    private readonly PropertyInfo _property;

    private QueryFilter(PropertyInfo property)
    {
        _property = property;
        var declared = property.GetCustomAttribute<QueryFilterAttribute>();
        Name = declared?.Parameter ?? property.Name;
        ProviderOnly = declared?.ProviderOnly ?? false;
    }

    /// <summary>Every filter, in the query's declaration order.</summary>
    public static IReadOnlyList<QueryFilter> All { get; } = typeof(InvoiceQuery)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => !PagingProperties.Contains(p.Name))
        .OrderBy(p => p.MetadataToken)
        .Select(p => new QueryFilter(p))
        .ToList();

    /// <summary>
    /// The time ranges: each instant filter named <c>XAfter</c> with its <c>XBefore</c> (CreatedAfter and CreatedBefore,
    /// PaidAfter and PaidBefore, ...), in the query's order. A query whose lower bound is not before its upper one is refused.
    /// </summary>
    public static IReadOnlyList<(QueryFilter After, QueryFilter Before)> Ranges { get; } = All
        .Where(f => Nullable.GetUnderlyingType(f.Type) == typeof(DateTimeOffset) && f.Name.EndsWith("After", StringComparison.Ordinal))
        .Select(f => (After: f, Before: All.FirstOrDefault(b => b.Name == $"{f.Name.Substring(0, f.Name.Length - "After".Length)}Before")))
        .Where(r => r.Before is not null)
        .Select(r => (r.After, r.Before!))
        .ToList();

    /// <summary>The Get-Invoice parameter (Status, ClientType, PaidAfter, ...).</summary>
    public string Name { get; }

    /// <summary>The query property that holds it (Statuses, ClientTypes, PaidAfter, ...).</summary>
    public string Property => _property.Name;

    /// <summary>The property's type: a nullable instant, text, an enum, or a read-only list of one of them.</summary>
    public Type Type => _property.PropertyType;

    /// <summary>True when only some providers honour it (<see cref="QueryFilterAttribute.ProviderOnly"/>).</summary>
    public bool ProviderOnly { get; }

    /// <summary>The filter named <paramref name="name"/> (its parameter name, case-sensitive).</summary>
    /// <exception cref="ArgumentException">No filter has that name.</exception>
    public static QueryFilter Named(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"No Get-Invoice filter is named '{name}'.", nameof(name));

    /// <summary>The filter's value in <paramref name="query"/>, or null.</summary>
    public object? Value(InvoiceQuery query) => _property.GetValue(query ?? throw new ArgumentNullException(nameof(query)));

    /// <summary>True when <paramref name="query"/> uses the filter: a value that is not null, empty text or an empty list.</summary>
    public bool IsSet(InvoiceQuery query) => Value(query) switch
    {
        null => false,
        string text => text.Length > 0,
        IEnumerable list => list.Cast<object>().Any(),
        _ => true,
    };
}
