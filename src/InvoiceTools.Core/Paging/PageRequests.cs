using System;
using System.Threading;
using System.Threading.Tasks;

namespace InvoiceTools.Paging;

/// <summary>
/// Sends the request for one page and parses the answer: one call is one request with the page's one retry budget
/// (the HTTP pipeline's), and throws the page's error when that budget is spent. Reports whether a 429 was
/// answered on the way.
/// </summary>
internal delegate Task<(InvoicePage Page, bool Throttled)> SendPage(Uri uri, CancellationToken cancellationToken);

/// <summary>The URL of the request for <paramref name="state"/>, given the URL the previous page came from (null for the first page).</summary>
/// <exception cref="InvoiceToolsException">The state cannot be requested (a next link to another host).</exception>
internal delegate Uri AddressPage(PageState state, Uri? previousUri);

/// <summary>One page as it arrived, with where it came from.</summary>
internal sealed class FetchedPage
{
    public FetchedPage(PageState state, Uri uri, InvoicePage page, long receivedBefore, bool ahead, bool throttled)
    {
        State = state;
        Uri = uri;
        Page = page;
        ReceivedBefore = receivedBefore;
        Ahead = ahead;
        Throttled = throttled;
    }

    public PageState State { get; }

    public Uri Uri { get; }

    public InvoicePage Page { get; }

    /// <summary>Invoices received on the pages before this one.</summary>
    public long ReceivedBefore { get; }

    /// <summary>True when the request may have gone out before the previous page's answer (parallel paging), so it may predate a change the previous page saw.</summary>
    public bool Ahead { get; }

    /// <summary>True when the provider answered 429 on the way.</summary>
    public bool Throttled { get; }
}

/// <summary>
/// Where a <see cref="PageSource"/> gets its pages: the page sequential paging asks for next, in order. The plain
/// form (<see cref="PageRequests"/>) sends one request per call; <see cref="ReadAhead"/> also keeps pages in flight.
/// </summary>
internal interface IPages
{
    /// <summary>Requests sent so far (retries not counted).</summary>
    int Started { get; }

    /// <summary>
    /// The page for <paramref name="expected"/>, the one sequential paging asks for next, after
    /// <paramref name="receivedBefore"/> invoices and the page that came from <paramref name="previousUri"/>.
    /// <paramref name="again"/> asks for a request sent now, after every page handed out so far, whatever is held.
    /// </summary>
    /// <exception cref="InvoiceToolsException">The page's error: it is never asked for a second time.</exception>
    Task<FetchedPage> NextAsync(PageState expected, long receivedBefore, Uri? previousUri, bool again = false);

    /// <summary>
    /// The consumer holds <paramref name="held"/> and has asked for more than what it still holds of it: the only
    /// moment pages after it may be requested.
    /// </summary>
    void MoreWanted(FetchedPage held);

    /// <summary>Cancels whatever is in flight and waits until it has stopped.</summary>
    Task StopAsync();
}

/// <summary>Pages requested one at a time, when they are asked for: sequential paging.</summary>
internal sealed class PageRequests : IPages
{
    private readonly AddressPage _address;
    private readonly SendPage _send;
    private readonly CancellationToken _cancellationToken;
    private int _started;

    /// <param name="address">The URL for a page state.</param>
    /// <param name="send">Sends one request and parses the page.</param>
    /// <param name="cancellationToken">Stops every request.</param>
    public PageRequests(AddressPage address, SendPage send, CancellationToken cancellationToken)
    {
        _address = address;
        _send = send;
        _cancellationToken = cancellationToken;
    }

    /// <inheritdoc />
    public int Started => Volatile.Read(ref _started);

    /// <inheritdoc />
    public Task<FetchedPage> NextAsync(PageState expected, long receivedBefore, Uri? previousUri, bool again = false) =>
        SendAsync(expected, _address(expected, previousUri), receivedBefore, ahead: false, _cancellationToken);

    /// <inheritdoc />
    public void MoreWanted(FetchedPage held)
    {
    }

    /// <inheritdoc />
    public Task StopAsync() => Task.CompletedTask;

    /// <summary>The URL for <paramref name="state"/>.</summary>
    public Uri Address(PageState state, Uri? previousUri) => _address(state, previousUri);

    /// <summary>Sends the one request for <paramref name="state"/> at <paramref name="uri"/>.</summary>
    public async Task<FetchedPage> SendAsync(PageState state, Uri uri, long receivedBefore, bool ahead, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        var (page, throttled) = await _send(uri, cancellationToken).ConfigureAwait(false);
        return new FetchedPage(state, uri, page, receivedBefore, ahead, throttled);
    }
}
