using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Http;
using InvoiceTools.Providers;

namespace InvoiceTools.Engine;

/// <summary>The outcome of looking one invoice up by id: the invoice, or why it was not found.</summary>
public sealed class InvoiceLookup
{
    /// <summary>Creates a result.</summary>
    public InvoiceLookup(string id, Invoice? invoice, InvoiceNotFoundException? error)
    {
        Id = id;
        Invoice = invoice;
        Error = error;
    }

    /// <summary>The id that was asked for.</summary>
    public string Id { get; }

    /// <summary>The invoice, when found.</summary>
    public Invoice? Invoice { get; }

    /// <summary>Why it was not found.</summary>
    public InvoiceNotFoundException? Error { get; }
}

/// <summary>
/// Streams invoices page by page: plan and validate the query, fetch the first page, and hand its invoices out
/// while the next pages are already in flight (<see cref="PageScheduler"/>). Invoices come out in the provider's
/// order; memory holds a few pages at most; -First and cancellation stop the requests in flight.
/// </summary>
public static class InvoiceEngine
{
    /// <summary>Validates <paramref name="query"/> for the connection and shows how it will run. Sends nothing.</summary>
    public static QueryPlan Plan(InvoiceProviderConnection connection, InvoiceQuery query)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        ThrowIfClosed(connection);
        return connection.Implementation.Plan(query, connection);
    }

    /// <summary>The invoices matching <paramref name="query"/>, as they arrive.</summary>
    public static IAsyncEnumerable<Invoice> GetInvoicesAsync(InvoiceProviderConnection connection, InvoiceQuery query, IInvoiceStreamObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(connection, query);
        return StreamAsync(connection, plan, observer is null ? NullInvoiceStreamObserver.Instance : new SerializingObserver(observer), cancellationToken);
    }

    /// <summary>A stream of an already validated <paramref name="plan"/>; the observer must accept calls from any thread.</summary>
    internal static IAsyncEnumerable<Invoice> StreamPlannedAsync(InvoiceProviderConnection connection, QueryPlan plan, IInvoiceStreamObserver observer, CancellationToken cancellationToken) =>
        StreamAsync(connection, plan, observer, cancellationToken);

    /// <summary>
    /// The synchronous form for PowerShell: every observer call happens on the enumerating thread, between
    /// invoices, so a cmdlet can write verbose and progress records safely.
    /// </summary>
    public static IEnumerable<Invoice> GetInvoices(InvoiceProviderConnection connection, InvoiceQuery query, IInvoiceStreamObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(connection, query);
        if (CreationWindows(connection, plan) is { } windows)
        {
            return ReadWindows(connection, plan, windows, observer ?? NullInvoiceStreamObserver.Instance, cancellationToken);
        }

        return SyncBridge.Enumerate(relay => StreamAsync(connection, plan, relay, cancellationToken), observer ?? NullInvoiceStreamObserver.Instance, cancellationToken);
    }

    /// <summary>The most creation-time windows read at once.</summary>
    internal const int MostCreationWindows = 4;

    /// <summary>
    /// A cursor cannot be read ahead, but a provider that filters by creation time on its server can be read as
    /// disjoint windows, each with its own cursor, read at once and written newest window first: the same order as
    /// one cursor. Only where the range is known (-CreatedAfter), the whole list is wanted (no -First or -Skip) and
    /// more than one page may be in flight (-PageConcurrency); null means one cursor. The windows are equal spans of
    /// time, newest first; each lower bound but the oldest reaches 1 ms below the next window's upper bound, so an
    /// invoice on a boundary falls in a window whether the server's bounds are inclusive or exclusive (the run
    /// drops one read twice).
    /// </summary>
    internal static List<InvoiceQuery>? CreationWindows(InvoiceProviderConnection connection, QueryPlan plan)
    {
        var query = plan.Query;
        var count = Math.Min(connection.Paging.PageConcurrency, MostCreationWindows);
        if (!connection.Implementation.Descriptor.ReadsCreationWindows || count < 2 || query.CreatedAfter is not DateTimeOffset after || query.First is not null || query.Skip != 0)
        {
            return null;
        }

        var before = query.CreatedBefore ?? connection.Now;
        if (before <= after)
        {
            return null;
        }

        var step = TimeSpan.FromTicks((before - after).Ticks / count);
        var windows = new List<InvoiceQuery>();
        for (var k = 0; k < count; k++)
        {
            var high = k == 0 ? query.CreatedBefore : before - TimeSpan.FromTicks(step.Ticks * k);
            var low = k == count - 1 ? after : before - TimeSpan.FromTicks(step.Ticks * (k + 1)) - TimeSpan.FromMilliseconds(1);
            windows.Add(query with { CreatedAfter = low, CreatedBefore = high });
        }

        return windows;
    }

    private static IEnumerable<Invoice> ReadWindows(InvoiceProviderConnection connection, QueryPlan plan, List<InvoiceQuery> windows, IInvoiceStreamObserver observer, CancellationToken cancellationToken)
    {
        var name = connection.Implementation.Descriptor.DisplayName;
        observer.OnVerbose($"{name} pages by cursor, one page after another; -CreatedAfter gives the range, so it is read as {Count(windows.Count)} creation-time windows at once, each with its own cursor, and written newest first as one cursor would (-PageConcurrency {Count(connection.Paging.PageConcurrency)}). {plan.Describe()}");
        var tally = new WindowObserver.Tally();
        var parts = windows.Select((w, i) => new ConnectionRead(connection, w, new WindowObserver(observer, tally, $"Window {Count(i + 1)} of {Count(windows.Count)}: "))).ToList();
        var seen = new IdHashSet();
        foreach (var item in ManyConnections.Read(parts, windows.Count, cancellationToken: cancellationToken))
        {
            if (item.Failure is { } failure)
            {
                throw failure;
            }

            if (item.Invoice is { } invoice && seen.Add(InvoiceIds.Hash(invoice.Id)))
            {
                yield return invoice;
            }
        }
    }

    /// <summary>
    /// Looks invoices up by id with the provider's single-invoice endpoint, one request per id, in order. A missing
    /// id is a result with <see cref="InvoiceLookup.Error"/> set, so the other ids still come out; any other failure
    /// (authentication, transport) ends the stream. Observer calls arrive on the enumerating thread.
    /// </summary>
    public static IEnumerable<InvoiceLookup> GetInvoicesById(InvoiceProviderConnection connection, IEnumerable<string> ids, IInvoiceStreamObserver? observer = null, CancellationToken cancellationToken = default)
    {
        if (connection is null || ids is null)
        {
            throw new ArgumentNullException(connection is null ? nameof(connection) : nameof(ids));
        }

        ThrowIfClosed(connection);
        var list = ids.Select(id => (id ?? string.Empty).Trim()).ToList();
        foreach (var id in list)
        {
            CheckId(id, connection.Provider);
        }

        return SyncBridge.Enumerate(relay => LookupAsync(connection, list, relay, cancellationToken), observer ?? NullInvoiceStreamObserver.Instance, cancellationToken);
    }

    /// <summary>
    /// Checks that <paramref name="id"/> can be one path segment of a single-invoice URL: not empty or blank, not
    /// <c>.</c> or <c>..</c> (which a URL resolves to the list or its parent, whatever the escaping), and without
    /// control characters. Every other character is escaped into the segment.
    /// </summary>
    /// <exception cref="InvoiceConfigurationException">The id cannot be any invoice's id; ParameterName is "Id".</exception>
    public static void CheckId(string? id, InvoiceProviderKind? provider = null)
    {
        var text = id?.Trim() ?? string.Empty;
        var problem = text switch
        {
            "" => "is empty",
            "." or ".." => $"is '{text}', which a URL reads as the list or its parent folder, not as an invoice",
            _ => Http.WireText.Problem(text, asciiOnly: false) is { } bad ? $"contains {bad}" : null,
        };
        if (problem is not null)
        {
            throw new InvoiceConfigurationException($"-Id {problem}.", "Give the invoice's id as Get-Invoice shows it (the Id property).") { ParameterName = "Id", Provider = provider };
        }
    }

    /// <summary>The error for an invoice that none of <paramref name="connections"/> has.</summary>
    public static InvoiceNotFoundException NotFound(string what, string value, IReadOnlyList<InvoiceProviderConnection> connections, Exception? cause = null)
    {
        if (connections is null)
        {
            throw new ArgumentNullException(nameof(connections));
        }

        var where = string.Join(", ", connections.Select(c => c.Implementation.Descriptor.DisplayName + " connection '" + c.Name + "'"));
        var detail = cause is null ? string.Empty : " " + cause.Message;
        return new InvoiceNotFoundException("No invoice with " + what + " '" + value + "' was found (" + where + ")." + detail)
        {
            Provider = connections.Count == 1 ? connections[0].Provider : null,
            RecommendedAction = "Check the " + what + " and the connection; Get-Invoice lists invoices with their Id and Number.",
        };
    }

    private static async IAsyncEnumerable<InvoiceLookup> LookupAsync(InvoiceProviderConnection connection, IReadOnlyList<string> ids, IInvoiceStreamObserver observer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var provider = connection.Implementation;
        foreach (var raw in ids)
        {
            var id = (raw ?? string.Empty).Trim();
            InvoiceLookup result;
            if (provider.ValidateId(id) is { } problem)
            {
                result = new InvoiceLookup(id, null, new InvoiceNotFoundException($"'{id}' cannot be an invoice id of {provider.Descriptor.DisplayName}: {problem}.")
                {
                    Provider = provider.Descriptor.Kind,
                    RecommendedAction = "Check the id; Get-Invoice lists the ids (the Id property).",
                });
            }
            else
            {
                try
                {
                    var invoice = await FetchAsync(connection, provider.ItemEndpoint(connection, id), observer, body => TheInvoiceAskedFor(id, provider.ParseItem(body, connection)), i => "invoice " + (i.Number ?? i.Id), "invoice", cancellationToken).ConfigureAwait(false);
                    invoice.CameThrough(connection.Name);
                    result = new InvoiceLookup(id, invoice, null);
                }
                catch (InvoiceNotFoundException ex)
                {
                    result = new InvoiceLookup(id, null, ex);
                }
            }

            yield return result;
        }
    }

    /// <summary>A single-invoice answer must be that invoice: a list, an object without an id or another invoice is not made into one.</summary>
    private static Invoice TheInvoiceAskedFor(string id, Invoice invoice)
    {
        if (string.IsNullOrEmpty(invoice.Id))
        {
            throw new UnexpectedItemException($"the answer holds no invoice id (a list, or an object that is not an invoice), where invoice '{id}' was asked for");
        }

        // Case is ignored: a provider may answer with its own spelling of the id the caller typed.
        if (!string.Equals(invoice.Id, id, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnexpectedItemException($"the answer is invoice '{ErrorMapper.Sanitize(invoice.Id)}', where invoice '{id}' was asked for");
        }

        return invoice;
    }

    /// <summary>A well-formed answer that is not the one invoice asked for.</summary>
    private sealed class UnexpectedItemException : Exception
    {
        public UnexpectedItemException(string message)
            : base(message)
        {
        }
    }

    private static async IAsyncEnumerable<Invoice> StreamAsync(InvoiceProviderConnection connection, QueryPlan plan, IInvoiceStreamObserver observer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var provider = connection.Implementation;
        var paging = provider.PagingFor(connection);
        var query = plan.Query;
        var name = provider.Descriptor.DisplayName;
        observer.OnVerbose(name + " via connection '" + connection.Name + "'. " + plan.Describe());
        if (query.First == 0)
        {
            yield break;
        }

        var toSkip = query.Skip - plan.ServerSkip;
        long? enough = query.First is long wantedCount && !plan.HasClientFilter ? wantedCount + toSkip : null;
        DateTimeOffset? stopBefore = provider.Descriptor.NewestFirst ? plan.ClientCreatedAfter : null;
        var options = connection.Paging;
        if (stopBefore is not null && options.PageConcurrency > 1)
        {
            // Parallel pages would be fetched past the point where paging stops.
            options = options with { PageConcurrency = 1 };
        }

        bool PassedCreatedAfter(InvoicePage page) =>
            stopBefore is DateTimeOffset bound && page.Items.Count > 0 && page.Items[page.Items.Count - 1].CreatedAt is DateTimeOffset oldest && oldest <= bound;

        var endpoint = plan.Endpoint ?? provider.ListEndpoint(connection);
        var scheduler = new PageScheduler(
            paging,
            plan.PageSize,
            options,
            (state, previous) => BuildPageUri(connection, endpoint, plan, state, previous),
            (uri, token) => FetchPageAsync(connection, uri, observer, token),
            receivedBefore => enough is not long limit || receivedBefore < limit,
            PassedCreatedAfter,
            cancellationToken)
        {
            Throttled = concurrency => observer.OnVerbose(name + " answered 429 Too Many Requests: at most " + concurrency.ToString(CultureInfo.InvariantCulture) + " page(s) at a time for the rest of this run."),
        };

        long received = 0;
        long emitted = 0;
        long? previousTotal = null;
        var warnedTotal = false;
        var previousIds = new HashSet<string>(StringComparer.Ordinal);

        // Every id received in this run, as a 64-bit hash: an insert of more than a page moves invoices already
        // returned onto later pages, and only a run-wide memory writes each invoice once.
        var seen = new IdHashSet();
        var fieldReads = new FieldReadTally();
        var fieldReadsReported = false;
        void ReportFieldReads()
        {
            if (fieldReadsReported)
            {
                return;
            }

            fieldReadsReported = true;
            if (fieldReads.CoercedSummary is { } coerced)
            {
                observer.OnVerbose($"{name} sent fields of another JSON type than documented; their meaning was clear, so they were read as such: {coerced}.");
            }

            if (fieldReads.DroppedSummary is { } dropped)
            {
                observer.OnWarning($"{name} connection '{connection.Name}': some invoices had a field of an unexpected type, which was left empty (its value is kept in the Raw property): {dropped}.");
            }
        }

        long duplicates = 0;
        var repeatedPages = 0;
        Uri? previousUri = null;
        PageState? expected = paging.First(plan.ServerSkip);
        try
        {
            while (expected is not null)
            {
                var fetched = await scheduler.NextAsync(expected, received, previousUri).ConfigureAwait(false);
                if (previousTotal is long before && fetched.Page.TotalCount is long changed && changed != before)
                {
                    if (fetched.Ahead)
                    {
                        observer.OnVerbose(name + " reported " + Count(changed) + " invoices instead of " + Count(before) + " on page " + Count(fetched.State.PageIndex + 1) +
                            ", which was fetched in parallel; fetching it again after the previous page so that no invoice falls between the two.");
                        fetched = await scheduler.NextAsync(expected, received, previousUri, fresh: true).ConfigureAwait(false);
                    }

                    if (!warnedTotal && fetched.Page.TotalCount is long after && after != before)
                    {
                        warnedTotal = true;
                        observer.OnWarning(name + " connection '" + connection.Name + "': the number of invoices changed from " + Count(before) + " to " + Count(after) +
                            " while paging (page " + Count(fetched.State.PageIndex + 1) + "). Invoices were added or removed during the run, so the result may be incomplete; duplicates are skipped. Run it again for a complete list.");
                    }
                }

                if (RepeatsPrevious(fetched.Page, previousIds))
                {
                    // The server answered with the previous page's invoices: ask once more before deciding.
                    observer.OnVerbose(name + " returned only invoices of the previous page for page " + Count(fetched.State.PageIndex + 1) + "; requesting it once more.");
                    fetched = await scheduler.NextAsync(expected, received, previousUri, fresh: true).ConfigureAwait(false);
                    if (RepeatsPrevious(fetched.Page, previousIds))
                    {
                        // An insert of exactly a page's worth at the front can do this once; an unchanged total, or twice in a row, means the
                        // server ignores the paging position and paging would never end.
                        var totalUnchanged = previousTotal is long was && fetched.Page.TotalCount is long now && now == was;
                        if (++repeatedPages > 1 || totalUnchanged)
                        {
                            throw new InvoicePagingException(
                                name + " returned the same " + Count(fetched.Page.Items.Count) + " invoice(s) again for page " + Count(fetched.State.PageIndex + 1) + " (GET " + Redactor.Url(fetched.Uri) +
                                "), also when asked again: the server ignored the paging position, so paging stopped instead of looping. The " + Count(emitted) + " invoice(s) already returned are kept.")
                            {
                                Provider = connection.Provider,
                                RequestUri = Redactor.Url(fetched.Uri),
                                RecommendedAction = "Run the command again; if it repeats, narrow the query (-CreatedAfter/-CreatedBefore) or report it to " + name + ".",
                            };
                        }

                        observer.OnWarning(name + " connection '" + connection.Name + "': page " + Count(fetched.State.PageIndex + 1) + " held only invoices already returned, also when asked again. " +
                            "If invoices were added during the run this is expected; otherwise the server skipped a page and the result may be incomplete. Run it again for a complete list.");
                    }
                    else
                    {
                        repeatedPages = 0;
                    }
                }
                else
                {
                    repeatedPages = 0;
                }

                var page = fetched.Page;
                if (fetched.State.PageIndex == 0 && page.TotalCount is long total)
                {
                    observer.OnTotalCount(total, !plan.HasClientFilter);
                }

                // Later pages are read ahead only once the consumer asks for more than the invoice it was just given,
                // so `Select-Object -First 1` costs one request; from then on the network works while the pipeline does.
                var readingAhead = false;
                void ReadAhead()
                {
                    readingAhead = true;
                    var startedBefore = scheduler.Started;
                    scheduler.ScheduleAfter(fetched);
                    if (fetched.State.PageIndex == 0 && scheduler.Started > startedBefore)
                    {
                        // Said only when a page was asked for ahead: a run that ends on its first page reads nothing ahead.
                        DescribeSchedule(observer, name, scheduler, options, stopBefore);
                    }
                }

                previousUri = fetched.Uri;
                previousTotal = page.TotalCount ?? previousTotal;
                fieldReads.Add(page.FieldReads);
                received += page.Items.Count;
                observer.OnPage(new PageProgress(provider.Descriptor.Kind, connection.Name, fetched.State.PageIndex + 1, received + plan.ServerSkip, page.TotalCount));
                var pageIds = new HashSet<string>(StringComparer.Ordinal);

                // With -First, the matches this page still holds may be all the consumer can want: then nothing is read ahead.
                var matchesLeft = query.First is null ? 0 : page.Items.Count(plan.Matches);
                foreach (var invoice in page.Items)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    invoice.CameThrough(connection.Name);
                    var matches = plan.Matches(invoice);
                    if (matches)
                    {
                        matchesLeft--;
                    }

                    pageIds.Add(invoice.Id);
                    if (!seen.Add(InvoiceIds.Hash(invoice.Id)))
                    {
                        duplicates++;
                        observer.OnVerbose("Skipped invoice " + invoice.Id + ": it was already returned on an earlier page (the list changed while paging).");
                        continue;
                    }

                    if (!matches)
                    {
                        continue;
                    }

                    if (toSkip > 0)
                    {
                        toSkip--;
                        continue;
                    }

                    yield return invoice;
                    emitted++;
                    if (query.First is long first && emitted >= first)
                    {
                        ReportFieldReads();
                        observer.OnVerbose("Stopped after " + Count(emitted) + " invoice(s), all that was asked for; nothing further is requested.");
                        yield break;
                    }

                    if (!readingAhead && !(query.First is long wanted && matchesLeft >= toSkip + wanted - emitted))
                    {
                        ReadAhead();
                    }
                }

                if (!readingAhead)
                {
                    ReadAhead();
                }

                previousIds = pageIds;
                if (PassedCreatedAfter(page))
                {
                    observer.OnVerbose(name + " lists invoices newest first and page " + Count(fetched.State.PageIndex + 1) + " reached invoices created before -CreatedAfter; later pages are older, so paging stopped.");
                    break;
                }

                expected = paging.Advance(fetched.State, page, plan.PageSize);
                if (expected is null)
                {
                    observer.OnVerbose($"{name}: paging ended after page {Count(fetched.State.PageIndex + 1)}: {WhyLastPage(page, plan.PageSize, received + plan.ServerSkip)}.");
                }
            }
        }
        finally
        {
            // Also on a failure: the fields of the pages already returned are reported before the error.
            ReportFieldReads();
            await scheduler.StopAsync().ConfigureAwait(false);
        }

        if (duplicates > 0 && !warnedTotal)
        {
            observer.OnWarning($"{name} connection '{connection.Name}': {Count(duplicates)} invoice(s) came again on later pages because invoices were added while paging; each was returned once. Invoices added during the run may be missing: run it again for a complete list.");
        }

        observer.OnVerbose($"{name}: done, {Count(emitted)} of the {Count(received)} invoice(s) received passed the query's filters, in {Count(scheduler.Started)} page request(s) (retries not counted).");
    }

    private static void DescribeSchedule(IInvoiceStreamObserver observer, string name, PageScheduler scheduler, PagingOptions options, DateTimeOffset? stopBefore)
    {
        if (scheduler.Parallel)
        {
            observer.OnVerbose(name + " reported its total, so later pages were requested " + Count(scheduler.Concurrency) + " at a time, and are returned in order (-PageConcurrency).");
        }
        else if (options.Prefetch > 0)
        {
            observer.OnVerbose("The next page was requested while this one is returned (" + Count(options.Prefetch) + " page(s) ahead, -Prefetch)" +
                (stopBefore is null ? "." : "; pages are read one at a time because paging stops at -CreatedAfter."));
        }
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string WhyLastPage(InvoicePage page, int pageSize, long receivedInRun) => page switch
    {
        { Items.Count: 0 } => "it held no invoices",
        { HasMore: false } => "the provider said there are no more",
        { TotalCount: long total } when receivedInRun >= total => $"all {Count(total)} invoice(s) the provider reported were received",
        { LastPage: int last, CurrentPage: int current } when current >= last => $"it is the last page the provider reported ({Count(last)})",
        _ when page.Items.Count < pageSize => $"it held {Count(page.Items.Count)} invoice(s), fewer than the {Count(pageSize)} asked for, which marks the last page",
        _ => "the provider gave no link or cursor to a next page",
    };

    private static bool RepeatsPrevious(InvoicePage page, HashSet<string> previousIds) =>
        page.Items.Count > 0 && previousIds.Count > 0 && page.Items.All(i => previousIds.Contains(i.Id));

    private static Uri BuildPageUri(InvoiceProviderConnection connection, Uri endpoint, QueryPlan plan, PageState state, Uri? lastRequest)
    {
        var paging = connection.Implementation.PagingFor(connection).Parameters(state, plan.PageSize);
        if (state.NextLink is Uri link)
        {
            var absolute = link.IsAbsoluteUri ? link : new Uri(lastRequest ?? endpoint, link);
            absolute = OverConnectionScheme(absolute, connection.BaseUri);
            if (!CredentialHandler.SameOrigin(absolute, connection.BaseUri))
            {
                throw new InvoicePagingException(
                    connection.Implementation.Descriptor.DisplayName + " returned a next-page link to another host (" + Redactor.Url(absolute) + "); it was not followed, so the API key stays with " + connection.BaseUri.Host + ".")
                {
                    Provider = connection.Provider,
                    RequestUri = Redactor.Url(lastRequest),
                    RecommendedAction = "Check the connection's -BaseUri; if the provider legitimately serves pages from another host, report it.",
                };
            }

            return QueryString.Merge(absolute, plan.ServerParameters.Concat(paging));
        }

        return QueryString.Append(endpoint, plan.ServerParameters.Concat(paging));
    }

    /// <summary>
    /// An app behind a TLS proxy writes its next links with http://; on the connection's own host they are followed
    /// over the connection's https scheme and port, never downgraded. Any other link is returned as it is.
    /// </summary>
    internal static Uri OverConnectionScheme(Uri link, Uri connection) =>
        link.Scheme == Uri.UriSchemeHttp && connection.Scheme == Uri.UriSchemeHttps && string.Equals(link.IdnHost, connection.IdnHost, StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(link) { Scheme = Uri.UriSchemeHttps, Port = connection.Port }.Uri
            : link;

    private static async Task<(InvoicePage Page, bool Throttled)> FetchPageAsync(InvoiceProviderConnection connection, Uri uri, IInvoiceStreamObserver observer, CancellationToken cancellationToken)
    {
        var context = new RequestContext(observer, Redactor.Url(uri));
        var page = await FetchAsync(
            connection,
            uri,
            context,
            body => connection.Implementation.ParsePage(body, connection),
            page => page.Items.Count.ToString(CultureInfo.InvariantCulture) + " invoice(s)" + (page.TotalCount is long t ? " of " + t.ToString(CultureInfo.InvariantCulture) : string.Empty),
            "invoice page",
            cancellationToken).ConfigureAwait(false);
        return (page, context.Throttled);
    }

    private static Task<T> FetchAsync<T>(InvoiceProviderConnection connection, Uri uri, IInvoiceStreamObserver observer, Func<ReadOnlyMemory<byte>, T> parse, Func<T, string> describe, string expected, CancellationToken cancellationToken) =>
        FetchAsync(connection, uri, new RequestContext(observer, Redactor.Url(uri)), parse, describe, expected, cancellationToken);

    // expected names what the answer should be in messages: "invoice page" or "invoice".
    private static async Task<T> FetchAsync<T>(InvoiceProviderConnection connection, Uri uri, RequestContext context, Func<ReadOnlyMemory<byte>, T> parse, Func<T, string> describe, string expected, CancellationToken cancellationToken)
    {
        var provider = connection.Implementation;
        var display = context.DisplayUri;
        var observer = context.Observer;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        provider.PrepareRequest(request, connection);
        context.AttachTo(request);
        var stopwatch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (MalformedResponseException ex)
        {
            throw ErrorMapper.Stamp(
                new InvoiceResponseException(provider.Descriptor.DisplayName + $" sent a response that is not a valid {expected} for GET " + display + ErrorMapper.AfterAttempts(context) + ": " + ex.Message + ".", ex)
                {
                    RecommendedAction = "Try again later; if it persists, check -BaseUri points at the API and not at a web page. Invoices already returned are complete.",
                },
                provider,
                context,
                ex.StatusCode);
        }
        catch (TooDeepJsonException ex)
        {
            throw ErrorMapper.Stamp(
                new InvoiceResponseException($"{provider.Descriptor.DisplayName} sent a response to GET {display} that the module cannot read: {ex.Message}. It is valid JSON, so it was not retried.", ex)
                {
                    RecommendedAction = "Report it to the provider: no invoice list nests that deep. If the nesting is in one odd field, a smaller -PageSize narrows which invoice carries it.",
                },
                provider,
                context,
                ex.StatusCode);
        }
        catch (ResponseTooLargeException ex)
        {
            throw ErrorMapper.Stamp(new InvoiceResponseException(provider.Descriptor.DisplayName + " sent a response too large to accept for GET " + display + ": " + ex.Message, ex) { RecommendedAction = "Use a smaller -PageSize." }, provider, context);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            throw ErrorMapper.Stamp(
                new InvoiceTransportException(provider.Descriptor.DisplayName + ": GET " + display + " failed" + ErrorMapper.AfterAttempts(context, always: true) + ": " + (context.LastOutcome ?? ex.Message) + ".", ex)
                {
                    RecommendedAction = "Check the network, proxy and -BaseUri, then try again; invoices already returned are complete. -MaxAttempts and -MaxRetryWaitSeconds allow more retries.",
                },
                provider,
                context);
        }

        using (response)
        {
            var body = await ResponseReader.ReadAsync(response, connection.Retry.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + response.ReasonPhrase;
            // One record per response that names its request: with pages in flight, bare header lines could not be told apart.
            observer.OnDebug($"GET {display} -> {status}, headers: {string.Join("; ", Redactor.Headers(response))}");

            if (!response.IsSuccessStatusCode)
            {
                observer.OnVerbose("GET " + display + " -> " + status + " in " + stopwatch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms.");
                throw ErrorMapper.FromResponse(provider, response, body.ToArray(), context, DateTimeOffset.UtcNow, connection.Mask);
            }

            var mediaType = response.Content?.Headers.ContentType?.MediaType;
            var labelledJson = mediaType is null || mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;
            var labelNote = labelledJson ? string.Empty : " (labelled '" + mediaType + "')";
            T page;
            try
            {
                // A large list's page keeps its body (JsonItems.LazyFrom), so it gets bytes that outlive the response.
                page = parse(body.Length >= Providers.JsonItems.LazyFrom ? body.Retainable() : body.Memory);
            }
            catch (JsonException ex)
            {
                throw Malformed(provider, context, response, connection.Mask, "the JSON does not have the expected shape" + labelNote + " (" + ex.Message + ")" + Preview(body.Span), ex, expected);
            }
            catch (FormatException ex)
            {
                throw Malformed(provider, context, response, connection.Mask, "a field has an unexpected format" + labelNote + " (" + ex.Message + ")", ex, expected);
            }
            catch (UnexpectedItemException ex)
            {
                throw Malformed(provider, context, response, connection.Mask, ex.Message, ex, expected);
            }

            if (!labelledJson)
            {
                observer.OnVerbose(provider.Descriptor.DisplayName + " labelled the answer to GET " + display + " '" + mediaType + "', but the body is an invoice page in JSON, so it was read as such.");
            }

            observer.OnVerbose("GET " + display + " -> " + status + " in " + stopwatch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms, " + describe(page) +
                (context.Attempts > 1 ? ", after " + context.Attempts.ToString(CultureInfo.InvariantCulture) + " attempts" : string.Empty) + ".");
            return page;
        }
    }


    private static InvoiceResponseException Malformed(Providers.InvoiceProvider provider, RequestContext context, HttpResponseMessage response, SecretMask mask, string what, Exception? inner, string expected = "invoice page") =>
        ErrorMapper.Stamp(
            new InvoiceResponseException(provider.Descriptor.DisplayName + $" sent a response that is not a valid {expected} for GET " + context.DisplayUri + " (HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + "): " + mask.Apply(what) + ".", inner)
            {
                RecommendedAction = "Try again later; if it persists, check -BaseUri points at the API and not at a web page.",
            },
            provider,
            context,
            response.StatusCode);

    private static string Preview(ReadOnlySpan<byte> body) => body.Length == 0 ? string.Empty : ", starting '" + ErrorMapper.Start(body, 80) + "'";

    private static void ThrowIfClosed(InvoiceProviderConnection connection)
    {
        if (connection.IsClosed)
        {
            throw new InvoiceConfigurationException($"The connection '{connection.Name}' is closed: Disconnect-InvoiceProvider closed it, or Connect-InvoiceProvider -Force replaced it.", "Use the connection open under that name now (Get-InvoiceProviderConnection), or run Connect-InvoiceProvider again.");
        }
    }

    /// <summary>
    /// One window's reports, counted into the run's: page numbers and invoices so far add up over the windows, so
    /// progress moves forward as with one cursor. Calls arrive on the enumerating thread, one at a time.
    /// </summary>
    private sealed class WindowObserver : IInvoiceStreamObserver
    {
        private readonly IInvoiceStreamObserver _target;
        private readonly Tally _tally;
        private int _pages;
        private long _invoices;

        private readonly string _label;

        public WindowObserver(IInvoiceStreamObserver target, Tally tally, string label)
        {
            _target = target;
            _tally = tally;
            _label = label;
        }

        public void OnVerbose(string message) => _target.OnVerbose(_label + message);

        public void OnDebug(string message) => _target.OnDebug(_label + message);

        public void OnWarning(string message) => _target.OnWarning(message);

        public void OnTotalCount(long total, bool exact) => _target.OnTotalCount(total, exact);

        public void OnPage(PageProgress progress)
        {
            _tally.Pages += progress.PageNumber - _pages;
            _tally.Invoices += progress.InvoicesSoFar - _invoices;
            _pages = progress.PageNumber;
            _invoices = progress.InvoicesSoFar;
            _target.OnPage(new PageProgress(progress.Provider, progress.Connection, _tally.Pages, _tally.Invoices, null));
        }

        /// <summary>The run's pages and invoices, over every window.</summary>
        internal sealed class Tally
        {
            public int Pages { get; set; }

            public long Invoices { get; set; }
        }
    }

    /// <summary>Pages read ahead report from several threads at once; a caller's observer gets one call at a time.</summary>
    private sealed class SerializingObserver : IInvoiceStreamObserver
    {
        private readonly object _gate = new();
        private readonly IInvoiceStreamObserver _target;

        public SerializingObserver(IInvoiceStreamObserver target) => _target = target;

        public void OnVerbose(string message)
        {
            lock (_gate)
            {
                _target.OnVerbose(message);
            }
        }

        public void OnDebug(string message)
        {
            lock (_gate)
            {
                _target.OnDebug(message);
            }
        }

        public void OnWarning(string message)
        {
            lock (_gate)
            {
                _target.OnWarning(message);
            }
        }

        public void OnPage(PageProgress progress)
        {
            lock (_gate)
            {
                _target.OnPage(progress);
            }
        }

        public void OnTotalCount(long total, bool exact)
        {
            lock (_gate)
            {
                _target.OnTotalCount(total, exact);
            }
        }
    }
}
