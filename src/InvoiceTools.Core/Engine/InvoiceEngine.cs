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
using InvoiceTools.Paging;
using InvoiceTools.Requests;
using static System.FormattableString;

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
/// while the next pages are already in flight (<see cref="Paging.ReadAhead"/>). Invoices come out in the provider's
/// order; memory holds a few pages at most; -First and cancellation stop the requests in flight.
/// </summary>
public static class InvoiceEngine
{
    /// <summary>Validates <paramref name="query"/> for the connection and shows how it will run. Sends nothing.</summary>
    internal static QueryPlan Plan(InvoiceProviderConnection connection, InvoiceQuery query)
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
            CheckId(id, connection.Kind);
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

        var where = string.Join(", ", connections.Select(c => $"{c.Implementation.Descriptor.DisplayName} connection '{c.Name}'"));
        var message = $"No invoice with {what} '{value}' was found ({where}).";
        return new InvoiceNotFoundException(cause is null ? message : $"{message} {cause.Message}")
        {
            Provider = connections.Count == 1 ? connections[0].Kind : null,
            RecommendedAction = $"Check the {what} and the connection; Get-Invoice lists invoices with their Id and Number.",
        };
    }

    private static async IAsyncEnumerable<InvoiceLookup> LookupAsync(InvoiceProviderConnection connection, IReadOnlyList<string> ids, IInvoiceStreamObserver observer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var provider = connection.Implementation;
        if (!provider.HasItemEndpoint)
        {
            await foreach (var found in LookupInListAsync(connection, ids, observer, cancellationToken).ConfigureAwait(false))
            {
                yield return found;
            }

            yield break;
        }

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
                    var invoice = await FetchAsync(connection, provider.ItemEndpoint(connection, id), observer, body => TheInvoiceAskedFor(id, provider.ParseItem(body, connection)), i => $"invoice {i.Number ?? i.Id}", "invoice", cancellationToken).ConfigureAwait(false);
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

    /// <summary>-Id where the provider has no single-invoice endpoint: one read of the list, until every id is found.</summary>
    private static async IAsyncEnumerable<InvoiceLookup> LookupInListAsync(InvoiceProviderConnection connection, IReadOnlyList<string> ids, IInvoiceStreamObserver observer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var provider = connection.Implementation;
        // Ids compare as the stream's do (ordinally): 'inv_a' and 'inv_A' can be two invoices of one list.
        var wanted = new HashSet<string>(ids.Select(i => (i ?? string.Empty).Trim()), StringComparer.Ordinal);
        var found = new Dictionary<string, Invoice>(StringComparer.Ordinal);
        observer.OnVerbose($"{provider.Descriptor.DisplayName} has no single-invoice endpoint, so the list is read until {(wanted.Count == 1 ? "the invoice is" : "the invoices are")} found.");
        var plan = provider.Plan(InvoiceQuery.All, connection);
        await foreach (var invoice in StreamAsync(connection, plan, observer, cancellationToken).ConfigureAwait(false))
        {
            if (wanted.Contains(invoice.Id) && !found.ContainsKey(invoice.Id))
            {
                found[invoice.Id] = invoice;
                if (found.Count == wanted.Count)
                {
                    break;
                }
            }
        }

        foreach (var raw in ids)
        {
            var id = (raw ?? string.Empty).Trim();
            yield return found.TryGetValue(id, out var invoice)
                ? new InvoiceLookup(id, invoice, null)
                : new InvoiceLookup(id, null, new InvoiceNotFoundException($"{provider.Descriptor.DisplayName} lists no invoice '{id}'.")
                {
                    Provider = provider.Descriptor.Kind,
                    RecommendedAction = "Check the id; Get-Invoice lists the ids (the Id property).",
                });
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
        observer.OnVerbose($"{name} via connection '{connection.Name}'. {plan.Describe()}");
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
        var requests = new PageRequests(
            (state, previous) => BuildPageUri(connection, paging, endpoint, plan, state, previous),
            (uri, token) => FetchPageAsync(connection, uri, observer, token),
            cancellationToken);
        var readAhead = new ReadAhead(
            requests,
            paging,
            plan.PageSize,
            options.Prefetch,
            options.PageConcurrency,
            receivedBefore => enough is not long limit || receivedBefore < limit,
            PassedCreatedAfter,
            cancellationToken)
        {
            Throttled = concurrency => observer.OnVerbose($"{name} answered 429 Too Many Requests: at most {Count(concurrency)} page(s) at a time for the rest of this run."),
        };

        var labels = new PagingLabels(name, connection.Name, connection.Kind, Redactor.Url);
        var report = new StreamReport(observer, connection, plan, readAhead, options, stopBefore);
        var source = new PageSource(paging, plan.PageSize, plan.ServerSkip, readAhead, PassedCreatedAfter, labels, report);
        var stream = new InvoiceStream(source, plan.Matches, toSkip, query.First, labels, report);
        await foreach (var invoice in stream.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return invoice;
        }
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Uri BuildPageUri(InvoiceProviderConnection connection, PagingStrategy pager, Uri endpoint, QueryPlan plan, PageState state, Uri? lastRequest)
    {
        var paging = pager.Parameters(state, plan.PageSize);
        if (pager.Link(state) is Uri link)
        {
            var absolute = link.IsAbsoluteUri ? link : new Uri(lastRequest ?? endpoint, link);
            absolute = OverConnectionScheme(absolute, connection.BaseUri);
            if (!CredentialHandler.SameOrigin(absolute, connection.BaseUri))
            {
                throw new InvoicePagingException(
                    $"{connection.Implementation.Descriptor.DisplayName} returned a next-page link to another host ({Redactor.Url(absolute)}); it was not followed, so the API key stays with {connection.BaseUri.Host}.")
                {
                    Provider = connection.Kind,
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
        var context = new RequestContext(observer.OnVerbose, Redactor.Url(uri));
        var page = await FetchAsync(
            connection,
            uri,
            observer,
            context,
            body => connection.Implementation.ParsePage(body, connection),
            page => page.TotalCount is long t ? Invariant($"{page.Items.Count} invoice(s) of {t}") : Invariant($"{page.Items.Count} invoice(s)"),
            "invoice page",
            cancellationToken,
            connection.Implementation.WithResponse).ConfigureAwait(false);
        return (page, context.Throttled);
    }

    private static Task<T> FetchAsync<T>(InvoiceProviderConnection connection, Uri uri, IInvoiceStreamObserver observer, Func<ReadOnlyMemory<byte>, T> parse, Func<T, string> describe, string expected, CancellationToken cancellationToken) =>
        FetchAsync(connection, uri, observer, new RequestContext(observer.OnVerbose, Redactor.Url(uri)), parse, describe, expected, cancellationToken);

    // expected names what the answer should be in messages: "invoice page" or "invoice".
    private static async Task<T> FetchAsync<T>(InvoiceProviderConnection connection, Uri uri, IInvoiceStreamObserver observer, RequestContext context, Func<ReadOnlyMemory<byte>, T> parse, Func<T, string> describe, string expected, CancellationToken cancellationToken, Func<T, HttpResponseMessage, T>? withResponse = null)
    {
        var provider = connection.Implementation;
        var display = context.DisplayUri;
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
                new InvoiceResponseException($"{provider.Descriptor.DisplayName} sent a response that is not a valid {expected} for GET {display}{ErrorMapper.AfterAttempts(context)}: {ex.Message}.", ex)
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
            throw ErrorMapper.Stamp(new InvoiceResponseException($"{provider.Descriptor.DisplayName} sent a response too large to accept for GET {display}: {ex.Message}", ex) { RecommendedAction = "Use a smaller -PageSize." }, provider, context);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            throw ErrorMapper.Stamp(
                new InvoiceTransportException($"{provider.Descriptor.DisplayName}: GET {display} failed{ErrorMapper.AfterAttempts(context, always: true)}: {context.LastOutcome ?? ex.Message}.", ex)
                {
                    RecommendedAction = "Check the network, proxy and -BaseUri, then try again; invoices already returned are complete. -MaxAttempts and -MaxRetryWaitSeconds allow more retries.",
                },
                provider,
                context);
        }

        using (response)
        {
            var body = await ResponseReader.ReadAsync(response, connection.Retry.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            var status = Invariant($"{(int)response.StatusCode} {response.ReasonPhrase}");
            // One record per response that names its request: with pages in flight, bare header lines could not be told apart.
            observer.OnDebug($"GET {display} -> {status}, headers: {string.Join("; ", Redactor.Headers(response))}");

            if (!response.IsSuccessStatusCode)
            {
                observer.OnVerbose(Invariant($"GET {display} -> {status} in {stopwatch.ElapsedMilliseconds} ms."));
                throw ErrorMapper.FromResponse(provider, response, body.ToArray(), context, DateTimeOffset.UtcNow, connection.Mask);
            }

            var mediaType = response.Content?.Headers.ContentType?.MediaType;
            var labelledJson = mediaType is null || mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;
            var labelNote = labelledJson ? string.Empty : $" (labelled '{mediaType}')";
            T page;
            try
            {
                // A large list's page keeps its body (JsonItems.LazyFrom), so it gets bytes that outlive the response.
                page = parse(body.Length >= Providers.JsonItems.LazyFrom ? body.Retainable() : body.Memory);
                if (withResponse is not null)
                {
                    page = withResponse(page, response);
                }
            }
            catch (JsonException ex)
            {
                throw Malformed(provider, context, response, connection.Mask, $"the JSON does not have the expected shape{labelNote} ({ex.Message}){Preview(body.Span)}", ex, expected);
            }
            catch (FormatException ex)
            {
                throw Malformed(provider, context, response, connection.Mask, $"a field has an unexpected format{labelNote} ({ex.Message})", ex, expected);
            }
            catch (UnexpectedItemException ex)
            {
                throw Malformed(provider, context, response, connection.Mask, ex.Message, ex, expected);
            }

            if (!labelledJson)
            {
                observer.OnVerbose($"{provider.Descriptor.DisplayName} labelled the answer to GET {display} '{mediaType}', but the body is an invoice page in JSON, so it was read as such.");
            }

            var attempts = context.Attempts > 1 ? Invariant($", after {context.Attempts} attempts") : string.Empty;
            observer.OnVerbose(Invariant($"GET {display} -> {status} in {stopwatch.ElapsedMilliseconds} ms, {describe(page)}{attempts}."));
            return page;
        }
    }


    private static InvoiceResponseException Malformed(Providers.InvoiceProvider provider, RequestContext context, HttpResponseMessage response, SecretMask mask, string what, Exception? inner, string expected = "invoice page") =>
        ErrorMapper.Stamp(
            new InvoiceResponseException(Invariant($"{provider.Descriptor.DisplayName} sent a response that is not a valid {expected} for GET {context.DisplayUri} (HTTP {(int)response.StatusCode}): {mask.Apply(what)}."), inner)
            {
                RecommendedAction = "Try again later; if it persists, check -BaseUri points at the API and not at a web page.",
            },
            provider,
            context,
            response.StatusCode);

    private static string Preview(ReadOnlySpan<byte> body) => body.Length == 0 ? string.Empty : $", starting '{ErrorMapper.Start(body, 80)}'";

    private static void ThrowIfClosed(InvoiceProviderConnection connection)
    {
        if (connection.IsClosed)
        {
            throw new InvoiceConfigurationException($"The connection '{connection.Name}' is closed: Disconnect-InvoiceProvider closed it, or Connect-InvoiceProvider -Force replaced it.", "Use the connection open under that name now (Get-InvoiceProviderConnection), or run Connect-InvoiceProvider again.");
        }
    }

    /// <summary>
    /// What the paging parts report, turned into the observer's calls: the first page's total, each page's progress
    /// and field reads, and how pages are read ahead once they are.
    /// </summary>
    private sealed class StreamReport : IStreamReport
    {
        private readonly IInvoiceStreamObserver _observer;
        private readonly InvoiceProviderConnection _connection;
        private readonly QueryPlan _plan;
        private readonly ReadAhead _readAhead;
        private readonly PagingOptions _options;
        private readonly DateTimeOffset? _stopBefore;
        private readonly FieldReadTally _fieldReads = new();

        public StreamReport(IInvoiceStreamObserver observer, InvoiceProviderConnection connection, QueryPlan plan, ReadAhead readAhead, PagingOptions options, DateTimeOffset? stopBefore)
        {
            _observer = observer;
            _connection = connection;
            _plan = plan;
            _readAhead = readAhead;
            _options = options;
            _stopBefore = stopBefore;
        }

        private string Name => _connection.Implementation.Descriptor.DisplayName;

        public void OnVerbose(string message) => _observer.OnVerbose(message);

        public void OnWarning(string message) => _observer.OnWarning(message);

        public void OnPage(FetchedPage page, long received)
        {
            if (page.State.PageIndex == 0 && page.Page.TotalCount is long total)
            {
                _observer.OnTotalCount(total, !_plan.HasClientFilter);
            }

            _fieldReads.Add(page.Page.FieldReads);
            _observer.OnPage(new PageProgress(_connection.Implementation.Descriptor.Kind, _connection.Name, page.State.PageIndex + 1, received + _plan.ServerSkip, page.Page.TotalCount));
        }

        public void OnReadingAhead()
        {
            if (_readAhead.Parallel)
            {
                _observer.OnVerbose($"{Name} reported its total, so later pages were requested {Count(_readAhead.Concurrency)} at a time, and are returned in order (-PageConcurrency).");
            }
            else if (_options.Prefetch > 0)
            {
                _observer.OnVerbose($"The next page was requested while this one is returned ({Count(_options.Prefetch)} page(s) ahead, -Prefetch)" +
                    (_stopBefore is null ? "." : "; pages are read one at a time because paging stops at -CreatedAfter."));
            }
        }

        public void OnPagesDone()
        {
            if (_fieldReads.CoercedSummary is { } coerced)
            {
                _observer.OnVerbose($"{Name} sent fields of another JSON type than documented; their meaning was clear, so they were read as such: {coerced}.");
            }

            if (_fieldReads.DroppedSummary is { } dropped)
            {
                _observer.OnWarning($"{Name} connection '{_connection.Name}': some invoices had a field of an unexpected type, which was left empty (its value is kept in the Raw property): {dropped}.");
            }
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
