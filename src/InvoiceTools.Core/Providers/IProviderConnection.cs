using System;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// What a provider reads of an open connection when it plans a query, addresses a request and reads a response.
/// Connections (above Providers) implement it with <c>InvoiceProviderConnection</c>, so providers never name the
/// connection type.
/// </summary>
internal interface IProviderConnection
{
    /// <summary>The API root requests go to (it may itself have a path).</summary>
    Uri BaseUri { get; }

    /// <summary>The provider's own settings, read once at connect; its type is the provider's (RevereConfiguration, ...).</summary>
    ProviderConfiguration Configuration { get; }

    /// <summary>The connection's paging options; a provider reads the page size set at connect (-PageSize).</summary>
    PagingOptions Paging { get; }

    /// <summary>The time invoices are judged against (Kitchen's overdue): now, or the sandbox's day for a sandbox connection.</summary>
    DateTimeOffset Now { get; }
}
