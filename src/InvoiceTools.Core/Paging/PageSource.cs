using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace InvoiceTools.Paging;

/// <summary>Who a run's paging messages are about, and how a request's URL is shown in them (redacted).</summary>
internal sealed record PagingLabels(string ProviderName, string ConnectionName, InvoiceProviderKind Provider, Func<Uri, string> ShowUri);

/// <summary>Where the paging parts report: the verbose and warning streams of the run.</summary>
internal interface IPagingReport
{
    /// <summary>A line for -Verbose.</summary>
    void OnVerbose(string message);

    /// <summary>A warning: something the result may lack.</summary>
    void OnWarning(string message);
}

/// <summary>
/// The pages of one run in order, each fetched once: walks the pager from the first state to the last page, takes
/// each page from <see cref="IPages"/> (with or without reading ahead) and never asks for a failed page again, so a
/// page has one retry budget. Owns the two guards against a list that changes while it is read:
/// <list type="bullet">
/// <item>Total change: a page fetched ahead that reports another total than the page before it is fetched again,
/// after that page, so that no invoice falls between the two; the first change is a warning.</item>
/// <item>Repeat: a page made only of the previous page's invoices is asked for once more; when it repeats again, or the
/// total did not change, the server ignores the paging position and the run stops with
/// <see cref="InvoicePagingException"/> (a second repeat in a row likewise); otherwise it is a warning.</item>
/// </list>
/// </summary>
internal sealed class PageSource
{
    private readonly PagingStrategy _paging;
    private readonly int _pageSize;
    private readonly long _serverSkip;
    private readonly IPages _pages;
    private readonly Func<InvoicePage, bool> _lastWanted;
    private readonly PagingLabels _labels;
    private readonly IPagingReport _report;
    private PageState? _expected;
    private FetchedPage? _held;
    private HashSet<string> _previousIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _positions = new(StringComparer.Ordinal);
    private Uri? _previousUri;
    private long? _previousTotal;
    private int _repeatedPages;

    /// <param name="paging">The provider's pager.</param>
    /// <param name="pageSize">Invoices asked for per page.</param>
    /// <param name="serverSkip">Invoices the server skips for us (-Skip on offset paging).</param>
    /// <param name="pages">Where pages come from: <see cref="PageRequests"/>, or <see cref="ReadAhead"/> over it.</param>
    /// <param name="lastWanted">True when no page after this one can be needed (newest-first order passed -CreatedAfter).</param>
    /// <param name="labels">Names for messages.</param>
    /// <param name="report">Where messages go.</param>
    public PageSource(PagingStrategy paging, int pageSize, long serverSkip, IPages pages, Func<InvoicePage, bool> lastWanted, PagingLabels labels, IPagingReport report)
    {
        _paging = paging ?? throw new ArgumentNullException(nameof(paging));
        _pageSize = pageSize;
        _serverSkip = serverSkip;
        _pages = pages ?? throw new ArgumentNullException(nameof(pages));
        _lastWanted = lastWanted;
        _labels = labels;
        _report = report;
        _expected = paging.First(serverSkip);
    }

    /// <summary>Invoices on the pages handed out so far.</summary>
    public long Received { get; private set; }

    /// <summary>Requests sent so far (retries not counted).</summary>
    public int Started => _pages.Started;

    /// <summary>True once the total changed while paging and the run warned about it.</summary>
    public bool WarnedTotalChange { get; private set; }

    /// <summary>
    /// The next page in order, or null when the previous page was the last. <paramref name="returned"/> is how many
    /// invoices the run has handed out so far, for the message of an error.
    /// </summary>
    /// <exception cref="InvoiceToolsException">The page's error, or <see cref="InvoicePagingException"/> when paging cannot go on.</exception>
    public async Task<FetchedPage?> NextAsync(long returned)
    {
        if (_held is { } held)
        {
            _held = null;
            if (_lastWanted(held.Page))
            {
                _report.OnVerbose($"{_labels.ProviderName} lists invoices newest first and page {Count(held.State.PageIndex + 1)} reached invoices created before -CreatedAfter; later pages are older, so paging stopped.");
                _expected = null;
                return null;
            }

            _expected = _paging.Advance(held.State, held.Page, _pageSize);
            if (_expected is null)
            {
                _report.OnVerbose($"{_labels.ProviderName}: paging ended after page {Count(held.State.PageIndex + 1)}: {WhyLastPage(held.Page, _pageSize, Received + _serverSkip)}.");
            }
            else if (_paging.Position(_expected) is { } position && !_positions.Add(position))
            {
                // The repeat guard below sees one page back; a circle of links or cursors (A, B, A, ...) needs the whole run.
                var shown = Uri.TryCreate(position, UriKind.Absolute, out var link) ? _labels.ShowUri(link) : $"'{position}'";
                throw new InvoicePagingException(
                    $"{_labels.ProviderName} pointed page {Count(held.State.PageIndex + 2)} at {shown}, where an earlier page of this run pointed: its next links or cursors go in a circle, so paging stopped instead of looping forever. The {Count(Received)} invoice(s) already returned are kept.")
                {
                    Provider = _labels.Provider,
                    RecommendedAction = $"Run the command again; if it repeats, report it to {_labels.ProviderName}.",
                };
            }
            else
            {
                // Only when a next page comes: a large answer's invoices are read again from its body on every pass (JsonItems.LazyFrom).
                _previousIds = new HashSet<string>(held.Page.Items.Select(i => i.Id), StringComparer.Ordinal);
            }
        }

        if (_expected is not { } expected)
        {
            return null;
        }

        var fetched = await _pages.NextAsync(expected, Received, _previousUri).ConfigureAwait(false);
        fetched = await GuardTotalAsync(expected, fetched).ConfigureAwait(false);
        fetched = await GuardRepeatAsync(expected, fetched, returned).ConfigureAwait(false);

        _previousUri = fetched.Uri;
        _previousTotal = fetched.Page.TotalCount ?? _previousTotal;
        Received += fetched.Page.Items.Count;
        _held = fetched;
        return fetched;
    }

    /// <summary>The consumer has asked for more than what it holds of <paramref name="held"/>: pages after it may be requested.</summary>
    public void MoreWanted(FetchedPage held) => _pages.MoreWanted(held);

    /// <summary>Cancels whatever is in flight and waits until it has stopped.</summary>
    public Task StopAsync() => _pages.StopAsync();

    private async Task<FetchedPage> GuardTotalAsync(PageState expected, FetchedPage fetched)
    {
        if (_previousTotal is not long before || fetched.Page.TotalCount is not long changed || changed == before)
        {
            return fetched;
        }

        if (fetched.Ahead)
        {
            _report.OnVerbose($"{_labels.ProviderName} reported {Count(changed)} invoices instead of {Count(before)} on page {Count(fetched.State.PageIndex + 1)}, which was fetched in parallel; fetching it again after the previous page so that no invoice falls between the two.");
            fetched = await _pages.NextAsync(expected, Received, _previousUri, again: true).ConfigureAwait(false);
        }

        if (!WarnedTotalChange && fetched.Page.TotalCount is long after && after != before)
        {
            WarnedTotalChange = true;
            _report.OnWarning($"{_labels.ProviderName} connection '{_labels.ConnectionName}': the number of invoices changed from {Count(before)} to {Count(after)} while paging (page {Count(fetched.State.PageIndex + 1)}). Invoices were added or removed during the run, so the result may be incomplete; duplicates are skipped. Run it again for a complete list.");
        }

        return fetched;
    }

    private async Task<FetchedPage> GuardRepeatAsync(PageState expected, FetchedPage fetched, long returned)
    {
        if (!RepeatsPrevious(fetched.Page))
        {
            _repeatedPages = 0;
            return fetched;
        }

        // The server answered with the previous page's invoices: ask once more before deciding.
        var name = _labels.ProviderName;
        _report.OnVerbose($"{name} returned only invoices of the previous page for page {Count(fetched.State.PageIndex + 1)}; requesting it once more.");
        fetched = await _pages.NextAsync(expected, Received, _previousUri, again: true).ConfigureAwait(false);
        if (!RepeatsPrevious(fetched.Page))
        {
            _repeatedPages = 0;
            return fetched;
        }

        // An insert of exactly a page's worth at the front can do this once; an unchanged total, or twice in a row, means the
        // server ignores the paging position and paging would never end.
        var totalUnchanged = _previousTotal is long was && fetched.Page.TotalCount is long now && now == was;
        if (++_repeatedPages > 1 || totalUnchanged)
        {
            var shown = _labels.ShowUri(fetched.Uri);
            throw new InvoicePagingException(
                $"{name} returned the same {Count(fetched.Page.Items.Count)} invoice(s) again for page {Count(fetched.State.PageIndex + 1)} (GET {shown}), also when asked again: the server ignored the paging position, so paging stopped instead of looping. The {Count(returned)} invoice(s) already returned are kept.")
            {
                Provider = _labels.Provider,
                RequestUri = shown,
                RecommendedAction = $"Run the command again; if it repeats, narrow the query (-CreatedAfter/-CreatedBefore) or report it to {name}.",
            };
        }

        _report.OnWarning($"{name} connection '{_labels.ConnectionName}': page {Count(fetched.State.PageIndex + 1)} held only invoices already returned, also when asked again. " +
            "If invoices were added during the run this is expected; otherwise the server skipped a page and the result may be incomplete. Run it again for a complete list.");
        return fetched;
    }

    private bool RepeatsPrevious(InvoicePage page) =>
        page.Items.Count > 0 && _previousIds.Count > 0 && page.Items.All(i => _previousIds.Contains(i.Id));

    private static string WhyLastPage(InvoicePage page, int pageSize, long receivedInRun) => page switch
    {
        { Items.Count: 0 } => "it held no invoices",
        { HasMore: false } => "the provider said there are no more",
        { TotalCount: long total } when receivedInRun >= total => $"all {Count(total)} invoice(s) the provider reported were received",
        { LastPage: int last, CurrentPage: int current } when current >= last => $"it is the last page the provider reported ({Count(last)})",
        _ when page.Items.Count < pageSize => $"it held {Count(page.Items.Count)} invoice(s), fewer than the {Count(pageSize)} asked for, which marks the last page",
        _ => "the provider gave no link or cursor to a next page",
    };

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
