using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using InvoiceTools.Http;
using InvoiceTools.Paging;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// One provider's API: how to plan a query, build a page request, read a page and read an error. Paging itself
/// is a shared <see cref="PagingStrategy"/>; the engine owns the loop.
/// </summary>
internal abstract class InvoiceProvider : IErrorSource
{
    InvoiceProviderKind IErrorSource.Kind => Descriptor.Kind;

    string IErrorSource.DisplayName => Descriptor.DisplayName;

    /// <summary>What the provider supports.</summary>
    public abstract ProviderDescriptor Descriptor { get; }

    /// <summary>How it pages.</summary>
    public abstract PagingStrategy Paging { get; }

    /// <summary>How it pages for one connection (a connection setting may change parameter names).</summary>
    public virtual PagingStrategy PagingFor(IProviderConnection connection) => Paging;

    /// <summary>The list endpoint for a connection.</summary>
    public abstract Uri ListEndpoint(IProviderConnection connection);

    /// <summary>The single-invoice endpoint for <paramref name="id"/> (already validated by <see cref="ValidateId"/>).</summary>
    public abstract Uri ItemEndpoint(IProviderConnection connection, string id);

    /// <summary>False when the provider has no single-invoice endpoint, so -Id reads the list until it finds the invoices.</summary>
    public virtual bool HasItemEndpoint => true;

    /// <summary>The page with what the response's headers add (a Link header's next page); the page itself by default.</summary>
    public virtual InvoicePage WithResponse(InvoicePage page, HttpResponseMessage response) => page;

    /// <summary>Reads a single-invoice response.</summary>
    public abstract Invoice ParseItem(ReadOnlyMemory<byte> body, IProviderConnection connection);

    /// <summary>Why <paramref name="id"/> cannot be one of this provider's invoice ids, or null when it can.</summary>
    public virtual string? ValidateId(string id) => string.IsNullOrWhiteSpace(id) ? "an invoice id cannot be empty" : null;

    /// <summary>Adds the provider's authentication header(s) to a request bound for the connection's own host.</summary>
    public abstract void ApplyCredentials(HttpRequestMessage request, string secret, ProviderConfiguration configuration);

    /// <summary>Reads one page of the list response.</summary>
    public abstract InvoicePage ParsePage(ReadOnlyMemory<byte> body, IProviderConnection connection);

    /// <summary>How the built-in sandbox serves this provider: its path, key and account settings.</summary>
    public abstract SandboxDefaults SandboxDefaults { get; }

    /// <summary>The sandbox defaults for a given set of connection options (a provider may serve several routes).</summary>
    public virtual SandboxDefaults SandboxDefaultsFor(ConnectionOptions options) => SandboxDefaults;

    /// <summary>The API root used when -BaseUri is not given.</summary>
    public virtual Uri? DefaultBaseUriFor(ConnectionOptions options) => Descriptor.DefaultBaseUri;

    /// <summary>
    /// Reads and checks the provider's own connection settings once, for the connection to hold (a sandbox connection
    /// takes the emulator's account where none is given). Throws <see cref="InvoiceConfigurationException"/> when one
    /// is missing or wrong.
    /// </summary>
    public abstract ProviderConfiguration ConfigureConnection(ConnectionOptions options, SandboxAccount? sandbox);

    /// <summary>
    /// What tells this provider's accounts apart in a default connection name (Revere's group, Kitchen's workspace), or
    /// null; the connection factory's default name falls back to a -BaseUri's host.
    /// </summary>
    public virtual string? AccountLabel(ConnectionOptions options) => null;

    /// <summary>Trimmed text, or null for none given.</summary>
    protected static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    /// <summary>The first 8 characters of a long id: enough to tell accounts apart in a table.</summary>
    protected static string? First8(string? id) => id is null ? null : id.Substring(0, Math.Min(8, id.Length));

    /// <summary>Adds headers every request needs besides credentials (Accept and the like).</summary>
    public virtual void PrepareRequest(HttpRequestMessage request, IProviderConnection connection)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        request.Headers.Accept.ParseAdd("application/json");
    }

    /// <summary>
    /// Validates <paramref name="query"/> against the provider and splits it into server-side parameters and
    /// client-side filters. Throws <see cref="InvoiceConfigurationException"/> before any request is sent.
    /// </summary>
    public QueryPlan Plan(InvoiceQuery query, IProviderConnection connection)
    {
        if (query is null)
        {
            throw new ArgumentNullException(nameof(query));
        }

        var d = Descriptor;
        var pageSize = query.PageSize ?? connection.Paging.PageSize ?? d.DefaultPageSize;
        CheckPageSize(pageSize);

        foreach (var (from, to) in QueryFilter.Ranges)
        {
            if (from.Value(query) is DateTimeOffset after && to.Value(query) is DateTimeOffset before && after >= before)
            {
                throw new InvoiceConfigurationException($"-{from.Name} ({Iso(after)}) must be earlier than -{to.Name} ({Iso(before)}).", "Swap the two dates, or drop one of them.")
                { ParameterName = from.Name, Provider = d.Kind };
            }
        }

        if (query.Skip < 0 || query.First < 0)
        {
            throw new InvoiceConfigurationException("-Skip and -First cannot be negative.") { ParameterName = query.Skip < 0 ? "Skip" : "First", Provider = d.Kind };
        }

        foreach (var filter in ProviderFilterNames(query).Where(f => !d.ProviderFilters.Contains(f)))
        {
            var supporters = ProviderCatalog.All.Where(p => p.Descriptor.ProviderFilters.Contains(filter)).Select(p => p.Descriptor.DisplayName).ToList();
            throw new InvoiceConfigurationException(
                supporters.Count > 0 ? $"-{filter} is not a filter {d.DisplayName} can apply; it works with {string.Join(", ", supporters)}." : $"-{filter} is not a filter {d.DisplayName} can apply.",
                $"Drop -{filter} for this connection. Get-InvoiceProvider lists each provider's filters.")
            { ParameterName = filter, Provider = d.Kind };
        }

        var plan = new QueryPlan(query, pageSize);
        PlanFilters(query, plan, connection);
        if (!string.IsNullOrWhiteSpace(query.Number) && !PlanNumber(query.Number!.Trim(), plan, connection))
        {
            var number = query.Number!.Trim();
            plan.AddClientFilter($"Number={number}", i => string.Equals(i.Number, number, StringComparison.OrdinalIgnoreCase));
            plan.AddNote($"{d.DisplayName} cannot look an invoice up by number, so the list is read until it is found");
        }
        if (PagingFor(connection).SupportsServerSkip && !plan.HasClientFilter)
        {
            plan.ServerSkip = query.Skip;
        }

        // -First 1 asks for one invoice, not a default page of 1000: without a filter applied here, a page need not
        // hold more than what -Skip (when the module skips) and -First still want. An explicit -PageSize is kept.
        if (query.PageSize is null && query.First is long first && first > 0 && !plan.HasClientFilter)
        {
            plan.PageSize = (int)Math.Min(pageSize, first + (query.Skip - plan.ServerSkip));
        }

        return plan;
    }

    /// <summary>Throws <see cref="InvoiceConfigurationException"/> naming -PageSize when the provider cannot serve pages of <paramref name="pageSize"/>.</summary>
    public void CheckPageSize(int pageSize)
    {
        var d = Descriptor;
        if (pageSize < 1 || pageSize > d.MaxPageSize)
        {
            throw new InvoiceConfigurationException(
                $"{d.DisplayName} accepts a page size from 1 to {d.MaxPageSize.ToString(CultureInfo.InvariantCulture)}; {pageSize.ToString(CultureInfo.InvariantCulture)} was given.",
                $"Use -PageSize between 1 and {d.MaxPageSize.ToString(CultureInfo.InvariantCulture)}, or leave it out for the largest ({d.DefaultPageSize.ToString(CultureInfo.InvariantCulture)}: {d.PageSizeSource}).")
            { ParameterName = "PageSize", Provider = d.Kind };
        }
    }

    /// <summary>The provider-only Get-Invoice filters <paramref name="query"/> uses, by parameter name, in the query's order.</summary>
    public static IEnumerable<string> ProviderFilterNames(InvoiceQuery query)
    {
        if (query is null)
        {
            throw new ArgumentNullException(nameof(query));
        }

        return QueryFilter.All.Where(f => f.ProviderOnly && f.IsSet(query)).Select(f => f.Name).ToList();
    }

    /// <summary>Reads the provider's error body: its code, message and field details. Never throws.</summary>
    public virtual ProviderError ParseError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = ResponseReader.MaxJsonDepth });
            return ProviderError.FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            return ProviderError.None;
        }
    }

    /// <summary>
    /// Adds a server-side filter for an invoice number and returns true, where the provider has one; the base
    /// filters in the module instead. Throws <see cref="InvoiceConfigurationException"/> if invoices have no number.
    /// </summary>
    protected virtual bool PlanNumber(string number, QueryPlan plan, IProviderConnection connection) => false;

    /// <summary>Adds this provider's server and client filters to <paramref name="plan"/>.</summary>
    protected abstract void PlanFilters(InvoiceQuery query, QueryPlan plan, IProviderConnection connection);

    /// <summary>The connection's base URI with <paramref name="path"/> appended (the base may itself have a path).</summary>
    protected static Uri Endpoint(IProviderConnection connection, string path) =>
        new((connection ?? throw new ArgumentNullException(nameof(connection))).BaseUri.AbsoluteUri.TrimEnd('/') + path);

    /// <summary>True for a non-empty run of ASCII digits that fits a 64-bit id.</summary>
    protected static bool IsWholeNumber(string id) => !string.IsNullOrEmpty(id) && id.Length <= 18 && id.All(c => c >= '0' && c <= '9');

    /// <summary>Formats an instant as <c>yyyy-MM-ddTHH:mm:ssZ</c> (UTC).</summary>
    protected static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Maps the requested normalized statuses to the provider's words. Statuses the provider never uses are left
    /// out with a note; when none is left the query cannot match anything, which is an error. Null when -Status
    /// includes Unknown: the module labels Unknown whatever status word it does not know, which no server filter can
    /// name, so the caller filters every status in the module instead (<see cref="AddClientStatusFilter"/>).
    /// </summary>
    protected IReadOnlyList<string>? ProviderStatusesFor(IReadOnlyList<InvoiceStatus> statuses, QueryPlan plan)
    {
        if (statuses is null || plan is null)
        {
            throw new ArgumentNullException(statuses is null ? nameof(statuses) : nameof(plan));
        }

        if (statuses.Contains(InvoiceStatus.Unknown))
        {
            plan.AddNote($"-Status Unknown matches invoices whose {Descriptor.DisplayName} status the module does not know, which no server filter can name, so statuses are filtered here");
            return null;
        }

        var words = Descriptor.StatusMap.Where(p => statuses.Contains(p.Value)).Select(p => p.Key).ToList();
        var unsupported = statuses.Where(s => !Descriptor.StatusMap.Values.Contains(s)).Distinct().ToList();
        // Derived statuses count: Kitchen's Overdue is an open invoice past its due date, and -Status Overdue works there.
        var supported = Descriptor.StatusMap.Values.Concat(Descriptor.DerivedStatuses).Distinct().OrderBy(s => s).Select(s => s.ToString()).ToList();
        if (words.Count == 0)
        {
            throw new InvoiceConfigurationException(
                $"{Descriptor.DisplayName} has no invoices in status {string.Join(", ", statuses)}.",
                $"Use -Status with one of: {string.Join(", ", supported)}.")
            { ParameterName = "Status", Provider = Descriptor.Kind };
        }

        if (unsupported.Count > 0)
        {
            plan.AddNote($"{Descriptor.DisplayName} has no status that means {string.Join(" or ", unsupported)}, so that part of -Status matches nothing");
        }

        return words;
    }

    /// <summary>Adds client-side filters for the statuses in <paramref name="statuses"/> (for providers with no server status filter).</summary>
    protected static void AddClientStatusFilter(IReadOnlyList<InvoiceStatus> statuses, QueryPlan plan)
    {
        if (statuses is null || plan is null || statuses.Count == 0)
        {
            return;
        }

        var wanted = new HashSet<InvoiceStatus>(statuses);
        plan.AddClientFilter($"Status in {string.Join(", ", wanted)}", i => wanted.Contains(i.Status));
    }

    /// <summary>Adds client-side filters for the creation range.</summary>
    protected static void AddClientCreatedFilter(DateTimeOffset? after, DateTimeOffset? before, QueryPlan plan, bool afterInclusive = false)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (after is DateTimeOffset a)
        {
            if (afterInclusive)
            {
                plan.AddClientFilter($"CreatedAt >= {Iso(a)}", i => i.CreatedAt >= a);
            }
            else
            {
                plan.AddClientFilter($"CreatedAt > {Iso(a)}", i => i.CreatedAt > a);
            }

            plan.ClientCreatedAfter = a;
        }

        if (before is DateTimeOffset b)
        {
            plan.AddClientFilter($"CreatedAt < {Iso(b)}", i => i.CreatedAt < b);
        }
    }

    /// <summary>
    /// Adds a client-side customer filter: plain text matches anywhere in the customer's name, e-mail or id; text with
    /// * or ? is a wildcard over the whole value, as PowerShell's -like ('harbor*' starts with harbor). Case-insensitive.
    /// </summary>
    protected static void AddClientCustomerFilter(string? customer, QueryPlan plan)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (!string.IsNullOrWhiteSpace(customer))
        {
            var text = customer!.Trim();
            var matches = CustomerPattern(text);
            plan.AddClientFilter(IsWildcard(text) ? $"Customer like '{text}'" : $"Customer contains '{text}'", i => matches(i.CustomerName) || matches(i.CustomerEmail) || matches(i.CustomerId));
        }
    }

    /// <summary>True when -Customer holds a wildcard (*, ? or a [set]).</summary>
    protected static bool IsWildcard(string text) => text is not null && text.IndexOfAny(WildcardCharacters) >= 0;

    /// <summary>The longest run of -Customer without a wildcard, for a server that searches substrings; empty when there is none.</summary>
    protected static string LongestLiteral(string text) =>
        System.Text.RegularExpressions.Regex.Split(text ?? string.Empty, @"\[[^\]]*\]|[*?\[\]]").OrderByDescending(part => part.Length).First();

    private static readonly char[] WildcardCharacters = { '*', '?', '[' };

    /// <summary>PowerShell's -like as a regular expression: * any run, ? one character, [abc] and [a-c] one of a set.</summary>
    private static Func<string?, bool> CustomerPattern(string text)
    {
        if (!IsWildcard(text))
        {
            return value => Contains(value, text);
        }

        var pattern = new System.Text.StringBuilder("^");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var close = c == '[' ? text.IndexOf(']', i + 1) : -1;
            if (close > i + 1)
            {
                var set = text.Substring(i + 1, close - i - 1);
                pattern.Append('[').Append(System.Text.RegularExpressions.Regex.Escape(set).Replace("\\-", "-")).Append(']');
                i = close;
                continue;
            }

            pattern.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => System.Text.RegularExpressions.Regex.Escape(c.ToString()),
            });
        }

        var regex = new System.Text.RegularExpressions.Regex(pattern.Append('$').ToString(), System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Singleline);
        return value => value is not null && regex.IsMatch(value);
    }

    /// <summary>Adds a client-side external-id filter.</summary>
    protected static void AddClientExternalIdFilter(string? externalId, QueryPlan plan)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        if (!string.IsNullOrEmpty(externalId))
        {
            var id = externalId!;
            plan.AddClientFilter($"ExternalId={id}", i => string.Equals(i.ExternalId, id, StringComparison.Ordinal));
        }
    }

    private static bool Contains(string? value, string text) => value is not null && value.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0;
}
