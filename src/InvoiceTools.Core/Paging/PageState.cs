using System;

namespace InvoiceTools.Paging;

/// <summary>Where a request starts. Each pager has its own state type; what they share is the page's place in the run.</summary>
internal abstract record PageState
{
    /// <summary>0-based count of pages already requested.</summary>
    public int PageIndex { get; init; }
}

/// <summary>Where an offset/limit request starts (<see cref="OffsetLimitPaging"/>).</summary>
internal sealed record OffsetState : PageState
{
    /// <summary>Items to skip.</summary>
    public long Offset { get; init; }
}

/// <summary>Where a page-number request starts (<see cref="PageNumberPaging"/>).</summary>
internal sealed record PageNumberState : PageState
{
    /// <summary>1-based page number.</summary>
    public int PageNumber { get; init; } = 1;
}

/// <summary>Where a next-link request starts (<see cref="NextLinkPaging"/>).</summary>
internal sealed record NextLinkState : PageState
{
    /// <summary>The link to follow; null on the first page.</summary>
    public Uri? NextLink { get; init; }

    /// <summary>The 1-based page number this request reads: 1 for the first page, then the number after the previous page's when the provider reports page numbers, 0 when it does not.</summary>
    public int PageNumber { get; init; }

    /// <summary>True when the page was addressed by number from another page's link rather than by the link the previous page gave (parallel paging).</summary>
    public bool ByNumber { get; init; }
}

/// <summary>Where a cursor request starts (<see cref="CursorPaging"/>).</summary>
internal sealed record CursorState : PageState
{
    /// <summary>The cursor to send: the id of the previous page's last invoice; null on the first page.</summary>
    public string? Cursor { get; init; }
}
