using System;
using System.Collections.Generic;

namespace InvoiceTools.Engine;

/// <summary>Where the next request starts: whichever of offset, page number, next link or cursor the strategy uses.</summary>
internal sealed record PageState
{
    /// <summary>0-based count of pages already requested.</summary>
    public int PageIndex { get; init; }

    /// <summary>Items to skip (offset/limit paging).</summary>
    public long Offset { get; init; }

    /// <summary>1-based page number (page-number paging).</summary>
    public int PageNumber { get; init; } = 1;

    /// <summary>The link to follow (next-link paging).</summary>
    public Uri? NextLink { get; init; }

    /// <summary>The cursor to send (cursor paging).</summary>
    public string? Cursor { get; init; }

    /// <summary>True when the page was addressed by number rather than by the link the previous page gave (parallel paging).</summary>
    public bool ByNumber { get; init; }
}

/// <summary>One parsed page.</summary>
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

    /// <summary>The last page number, when the provider reports it.</summary>
    public int? LastPage { get; init; }

    /// <summary>The link to the next page, when the provider gives one (absolute or relative).</summary>
    public string? NextLink { get; init; }

    /// <summary>True when the provider says there is no further page.</summary>
    public bool? HasMore { get; init; }

    /// <summary>The fields of this page's invoices that held a value of an unexpected JSON type.</summary>
    public Providers.FieldReadLog? FieldReads { get; init; }
}
