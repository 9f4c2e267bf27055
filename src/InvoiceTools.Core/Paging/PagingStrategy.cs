using System;
using System.Collections.Generic;
using System.Globalization;

namespace InvoiceTools.Paging;

/// <summary>
/// How a provider pages, shared by every provider that pages the same way: the pager owns the paging parameters and
/// decides when to stop; the provider only names them. This is the face the page source and the read-ahead use;
/// each pager implements <see cref="PagingStrategy{TState}"/> with its own state type.
/// </summary>
internal abstract class PagingStrategy
{
    /// <summary>The state of the first request. <paramref name="serverSkip"/> is how many items the server may skip for us.</summary>
    public PageState First(long serverSkip) => Start(serverSkip);

    /// <summary>The paging parameters to add to the request for <paramref name="state"/>.</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> Parameters(PageState state, int pageSize);

    /// <summary>The state after <paramref name="page"/>, or null when it was the last.</summary>
    /// <exception cref="InvoicePagingException">The page cannot lead anywhere new (a cursor that did not move).</exception>
    public abstract PageState? Advance(PageState state, InvoicePage page, int pageSize);

    /// <summary>True when the server can skip items (offset paging), so -Skip costs no requests.</summary>
    public virtual bool SupportsServerSkip => false;

    /// <summary>
    /// The state after <paramref name="state"/> worked out without its page, from what an earlier page
    /// (<paramref name="known"/>) said about the total, so that later pages can be fetched in parallel; null when
    /// the provider's paging cannot be addressed that way or <paramref name="state"/> is the last page.
    /// <paramref name="fullPage"/> is the number of invoices a full page held.
    /// </summary>
    public abstract PageState? Predict(PageState state, InvoicePage known, int fullPage);

    /// <summary>True when <paramref name="scheduled"/> asks for the same page as <paramref name="expected"/>.</summary>
    public abstract bool SamePage(PageState expected, PageState scheduled);

    /// <summary>False when <paramref name="page"/> says it is not the page <paramref name="state"/> asked for (a page number the server ignored).</summary>
    public abstract bool Confirms(PageState state, InvoicePage page);

    /// <summary>The link a request for <paramref name="state"/> follows instead of the list endpoint; null for the endpoint.</summary>
    public abstract Uri? Link(PageState state);

    /// <summary>
    /// Where a state points in the server's own terms (a next link or a cursor), or null for positions the module
    /// counts itself (offsets, page numbers). The run refuses one it has met before: a server whose links or cursors
    /// go in a circle would otherwise be read forever.
    /// </summary>
    public virtual string? Position(PageState state) => Link(state)?.OriginalString;

    /// <summary>The first state, typed by the pager.</summary>
    protected abstract PageState Start(long serverSkip);

    /// <summary>Formats an integer for a query string.</summary>
    protected static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A pager with its own state type: the untyped calls of <see cref="PagingStrategy"/> reach the typed ones here.</summary>
/// <typeparam name="TState">What one request of this pager needs to know.</typeparam>
internal abstract class PagingStrategy<TState> : PagingStrategy
    where TState : PageState
{
    /// <summary>The state of the first request. <paramref name="serverSkip"/> is how many items the server may skip for us.</summary>
    public new abstract TState First(long serverSkip);

    /// <inheritdoc cref="PagingStrategy.Parameters(PageState, int)"/>
    public abstract IEnumerable<KeyValuePair<string, string>> Parameters(TState state, int pageSize);

    /// <inheritdoc cref="PagingStrategy.Advance(PageState, InvoicePage, int)"/>
    public abstract TState? Advance(TState state, InvoicePage page, int pageSize);

    /// <inheritdoc cref="PagingStrategy.Predict(PageState, InvoicePage, int)"/>
    public virtual TState? Predict(TState state, InvoicePage known, int fullPage) => null;

    /// <inheritdoc cref="PagingStrategy.SamePage(PageState, PageState)"/>
    public virtual bool SamePage(TState expected, TState scheduled) => Equals(expected, scheduled);

    /// <inheritdoc cref="PagingStrategy.Confirms(PageState, InvoicePage)"/>
    public virtual bool Confirms(TState state, InvoicePage page) => true;

    /// <inheritdoc cref="PagingStrategy.Link(PageState)"/>
    public virtual Uri? Link(TState state) => null;

    /// <inheritdoc />
    public sealed override IEnumerable<KeyValuePair<string, string>> Parameters(PageState state, int pageSize) => Parameters(Typed(state), pageSize);

    /// <inheritdoc />
    public sealed override PageState? Advance(PageState state, InvoicePage page, int pageSize) => Advance(Typed(state), page, pageSize);

    /// <inheritdoc />
    public sealed override PageState? Predict(PageState state, InvoicePage known, int fullPage) => Predict(Typed(state), known, fullPage);

    /// <inheritdoc />
    public sealed override bool SamePage(PageState expected, PageState scheduled) =>
        expected is TState typedExpected && scheduled is TState typedScheduled ? SamePage(typedExpected, typedScheduled) : Equals(expected, scheduled);

    /// <inheritdoc />
    public sealed override bool Confirms(PageState state, InvoicePage page) => state is null || page is null || Confirms(Typed(state), page);

    /// <inheritdoc />
    public sealed override Uri? Link(PageState state) => Link(Typed(state));

    /// <inheritdoc />
    protected sealed override PageState Start(long serverSkip) => First(serverSkip);

    private static TState Typed(PageState state) => state switch
    {
        null => throw new ArgumentNullException(nameof(state)),
        TState typed => typed,
        _ => throw new ArgumentException($"A {state.GetType().Name} is not a state of this pager, which takes {typeof(TState).Name}.", nameof(state)),
    };
}

/// <summary><c>limit</c>/<c>offset</c> paging; stops on an empty page or once <c>offset</c> reaches the total.</summary>
internal sealed class OffsetLimitPaging : PagingStrategy<OffsetState>
{
    private readonly string _limitName;
    private readonly string _offsetName;

    /// <summary>Creates the pager with the provider's parameter names.</summary>
    public OffsetLimitPaging(string limitName = "limit", string offsetName = "offset")
    {
        _limitName = limitName;
        _offsetName = offsetName;
    }

    /// <inheritdoc />
    public override bool SupportsServerSkip => true;

    /// <inheritdoc />
    public override OffsetState First(long serverSkip) => new() { Offset = serverSkip };

    /// <inheritdoc />
    public override IEnumerable<KeyValuePair<string, string>> Parameters(OffsetState state, int pageSize)
    {
        if (state is null)
        {
            throw new ArgumentNullException(nameof(state));
        }

        return new KeyValuePair<string, string>[] { new(_limitName, Invariant(pageSize)), new(_offsetName, Invariant(state.Offset)) };
    }

    /// <inheritdoc />
    public override OffsetState? Advance(OffsetState state, InvoicePage page, int pageSize)
    {
        if (state is null || page is null)
        {
            throw new ArgumentNullException(state is null ? nameof(state) : nameof(page));
        }

        var next = state.Offset + page.Items.Count;
        if (page.Items.Count == 0 || (page.TotalCount is long total && next >= total) || (page.TotalCount is null && page.Items.Count < pageSize))
        {
            return null;
        }

        return state with { PageIndex = state.PageIndex + 1, Offset = next };
    }

    /// <inheritdoc />
    public override OffsetState? Predict(OffsetState state, InvoicePage known, int fullPage)
    {
        if (state is null || known is null)
        {
            throw new ArgumentNullException(state is null ? nameof(state) : nameof(known));
        }

        var next = state.Offset + fullPage;
        return fullPage > 0 && known.TotalCount is long total && next < total ? state with { PageIndex = state.PageIndex + 1, Offset = next } : null;
    }
}

/// <summary>1-based <c>page</c>/<c>page size</c> paging; stops at <c>last_page</c>, at the total, or on a short page when neither is reported.</summary>
internal sealed class PageNumberPaging : PagingStrategy<PageNumberState>
{
    private readonly string _pageName;
    private readonly string _sizeName;
    private readonly int _firstPage;

    /// <summary>Creates the pager with the provider's parameter names; <paramref name="firstPage"/> is the number the API gives its first page (1, or 0).</summary>
    public PageNumberPaging(string pageName = "page", string sizeName = "per_page", int firstPage = 1)
    {
        _pageName = pageName;
        _sizeName = sizeName;
        _firstPage = firstPage;
    }

    /// <inheritdoc />
    public override PageNumberState First(long serverSkip) => new() { PageNumber = 1 };

    /// <inheritdoc />
    public override IEnumerable<KeyValuePair<string, string>> Parameters(PageNumberState state, int pageSize)
    {
        if (state is null)
        {
            throw new ArgumentNullException(nameof(state));
        }

        // PageNumber counts from 1 whatever the API's first page is.
        return new KeyValuePair<string, string>[] { new(_pageName, Invariant(state.PageNumber - 1 + _firstPage)), new(_sizeName, Invariant(pageSize)) };
    }

    /// <inheritdoc />
    public override PageNumberState? Advance(PageNumberState state, InvoicePage page, int pageSize)
    {
        if (state is null || page is null)
        {
            throw new ArgumentNullException(state is null ? nameof(state) : nameof(page));
        }

        var current = page.CurrentPage ?? state.PageNumber;
        var last = page.Items.Count == 0 || page.HasMore == false
            || (page.LastPage is int lastPage && current >= lastPage)
            || (page.LastPage is null && page.TotalCount is long total && (long)current * pageSize >= total)
            || (page.LastPage is null && page.TotalCount is null && page.HasMore != true && page.Items.Count < pageSize);
        return last ? null : state with { PageIndex = state.PageIndex + 1, PageNumber = current + 1 };
    }

    /// <inheritdoc />
    public override PageNumberState? Predict(PageNumberState state, InvoicePage known, int fullPage)
    {
        if (state is null || known is null)
        {
            throw new ArgumentNullException(state is null ? nameof(state) : nameof(known));
        }

        bool within;
        if (known.LastPage is int last)
        {
            within = state.PageNumber < last;
        }
        else
        {
            within = known.TotalCount is long total && fullPage > 0 && (long)state.PageNumber * fullPage < total;
        }

        return within ? state with { PageIndex = state.PageIndex + 1, PageNumber = state.PageNumber + 1 } : null;
    }
}

/// <summary>
/// Follows the provider's next link until it is null or the last page is reached. When the provider also reports
/// the current and last page numbers (Laravel's length-aware paginator), later pages can be addressed by number.
/// </summary>
internal sealed class NextLinkPaging : PagingStrategy<NextLinkState>
{
    private readonly string? _sizeName;
    private readonly string _pageName;

    /// <summary>Creates the pager; <paramref name="sizeName"/> sets the page size (null: the API takes none), <paramref name="pageName"/> addresses a page by number.</summary>
    public NextLinkPaging(string? sizeName = "per_page", string pageName = "page")
    {
        _sizeName = sizeName;
        _pageName = pageName;
    }

    /// <inheritdoc />
    public override NextLinkState First(long serverSkip) => new() { PageNumber = 1 };

    /// <inheritdoc />
    public override IEnumerable<KeyValuePair<string, string>> Parameters(NextLinkState state, int pageSize)
    {
        if (state is null)
        {
            throw new ArgumentNullException(nameof(state));
        }

        // Sent on followed links too: servers that drop the query string from next links would otherwise fall back to their default size.
        if (_sizeName is null)
        {
            return Array.Empty<KeyValuePair<string, string>>();
        }

        var size = new KeyValuePair<string, string>(_sizeName, Invariant(pageSize));
        return state.ByNumber ? new[] { size, new(_pageName, Invariant(state.PageNumber)) } : new[] { size };
    }

    /// <inheritdoc />
    public override NextLinkState? Advance(NextLinkState state, InvoicePage page, int pageSize)
    {
        if (state is null || page is null)
        {
            throw new ArgumentNullException(state is null ? nameof(state) : nameof(page));
        }

        if (page.Items.Count == 0 || page.HasMore == false || string.IsNullOrEmpty(page.NextLink)
            || (page.CurrentPage is int current && page.LastPage is int last && current >= last))
        {
            return null;
        }

        return state with
        {
            PageIndex = state.PageIndex + 1,
            NextLink = new Uri(page.NextLink, UriKind.RelativeOrAbsolute),
            PageNumber = page.CurrentPage is int number ? number + 1 : 0,
            ByNumber = false,
        };
    }

    /// <inheritdoc />
    public override NextLinkState? Predict(NextLinkState state, InvoicePage known, int fullPage)
    {
        if (state is null || known is null)
        {
            throw new ArgumentNullException(state is null ? nameof(state) : nameof(known));
        }

        if (known.LastPage is not int last || known.CurrentPage is null || string.IsNullOrEmpty(known.NextLink) || state.PageNumber <= 0 || state.PageNumber >= last)
        {
            return null;
        }

        // The next link of any page is a template for all of them: same host, path and filters, another page number.
        return state with { PageIndex = state.PageIndex + 1, PageNumber = state.PageNumber + 1, NextLink = new Uri(known.NextLink, UriKind.RelativeOrAbsolute), ByNumber = true };
    }

    /// <inheritdoc />
    public override bool SamePage(NextLinkState expected, NextLinkState scheduled)
    {
        if (expected is null || scheduled is null)
        {
            throw new ArgumentNullException(expected is null ? nameof(expected) : nameof(scheduled));
        }

        return expected.PageNumber > 0 ? expected.PageNumber == scheduled.PageNumber && expected.PageIndex == scheduled.PageIndex : Equals(expected, scheduled);
    }

    /// <inheritdoc />
    public override bool Confirms(NextLinkState state, InvoicePage page) =>
        state is null || page is null || !state.ByNumber || page.CurrentPage is not int current || current == state.PageNumber;

    /// <inheritdoc />
    public override Uri? Link(NextLinkState state) => state?.NextLink;
}

/// <summary>
/// Cursor paging: the cursor is the id of the last item on the page (stops on a short page unless the answer says
/// there is more), or the cursor the answer gives (stops when it gives none). A cursor sent before in the run is an
/// error, never a loop.
/// </summary>
internal sealed class CursorPaging : PagingStrategy<CursorState>
{
    private readonly string _sizeName;
    private readonly IReadOnlyList<string> _cursorNames;
    private readonly bool _fromAnswer;

    /// <summary>Creates the pager; the cursor is sent under every name in <paramref name="cursorNames"/>.</summary>
    public CursorPaging(string sizeName, params string[] cursorNames)
        : this(sizeName, false, cursorNames)
    {
    }

    /// <summary>
    /// Creates the pager; with <paramref name="fromAnswer"/> the cursor is the one the answer gives
    /// (<see cref="InvoicePage.NextCursor"/>) and a page without one is the last, else the last invoice's id.
    /// </summary>
    public CursorPaging(string sizeName, bool fromAnswer, params string[] cursorNames)
    {
        _sizeName = sizeName;
        _cursorNames = cursorNames;
        _fromAnswer = fromAnswer;
    }

    /// <inheritdoc />
    public override CursorState First(long serverSkip) => new();

    /// <inheritdoc />
    public override string? Position(PageState state) => (state as CursorState)?.Cursor;

    /// <inheritdoc />
    public override IEnumerable<KeyValuePair<string, string>> Parameters(CursorState state, int pageSize)
    {
        if (state is null)
        {
            throw new ArgumentNullException(nameof(state));
        }

        var parameters = new List<KeyValuePair<string, string>> { new(_sizeName, Invariant(pageSize)) };
        if (state.Cursor is not null)
        {
            foreach (var name in _cursorNames)
            {
                parameters.Add(new(name, state.Cursor));
            }
        }

        return parameters;
    }

    /// <inheritdoc />
    public override CursorState? Advance(CursorState state, InvoicePage page, int pageSize)
    {
        if (state is null || page is null)
        {
            throw new ArgumentNullException(state is null ? nameof(state) : nameof(page));
        }

        if (page.Items.Count == 0 || page.HasMore == false || (_fromAnswer ? string.IsNullOrEmpty(page.NextCursor) : page.Items.Count < pageSize && page.HasMore != true))
        {
            return null;
        }

        var cursor = _fromAnswer ? page.NextCursor! : page.Items[page.Items.Count - 1].Id;
        if (string.Equals(cursor, state.Cursor, StringComparison.Ordinal))
        {
            throw new InvoicePagingException($"The provider returned a page that ends at the same invoice as the previous page (cursor '{cursor}'); paging stopped instead of looping forever.")
            {
                RecommendedAction = "Retry later; if it persists, report it to the provider with the cursor shown.",
            };
        }

        return state with { PageIndex = state.PageIndex + 1, Cursor = cursor };
    }
}
