using System;
using System.Collections.Generic;

namespace InvoiceTools.Paging;

/// <summary>One parsed page: its invoices and what the provider said about paging.</summary>
internal sealed class InvoicePage
{
    /// <summary>Creates a page.</summary>
    public InvoicePage(IReadOnlyList<Invoice> items) => Items = items ?? throw new ArgumentNullException(nameof(items));

    /// <summary>The invoices on the page, in the provider's order.</summary>
    public IReadOnlyList<Invoice> Items { get; }

    /// <summary>The provider's count of all matching invoices, when it reports one.</summary>
    public long? TotalCount { get; init; }

    /// <summary>The current page number, when the provider reports it.</summary>
    public int? CurrentPage { get; init; }

    /// <summary>The last page number, counted from 1 as the pagers count, when the provider reports it.</summary>
    public int? LastPage { get; init; }

    /// <summary>The link to the next page, when the provider gives one (absolute or relative).</summary>
    public string? NextLink { get; init; }

    /// <summary>The cursor of the next page, when the provider gives one in the answer (a defined provider's NextCursor).</summary>
    public string? NextCursor { get; init; }

    /// <summary>True when the provider says there is no further page.</summary>
    public bool? HasMore { get; init; }

    /// <summary>The fields of this page's invoices that held a value of an unexpected JSON type.</summary>
    public FieldReadLog? FieldReads { get; init; }
}
