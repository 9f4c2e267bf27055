using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;

namespace InvoiceTools.Paging;

/// <summary>What the stream tells the run about its pages, besides messages.</summary>
internal interface IStreamReport : IPagingReport
{
    /// <summary>A page is about to be handed out; <paramref name="received"/> counts the invoices on it and every page before it.</summary>
    void OnPage(FetchedPage page, long received);

    /// <summary>Requests went out ahead of the consumer for the first time, after the first page.</summary>
    void OnReadingAhead();

    /// <summary>No further page will be handed out (the run ends, stops at -First, or fails): report what spans the pages. Called once, before the last message.</summary>
    void OnPagesDone();
}

/// <summary>
/// The invoices of a run, from its pages: each invoice once in the whole run (by a 64-bit hash of its id, so an insert
/// of more than a page that moves invoices already returned onto later pages writes none twice), filtered by the
/// query's module-side predicate, then -Skip and -First. It tells the page source when the consumer wants more than
/// the page it holds: after the first invoice handed out, unless the matches still on the page cover what -First
/// wants, so <c>-First 1</c> costs one request.
/// </summary>
internal sealed class InvoiceStream
{
    private readonly PageSource _source;
    private readonly Func<Invoice, bool> _matches;
    private readonly long? _first;
    private readonly PagingLabels _labels;
    private readonly IStreamReport _report;
    private readonly IdHashSet _seen = new();
    private long _toSkip;
    private bool _pagesDone;

    /// <param name="source">The run's pages, in order.</param>
    /// <param name="matches">The module-side filter; true for every invoice when the server applies them all.</param>
    /// <param name="skip">Matching invoices to leave out before the first one handed out (what the server did not skip).</param>
    /// <param name="first">Invoices to hand out at most; null for all.</param>
    /// <param name="labels">Names for messages.</param>
    /// <param name="report">Where pages and messages are reported.</param>
    public InvoiceStream(PageSource source, Func<Invoice, bool> matches, long skip, long? first, PagingLabels labels, IStreamReport report)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _matches = matches;
        _toSkip = skip;
        _first = first;
        _labels = labels;
        _report = report;
    }

    /// <summary>Invoices handed out.</summary>
    public long Emitted { get; private set; }

    /// <summary>Invoices that came again on a later page and were left out.</summary>
    public long Duplicates { get; private set; }

    /// <summary>The invoices, as the consumer asks for them.</summary>
    public async IAsyncEnumerable<Invoice> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var name = _labels.ProviderName;
        try
        {
            while (await _source.NextAsync(Emitted).ConfigureAwait(false) is { } fetched)
            {
                var page = fetched.Page;
                _report.OnPage(fetched, _source.Received);

                var readingAhead = false;
                void MoreWanted()
                {
                    readingAhead = true;
                    var startedBefore = _source.Started;
                    _source.MoreWanted(fetched);
                    if (fetched.State.PageIndex == 0 && _source.Started > startedBefore)
                    {
                        // Said only when a page was asked for ahead: a run that ends on its first page reads nothing ahead.
                        _report.OnReadingAhead();
                    }
                }

                // With -First, the matches this page still holds may be all the consumer can want: then nothing is read ahead.
                var matchesLeft = _first is null ? 0 : page.Items.Count(_matches);
                foreach (var invoice in page.Items)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    invoice.CameThrough(_labels.ConnectionName);
                    var matches = _matches(invoice);
                    if (matches)
                    {
                        matchesLeft--;
                    }

                    if (!_seen.Add(InvoiceIds.Hash(invoice.Id)))
                    {
                        Duplicates++;
                        _report.OnVerbose($"Skipped invoice {invoice.Id}: it was already returned on an earlier page (the list changed while paging).");
                        continue;
                    }

                    if (!matches)
                    {
                        continue;
                    }

                    if (_toSkip > 0)
                    {
                        _toSkip--;
                        continue;
                    }

                    yield return invoice;
                    Emitted++;
                    if (_first is long first && Emitted >= first)
                    {
                        PagesDone();
                        _report.OnVerbose($"Stopped after {Count(Emitted)} invoice(s), all that was asked for; nothing further is requested.");
                        yield break;
                    }

                    // The consumer asks for more than the invoice it was just given: from now on the network works while it does.
                    if (!readingAhead && !(_first is long wanted && matchesLeft >= _toSkip + wanted - Emitted))
                    {
                        MoreWanted();
                    }
                }

                if (!readingAhead)
                {
                    MoreWanted();
                }
            }
        }
        finally
        {
            // Also on a failure: what the pages already returned carried is reported before the error.
            PagesDone();
            await _source.StopAsync().ConfigureAwait(false);
        }

        if (Duplicates > 0 && !_source.WarnedTotalChange)
        {
            _report.OnWarning($"{name} connection '{_labels.ConnectionName}': {Count(Duplicates)} invoice(s) came again on later pages because invoices were added while paging; each was returned once. Invoices added during the run may be missing: run it again for a complete list.");
        }

        _report.OnVerbose($"{name}: done, {Count(Emitted)} of the {Count(_source.Received)} invoice(s) received passed the query's filters, in {Count(_source.Started)} page request(s) (retries not counted).");
    }

    private void PagesDone()
    {
        if (!_pagesDone)
        {
            _pagesDone = true;
            _report.OnPagesDone();
        }
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
