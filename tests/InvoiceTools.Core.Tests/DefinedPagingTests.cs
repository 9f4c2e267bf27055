using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Providers.Defined;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// A provider definition end to end over the in-process emulator (-Sandbox): every paging type and every way of
/// sending the key, with its rehearsal records, the exact queries sent, server and module filters, -First/-Skip,
/// -Id, the field map, malformed answers, a next link to another host and retries on the definition's route.
/// </summary>
public sealed class DefinedPagingTests : IDisposable
{
    private const int RecordCount = 23;
    private const string Key = DefinedApiSpec.SandboxKey;

    private const string StandardInvoice = """
        { "Id": "id", "Number": "number", "Status": "status", "Currency": "currency", "AmountUnit": "Minor", "Total": "total",
          "CreatedAt": "created", "DueDate": "due" }
        """;

    private const string Bearer = """{ "Type": "Bearer" }""";

    private static int _sequence;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "it-defined-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _registered = new();

    public DefinedPagingTests() => Directory.CreateDirectory(_folder);

    /// <summary>The paging variants, by a short name: the Paging value and where the list's items are.</summary>
    public static IReadOnlyDictionary<string, (string Paging, string Items)> Pagings { get; } = new Dictionary<string, (string, string)>
    {
        ["Offset"] = ("""{ "Type": "Offset", "Offset": "offset", "PageSize": "limit", "MaxPageSize": 100 }""", "data"),
        ["OffsetTotal"] = ("""{ "Type": "Offset", "Offset": "offset", "PageSize": "limit", "MaxPageSize": 100, "Total": "total" }""", "data"),
        ["PageLastPage"] = ("""{ "Type": "Page", "Page": "page", "PageSize": "per_page", "MaxPageSize": 100, "LastPage": "meta.last_page" }""", "data"),
        ["PageTotal"] = ("""{ "Type": "Page", "Page": "page", "PageSize": "per_page", "MaxPageSize": 100, "Total": "meta.total" }""", "data"),
        ["Page"] = ("""{ "Type": "Page", "Page": "page", "PageSize": "per_page", "MaxPageSize": 100 }""", "data"),
        ["PageHasMore"] = ("""{ "Type": "Page", "Page": "page", "PageSize": "per_page", "MaxPageSize": 100, "HasMore": "meta.has_more" }""", "data"),
        ["PageFromZero"] = ("""{ "Type": "Page", "Page": "p", "PageSize": "n", "MaxPageSize": 100, "FirstPage": 0, "LastPage": "last" }""", "items"),
        ["NextLink"] = ("""{ "Type": "NextLink", "PageSize": "size", "MaxPageSize": 100, "Next": "links.next" }""", "result.items"),
        ["NextLinkHasMore"] = ("""{ "Type": "NextLink", "PageSize": "size", "MaxPageSize": 100, "Next": "next", "HasMore": "more" }""", "items"),
        ["LinkHeader"] = ("""{ "Type": "LinkHeader", "PageSize": "per_page", "MaxPageSize": 100 }""", "$"),
        ["CursorLastId"] = ("""{ "Type": "Cursor", "Cursor": "starting_after", "PageSize": "limit", "MaxPageSize": 100 }""", "data"),
        ["CursorLastIdHasMore"] = ("""{ "Type": "Cursor", "Cursor": "starting_after", "PageSize": "limit", "MaxPageSize": 100, "HasMore": "has_more" }""", "data"),
        ["NextCursor"] = ("""{ "Type": "Cursor", "Cursor": "cursor", "PageSize": "limit", "MaxPageSize": 100, "NextCursor": "meta.next_cursor" }""", "data"),
        ["None"] = ("""{ "Type": "None" }""", "invoices"),
    };

    public static TheoryData<string, int> PagingAndSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var paging in Pagings.Keys)
        {
            foreach (var size in new[] { 1, 4, RecordCount, 100 })
            {
                data.Add(paging, size);
            }
        }

        return data;
    }

    public static TheoryData<string> PagingNames()
    {
        var data = new TheoryData<string>();
        foreach (var paging in Pagings.Keys)
        {
            data.Add(paging);
        }

        return data;
    }

    public void Dispose()
    {
        foreach (var registration in _registered)
        {
            registration.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static string Id(int n) => "inv_" + n.ToString("D3", CultureInfo.InvariantCulture);

    private static List<string> Ids(IEnumerable<int> numbers) => numbers.Select(Id).ToList();

    private static List<string> AllIds => Ids(Enumerable.Range(1, RecordCount));

    private static DateTimeOffset Created(int n) => new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero).AddDays(n - 1);

    private static string Status(int n) => new[] { "paid", "open", "void", "draft", "open" }[(n - 1) % 5];

    /// <summary>
    /// Records inv_001…inv_023, one day apart from 2026-01-01 10:00 UTC: number A-0001…, status paid/open/void/draft/open
    /// in turn, USD, total n*100+25 cents, created as ISO 8601 (created), Unix seconds (created_unix) and a day
    /// (created_day); due 14 days after creation for even numbers (past) and in 2099 for odd ones.
    /// </summary>
    private static byte[] StandardRecords() => JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(1, RecordCount).Select(n => new Dictionary<string, object>
    {
        ["id"] = Id(n),
        ["number"] = "A-" + n.ToString("D4", CultureInfo.InvariantCulture),
        ["status"] = Status(n),
        ["currency"] = "usd",
        ["total"] = (n * 100) + 25,
        ["created"] = Created(n).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["created_unix"] = Created(n).ToUnixTimeSeconds(),
        ["created_day"] = Created(n).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["due"] = (n % 2 == 0 ? Created(n).AddDays(14) : Created(n).AddYears(73)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    }).ToList());

    /// <summary>Registers a definition of its own name (unique in the process) with these parts and records; returns the name.</summary>
    private string Define(
        string paging,
        string items = "data",
        string authentication = Bearer,
        string invoice = StandardInvoice,
        string more = "",
        byte[]? records = null,
        string statuses = """{ "paid": "Paid", "open": "Open", "void": "Void", "draft": "Draft" }""",
        bool newestFirst = false)
    {
        var name = "Rehearsal-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        var file = name + ".records.json";
        File.WriteAllBytes(Path.Combine(_folder, file), records ?? StandardRecords());
        var json = $$"""
            {
              "Name": "{{name}}",
              "BaseUri": "https://api.acme.example",
              "Authentication": {{authentication}},
              "List": { "Path": "/v1/invoices", "Items": "{{items}}", "NewestFirst": {{(newestFirst ? "true" : "false")}} },
              "Paging": {{paging}},
              "Invoice": {{invoice}},
              "Statuses": {{statuses}},
              {{more}}
              "Sandbox": { "Records": "{{file}}" }
            }
            """;
        _registered.Add(DefinedProviderTests.Registered(json, name + ".json", _folder));
        return name;
    }

    private string Variant(string pagingName, string authentication = Bearer, string more = "") =>
        Define(Pagings[pagingName].Paging, Pagings[pagingName].Items, authentication, more: more);

    private static InvoiceProviderConnection Connect(string name, PagingOptions? paging = null, IReadOnlyList<string>? faults = null, TimeProvider? clock = null) =>
        InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = name,
            Sandbox = true,
            Paging = paging ?? PagingOptions.Sequential,
            SandboxFault = faults ?? Array.Empty<string>(),
            TimeProvider = clock,
            Retry = new RetryOptions { AttemptTimeout = Timeout.InfiniteTimeSpan },
        });

    private static Task<List<Invoice>> Read(InvoiceProviderConnection connection, InvoiceQuery? query = null, IInvoiceStreamObserver? observer = null) =>
        InvoiceEngine.GetInvoicesAsync(connection, query ?? InvoiceQuery.All, observer).ToListAsync();

    private static List<string> Queries(InvoiceProviderConnection connection) => connection.Emulator().Requests.Select(r => r.QueryString).ToList();

    private static string Route(string name) => $"defined-{name.ToLowerInvariant()}";

    /// <summary>Requests a client makes for 23 records in pages of <paramref name="size"/>: one per page, and one more for an empty page when only a short page can say it is the last.</summary>
    private static int ExpectedRequests(string paging, int size)
    {
        var pages = (RecordCount + size - 1) / size;
        return paging switch
        {
            "None" => 1,
            "Offset" or "Page" or "CursorLastId" => RecordCount % size == 0 ? pages + 1 : pages,
            _ => pages,
        };
    }

    [Theory]
    [MemberData(nameof(PagingAndSizes))]
    public async Task Every_paging_type_returns_every_record_once_in_order_for_any_page_size(string paging, int size)
    {
        var name = Variant(paging);
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = size });

        var invoices = await Read(connection);

        Assert.Equal(AllIds, invoices.Select(i => i.Id));
        Assert.Equal(ExpectedRequests(paging, size), connection.Emulator().Requests.Count);
        Assert.All(connection.Emulator().Requests, r => Assert.Equal("/" + Route(name) + "/v1/invoices", r.Path));
        Assert.All(invoices, i => Assert.Equal(name, i.Provider));
    }

    [Theory]
    [MemberData(nameof(PagingNames))]
    public async Task With_read_ahead_every_record_comes_once_in_order(string paging)
    {
        var name = Variant(paging);
        using var connection = Connect(name, new PagingOptions { Prefetch = 3, PageConcurrency = 4, PageSize = 4 });

        var invoices = await Read(connection, new InvoiceQuery { PageSize = 4 });

        Assert.Equal(AllIds, invoices.Select(i => i.Id));
        Assert.Equal(connection.Emulator().Requests.Count, connection.Emulator().Requests.Select(r => r.QueryString).Distinct(StringComparer.Ordinal).Count());
    }

    public static TheoryData<string, string[]> QueriesForPagesOfFour => new()
    {
        { "Offset", new[] { "limit=4&offset=0", "limit=4&offset=4", "limit=4&offset=8", "limit=4&offset=12", "limit=4&offset=16", "limit=4&offset=20" } },
        { "OffsetTotal", new[] { "limit=4&offset=0", "limit=4&offset=4", "limit=4&offset=8", "limit=4&offset=12", "limit=4&offset=16", "limit=4&offset=20" } },
        { "PageLastPage", new[] { "page=1&per_page=4", "page=2&per_page=4", "page=3&per_page=4", "page=4&per_page=4", "page=5&per_page=4", "page=6&per_page=4" } },
        { "PageTotal", new[] { "page=1&per_page=4", "page=2&per_page=4", "page=3&per_page=4", "page=4&per_page=4", "page=5&per_page=4", "page=6&per_page=4" } },
        { "Page", new[] { "page=1&per_page=4", "page=2&per_page=4", "page=3&per_page=4", "page=4&per_page=4", "page=5&per_page=4", "page=6&per_page=4" } },
        { "PageHasMore", new[] { "page=1&per_page=4", "page=2&per_page=4", "page=3&per_page=4", "page=4&per_page=4", "page=5&per_page=4", "page=6&per_page=4" } },
        { "PageFromZero", new[] { "p=0&n=4", "p=1&n=4", "p=2&n=4", "p=3&n=4", "p=4&n=4", "p=5&n=4" } },
        { "CursorLastId", new[] { "limit=4", "limit=4&starting_after=inv_004", "limit=4&starting_after=inv_008", "limit=4&starting_after=inv_012", "limit=4&starting_after=inv_016", "limit=4&starting_after=inv_020" } },
        { "CursorLastIdHasMore", new[] { "limit=4", "limit=4&starting_after=inv_004", "limit=4&starting_after=inv_008", "limit=4&starting_after=inv_012", "limit=4&starting_after=inv_016", "limit=4&starting_after=inv_020" } },
        { "None", new[] { string.Empty } },
    };

    [Theory]
    [MemberData(nameof(QueriesForPagesOfFour))]
    public async Task Each_paging_type_sends_its_own_parameters(string paging, string[] expected)
    {
        using var connection = Connect(Variant(paging), PagingOptions.Sequential with { PageSize = 4 });

        await Read(connection);

        Assert.Equal(expected, Queries(connection));
    }

    [Theory]
    [InlineData("NextLink", "size")]
    [InlineData("LinkHeader", "per_page")]
    [InlineData("NextCursor", "limit")]
    public async Task Links_and_opaque_cursors_are_followed_as_the_server_wrote_them(string paging, string sizeName)
    {
        using var connection = Connect(Variant(paging), PagingOptions.Sequential with { PageSize = 4 });

        await Read(connection);

        var requests = connection.Emulator().Requests;
        Assert.Equal(6, requests.Count);
        Assert.Equal(sizeName + "=4", requests[0].QueryString);
        Assert.All(requests, r => Assert.Equal("4", r.QueryValue(sizeName)));
        var positions = requests.Skip(1).Select(r => r.QueryValue(paging == "NextCursor" ? "cursor" : "page_token")).ToList();
        Assert.All(positions, p => Assert.False(string.IsNullOrEmpty(p)));
        Assert.Equal(5, positions.Distinct(StringComparer.Ordinal).Count());
    }

    public static TheoryData<string, string> Authentications => new()
    {
        { "Bearer", Bearer },
        { "Header", """{ "Type": "Header", "Name": "X-Api-Key" }""" },
        { "BasicUser", """{ "Type": "Basic" }""" },
        { "BasicPassword", """{ "Type": "Basic", "KeyAs": "Password", "User": "api" }""" },
        { "Query", """{ "Type": "Query", "Name": "api_key" }""" },
        { "None", """{ "Type": "None" }""" },
    };

    [Theory]
    [MemberData(nameof(Authentications))]
    public async Task Every_authentication_type_sends_the_key_where_the_definition_says_on_every_page(string kind, string authentication)
    {
        foreach (var paging in new[] { "NextLink", "OffsetTotal", "LinkHeader" })
        {
            using var connection = Connect(Variant(paging, authentication), PagingOptions.Sequential with { PageSize = 10 });
            var observer = new RecordingObserver();

            var invoices = await Read(connection, observer: observer);

            Assert.Equal(AllIds, invoices.Select(i => i.Id));
            var requests = connection.Emulator().Requests;
            Assert.Equal(3, requests.Count);
            foreach (var request in requests)
            {
                var expected = kind switch
                {
                    "Bearer" => "Bearer " + Key,
                    "BasicUser" => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Key + ":")),
                    "BasicPassword" => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("api:" + Key)),
                    _ => null,
                };
                Assert.Equal(expected, request.Header("Authorization"));
                Assert.Equal(kind == "Header" ? Key : null, request.Header("X-Api-Key"));
                Assert.Equal(kind == "Query" ? new[] { Key } : Array.Empty<string>(), request.QueryValues("api_key"));
                Assert.Equal(kind == "Query", request.Uri.Query.Contains(Key, StringComparison.Ordinal));
            }

            // The key is in every request but never in what the module shows.
            Assert.DoesNotContain(observer.All, m => m.Contains(Key, StringComparison.Ordinal));
            Assert.DoesNotContain(Key, connection.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Settings_fill_the_user_and_headers_and_the_sandbox_needs_none_of_the_required_ones()
    {
        var name = Define(
            Pagings["NextLink"].Paging,
            Pagings["NextLink"].Items,
            authentication: """{ "Type": "Basic", "KeyAs": "Password", "User": "{Account}" }""",
            more: """ "Settings": { "Account": { "Required": true, "Pattern": "[a-z]+" } }, "Headers": { "X-Account": "acct-{Account}", "Acme-Version": "2024-01" }, """);
        using var defaults = Connect(name, PagingOptions.Sequential with { PageSize = 10 });
        using var given = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = name,
            Sandbox = true,
            DefinedSettings = new Dictionary<string, string> { ["account"] = "north" },
            Paging = PagingOptions.Sequential with { PageSize = 10 },
        });

        Assert.Equal(AllIds, (await Read(defaults)).Select(i => i.Id));
        Assert.Equal(AllIds, (await Read(given)).Select(i => i.Id));

        Assert.All(defaults.Emulator().Requests, r => Assert.Equal(
            ("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("sandbox:" + Key)), "acct-sandbox", "2024-01"),
            (r.Header("Authorization"), r.Header("X-Account"), r.Header("Acme-Version"))));
        Assert.All(given.Emulator().Requests, r => Assert.Equal(
            ("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("north:" + Key)), "acct-north", "2024-01"),
            (r.Header("Authorization"), r.Header("X-Account"), r.Header("Acme-Version"))));
        Assert.Equal(3, given.Emulator().Requests.Count);

        var refused = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = name,
            Sandbox = true,
            DefinedSettings = new Dictionary<string, string> { ["Account"] = "North-1" },
        }));
        Assert.Equal("Setting", refused.ParameterName);
        Assert.Contains("'North-1' is not a valid Account", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_by_the_sandbox_as_by_the_api()
    {
        var name = Variant("OffsetTotal", """{ "Type": "Query", "Name": "api_key" }""");
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = name,
            Sandbox = true,
            ApiKey = LoopbackSandbox.Secure("wrong-key-123"),
            Paging = PagingOptions.Sequential,
        });

        var error = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => Read(connection));

        Assert.DoesNotContain("wrong-key-123", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("wrong-key-123", Assert.Single(connection.Emulator().Requests).QueryValue("api_key"));
    }

    [Fact]
    public async Task One_status_word_goes_to_the_server_two_are_filtered_here()
    {
        var name = Variant("OffsetTotal", more: """ "Filters": { "Status": { "Parameter": "status" } }, """);
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 4 });

        var paid = await Read(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid } });
        var paidQueries = Queries(connection);
        connection.Emulator().ClearRequests();
        var paidOrVoid = await Read(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid, InvoiceStatus.Void } });

        Assert.Equal(Ids(Enumerable.Range(1, RecordCount).Where(n => Status(n) == "paid")), paid.Select(i => i.Id));
        Assert.Equal(new[] { "status=paid&limit=4&offset=0", "status=paid&limit=4&offset=4" }, paidQueries);
        Assert.Equal(Ids(Enumerable.Range(1, RecordCount).Where(n => Status(n) is "paid" or "void")), paidOrVoid.Select(i => i.Id));
        Assert.All(Queries(connection), q => Assert.DoesNotContain("status", q, StringComparison.Ordinal));
        Assert.Equal(6, connection.Emulator().Requests.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_number_is_asked_of_the_server_when_the_definition_says_so_and_looked_for_in_the_list_otherwise(bool onServer)
    {
        var name = Variant("OffsetTotal", more: onServer ? """ "Filters": { "Number": { "Parameter": "number" } }, """ : string.Empty);
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 5 });

        var invoices = await Read(connection, new InvoiceQuery { Number = "A-0012", PageSize = 5 });

        Assert.Equal("inv_012", Assert.Single(invoices).Id);
        Assert.Equal(
            // In the list, another invoice could have the same number: every page is read.
            onServer ? new[] { "number=A-0012&limit=5&offset=0" } : new[] { "limit=5&offset=0", "limit=5&offset=5", "limit=5&offset=10", "limit=5&offset=15", "limit=5&offset=20" },
            Queries(connection));
    }

    [Fact]
    public async Task Overdue_is_asked_of_the_server_as_its_open_word_and_worked_out_here_from_the_due_date()
    {
        var name = Variant("OffsetTotal", more: """ "OverdueAfterDueDate": true, "Filters": { "Status": { "Parameter": "status" } }, """);
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 100 });

        var overdue = await Read(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Overdue } });
        var overdueQueries = Queries(connection);
        connection.Emulator().ClearRequests();
        var open = await Read(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Open } });

        Assert.Equal(Ids(Enumerable.Range(1, RecordCount).Where(n => Status(n) == "open" && n % 2 == 0)), overdue.Select(i => i.Id));
        Assert.All(overdue, i => Assert.Equal(("open", InvoiceStatus.Overdue), (i.ProviderStatus, i.Status)));
        Assert.Equal(new[] { "status=open&limit=100&offset=0" }, overdueQueries);
        Assert.Equal(Ids(Enumerable.Range(1, RecordCount).Where(n => Status(n) == "open" && n % 2 == 1)), open.Select(i => i.Id));
        Assert.Equal(new[] { "status=open&limit=100&offset=0" }, Queries(connection));
    }

    public static TheoryData<string, string, string, string, int[]> DateFilters => new()
    {
        // Created after 2026-01-05 09:30 (record 5 is at 10:00) and before 2026-01-10 11:00: records 5 to 10.
        { "UnixSeconds", "created_unix", "from=1767605400", "to=1768042800", new[] { 5, 10 } },
        { "ISO8601", "created", "from=2026-01-05T09:30:00Z", "to=2026-01-10T11:00:00Z", new[] { 5, 10 } },

        // A day bound: the start is cut to its day, the end rounded up to the next day, and the module checks both again.
        { "yyyy-MM-dd", "created_day", "from=2026-01-05", "to=2026-01-11", new[] { 5, 10 } },
    };

    [Theory]
    [MemberData(nameof(DateFilters))]
    public async Task Date_filters_go_to_the_server_in_its_format_and_the_end_bound_is_rounded_up(string format, string field, string from, string to, int[] range)
    {
        // The module reads CreatedAt from the field the server filters on, in that field's own format.
        var mapped = field switch
        {
            "created_unix" => "{ \"Path\": \"created_unix\", \"Format\": \"UnixSeconds\" }",
            "created_day" => "{ \"Path\": \"created\", \"Format\": \"ISO8601\" }",
            _ => "\"created\"",
        };
        var invoice = StandardInvoice.Replace("\"CreatedAt\": \"created\"", "\"CreatedAt\": " + mapped, StringComparison.Ordinal);
        var name = Define(
            Pagings["OffsetTotal"].Paging,
            invoice: invoice,
            more: $$""" "Filters": { "CreatedAfter": { "Parameter": "from", "Format": "{{format}}" }, "CreatedBefore": { "Parameter": "to", "Format": "{{format}}" } }, """);
        using var connection = Connect(name);

        var invoices = await Read(connection, new InvoiceQuery { CreatedAfter = Created(5).AddMinutes(-30), CreatedBefore = Created(10).AddHours(1) });

        Assert.Equal(Ids(Enumerable.Range(range[0], range[1] - range[0] + 1)), invoices.Select(i => i.Id));
        Assert.Equal($"{from}&{to}&limit=100&offset=0", Assert.Single(Queries(connection)));
    }

    [Fact]
    public async Task A_list_sorted_newest_first_stops_paging_once_past_CreatedAfter()
    {
        var newestFirst = JsonSerializer.Deserialize<JsonElement[]>(StandardRecords())!.Reverse().ToArray();
        var name = Define(Pagings["Offset"].Paging, records: JsonSerializer.SerializeToUtf8Bytes(newestFirst), newestFirst: true);
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 4 });

        var invoices = await Read(connection, new InvoiceQuery { CreatedAfter = Created(18), PageSize = 4 });

        Assert.Equal(Ids(new[] { 23, 22, 21, 20, 19 }), invoices.Select(i => i.Id));
        Assert.Equal(new[] { "limit=4&offset=0", "limit=4&offset=4" }, Queries(connection));
    }

    [Fact]
    public async Task A_day_bound_from_the_server_is_checked_again_by_the_module()
    {
        var name = Define(
            Pagings["OffsetTotal"].Paging,
            more: """ "Filters": { "CreatedAfter": { "Parameter": "from", "Format": "yyyy-MM-dd" }, "CreatedBefore": { "Parameter": "to", "Format": "yyyy-MM-dd" } }, """);
        using var connection = Connect(name);

        // After 10:00 on the 5th (strictly, as for every provider) and before 09:00 on the 10th: the server's days
        // hold records 5 to 10; the module keeps 6 to 9.
        var invoices = await Read(connection, new InvoiceQuery { CreatedAfter = Created(5), CreatedBefore = Created(10).AddHours(-1) });

        Assert.Equal(Ids(new[] { 6, 7, 8, 9 }), invoices.Select(i => i.Id));
        Assert.Equal("from=2026-01-05&to=2026-01-11&limit=100&offset=0", Assert.Single(Queries(connection)));
    }

    [Theory]
    [InlineData("2026-01-10T11:00:00Z", "UnixSeconds", false, "1768042800")]
    [InlineData("2026-01-10T11:00:00Z", "UnixSeconds", true, "1768042800")]
    [InlineData("2026-01-10T11:00:00.5Z", "UnixSeconds", false, "1768042800")]
    [InlineData("2026-01-10T11:00:00.5Z", "UnixSeconds", true, "1768042801")]
    [InlineData("2026-01-10T11:00:00.0004Z", "UnixMilliseconds", true, "1768042800001")]
    [InlineData("2026-01-10T11:00:00Z", "UnixMilliseconds", true, "1768042800000")]
    [InlineData("2026-01-10T13:00:00+02:00", "ISO8601", false, "2026-01-10T11:00:00Z")]
    [InlineData("2026-01-10T11:00:00.25Z", "ISO8601", true, "2026-01-10T11:00:00.2500000Z")]
    [InlineData("2026-01-10T11:00:00Z", "yyyy-MM-dd", false, "2026-01-10")]
    [InlineData("2026-01-10T11:00:00Z", "yyyy-MM-dd", true, "2026-01-11")]
    [InlineData("2026-01-10T00:00:00Z", "yyyy-MM-dd", true, "2026-01-10")]
    [InlineData("2026-01-10T01:00:00+02:00", "yyyy-MM-dd", false, "2026-01-09")]
    [InlineData("2026-12-31T23:30:00Z", "yyyy-MM-dd", true, "2027-01-01")]
    [InlineData("2026-01-10T11:20:30Z", "yyyy-MM-dd'T'HH:mm", true, "2026-01-10T11:21")]
    [InlineData("2026-01-10T11:20:00Z", "yyyy-MM-dd'T'HH:mm", true, "2026-01-10T11:20")]
    [InlineData("2026-01-10T11:20:30Z", "yyyy-MM-dd HH", true, "2026-01-10 12")]
    [InlineData("2026-01-10T11:20:30.5Z", "yyyy-MM-dd'T'HH:mm:ss", true, "2026-01-10T11:20:31")]
    public void WriteDate_writes_an_instant_in_the_filters_format_in_UTC_and_rounds_an_end_bound_up(string instant, string format, bool roundUp, string expected) =>
        Assert.Equal(expected, DefinedProvider.WriteDate(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture), format, roundUp));

    [Theory]
    [InlineData("Offset", 3, 5)]
    [InlineData("PageLastPage", 0, 7)]
    [InlineData("CursorLastId", 10, 4)]
    [InlineData("NextLink", 21, 10)]
    [InlineData("None", 20, 1)]
    public async Task First_and_Skip_return_the_records_after_the_skipped_ones(string paging, long skip, long first)
    {
        using var connection = Connect(Variant(paging), PagingOptions.Sequential with { PageSize = 4 });

        var invoices = await Read(connection, new InvoiceQuery { Skip = skip, First = first, PageSize = 4 });

        var expected = AllIds.Skip((int)skip).Take((int)first).ToList();
        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.True(connection.Emulator().Requests.Count <= ((skip + first + 3) / 4) + 1, $"{connection.Emulator().Requests.Count} requests for {skip + first} records");
    }

    [Fact]
    public void Id_goes_to_the_item_endpoint_when_there_is_one()
    {
        var name = Define(Pagings["OffsetTotal"].Paging, more: """ "Item": { "Path": "/v1/invoices/{id}", "Object": "invoice" }, """);
        using var connection = Connect(name);

        var found = InvoiceEngine.GetInvoicesById(connection, new[] { "inv_007", "inv_404", "inv_012" }).ToList();

        Assert.Equal(new[] { "inv_007", "inv_404", "inv_012" }, found.Select(f => f.Id));
        Assert.Equal(("inv_007", "A-0007", 7.25m, "USD"), (found[0].Invoice!.Id, found[0].Invoice!.Number, found[0].Invoice!.Total, found[0].Invoice!.Currency));
        Assert.Null(found[0].Error);
        Assert.Null(found[1].Invoice);
        Assert.NotNull(found[1].Error);
        Assert.Equal("inv_012", found[2].Invoice!.Id);
        Assert.Equal(
            new[] { "/v1/invoices/inv_007", "/v1/invoices/inv_404", "/v1/invoices/inv_012" },
            connection.Emulator().Requests.Select(r => r.Path.Substring(Route(name).Length + 1)));
    }

    [Fact]
    public void Id_reads_the_list_until_it_finds_the_invoices_when_there_is_no_item_endpoint()
    {
        var name = Define(Pagings["Offset"].Paging);
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 5 });
        var observer = new RecordingObserver();

        var found = InvoiceEngine.GetInvoicesById(connection, new[] { "inv_009", "inv_003" }, observer).ToList();

        Assert.Equal(new[] { "inv_009", "inv_003" }, found.Select(f => f.Invoice!.Id));
        Assert.Equal(new[] { "limit=5&offset=0", "limit=5&offset=5" }, Queries(connection));
        Assert.Contains(observer.Verbose, m => m.Contains("has no single-invoice endpoint, so the list is read until the invoices are found", StringComparison.Ordinal));

        connection.Emulator().ClearRequests();
        var missing = Assert.Single(InvoiceEngine.GetInvoicesById(connection, new[] { "inv_999" }));
        Assert.IsType<InvoiceNotFoundException>(missing.Error);
        Assert.Contains("lists no invoice 'inv_999'", missing.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(5, connection.Emulator().Requests.Count);
    }

    [Fact]
    public void Id_through_the_list_matches_ids_exactly_as_the_stream_does()
    {
        var records = """
            [ { "id": "inv_A", "status": "paid" }, { "id": "inv_a", "status": "open" }, { "id": "INV_B", "status": "void" } ]
            """;
        var name = Define(Pagings["None"].Paging, "$", invoice: """{ "Id": "id", "Status": "status" }""", records: Encoding.UTF8.GetBytes(records));
        using var connection = Connect(name);

        var found = InvoiceEngine.GetInvoicesById(connection, new[] { "inv_a", "inv_A", "inv_b" }).ToList();

        Assert.Equal(("inv_a", InvoiceStatus.Open), (found[0].Invoice!.Id, found[0].Invoice!.Status));
        Assert.Equal(("inv_A", InvoiceStatus.Paid), (found[1].Invoice!.Id, found[1].Invoice!.Status));
        Assert.Null(found[2].Invoice);
        Assert.IsType<InvoiceNotFoundException>(found[2].Error);
    }

    [Fact]
    public async Task The_field_map_reads_units_formats_zones_default_currency_line_items_and_numbers()
    {
        var records = """
            [
              { "id": 1001, "number": 7, "status": "paid", "currency": "jpy", "total": 22000, "created": 1767866400,
                "due": "05/03/2026", "issued": "2026-03-01T09:00:00", "lines": [ { "title": "Hosting", "qty": "2", "amount": 2000 } ] },
              { "id": "kw-1", "number": "K-1", "status": "open", "currency": "KWD", "total": 12345, "created": 0,
                "due": "31/12/2026", "issued": "2026-03-01T09:00:00Z", "lines": [] },
              { "id": "us-1", "status": "void", "currency": "usd", "total": "2500", "created": "1767866400", "issued": null },
              { "id": "eu-1", "status": "refunded", "total": 1999, "created": null, "issued": "",
                "lines": [ { "title": "Seat", "qty": 1.5, "amount": "1000", "unit": 667 }, "not an object" ] }
            ]
            """;
        var invoice = """
            { "Id": "id", "Number": "number", "Status": "status", "Currency": "currency", "DefaultCurrency": "eur", "AmountUnit": "Minor",
              "Total": "total", "DateFormat": "UnixSeconds", "TimeZone": "+02:00", "CreatedAt": "created",
              "DueDate": { "Path": "due", "Format": "dd/MM/yyyy" }, "IssuedAt": { "Path": "issued", "Format": "ISO8601" },
              "LineItems": "lines", "LineItem": { "Name": "title", "Quantity": "qty", "Amount": "amount", "UnitPrice": "unit" } }
            """;
        var name = Define(Pagings["None"].Paging, "$", invoice: invoice, records: Encoding.UTF8.GetBytes(records), statuses: """{ "paid": "Paid", "open": "Open", "void": "Void" }""");
        using var connection = Connect(name);

        var invoices = await Read(connection);

        Assert.Equal(new[] { "1001", "kw-1", "us-1", "eu-1" }, invoices.Select(i => i.Id));
        var (jpy, kwd, usd, eur) = (invoices[0], invoices[1], invoices[2], invoices[3]);
        Assert.Equal(("7", "JPY", 22000m, "22000"), (jpy.Number, jpy.Currency, jpy.Total, jpy.Total!.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767866400), jpy.CreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 22, 0, 0, TimeSpan.Zero), jpy.DueDate);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero), jpy.IssuedAt);
        Assert.Equal((InvoiceStatus.Paid, 0m), (jpy.Status, jpy.AmountDue));
        var line = Assert.Single(jpy.LineItems);
        Assert.Equal(("Hosting", 2m, 2000m, "JPY", "1001", "7"), (line.Name, line.Quantity, line.Amount, line.Currency, line.InvoiceId, line.InvoiceNumber));

        Assert.Equal(("KWD", 12.345m, "12.345"), (kwd.Currency, kwd.Total, kwd.Total!.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Null(kwd.CreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), kwd.IssuedAt);
        Assert.Equal((InvoiceStatus.Open, 12.345m), (kwd.Status, kwd.AmountDue));
        Assert.Empty(kwd.LineItems);

        Assert.Equal(("USD", 25.00m, "25.00"), (usd.Currency, usd.Total, usd.Total!.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Null(usd.Number);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767866400), usd.CreatedAt);
        Assert.Null(usd.IssuedAt);
        Assert.Null(usd.DueDate);

        Assert.Equal(("EUR", 19.99m, InvoiceStatus.Unknown, "refunded"), (eur.Currency, eur.Total, eur.Status, eur.ProviderStatus));
        Assert.Null(eur.CreatedAt);
        Assert.Null(eur.IssuedAt);
        Assert.Null(eur.AmountDue);
        var seat = Assert.Single(eur.LineItems);
        Assert.Equal(("Seat", 1.5m, 10.00m, 6.67m, "EUR"), (seat.Name, seat.Quantity, seat.Amount, seat.UnitPrice, seat.Currency));
    }

    [Theory]
    [InlineData("2026-03-01T09:00:00", "ISO8601", "+02:00", "2026-03-01T07:00:00Z")]
    [InlineData("2026-03-01T09:00:00Z", "ISO8601", "+02:00", "2026-03-01T09:00:00Z")]
    [InlineData("2026-03-01T09:00:00+01:00", "ISO8601", "+02:00", "2026-03-01T08:00:00Z")]
    [InlineData("2026-03-01T09:00:00-0330", "ISO8601", "+02:00", "2026-03-01T12:30:00Z")]
    [InlineData("2026-03-01 09:00:00", "ISO8601", "+02:00", "2026-03-01T07:00:00Z")]
    [InlineData("2026-03-01 09:00:00Z", "ISO8601", "+02:00", "2026-03-01T09:00:00Z")]
    [InlineData("2026-03-01 09:00:00+01:00", "ISO8601", "-05:00", "2026-03-01T08:00:00Z")]
    [InlineData("2026-03-01", "ISO8601", "+02:00", "2026-02-28T22:00:00Z")]
    [InlineData("2026-03-01", "ISO8601", "UTC", "2026-03-01T00:00:00Z")]
    [InlineData("2026-03-01", "yyyy-MM-dd", "-01:00", "2026-03-01T01:00:00Z")]
    [InlineData("01.03.2026 09:15", "dd.MM.yyyy HH:mm", "+01:00", "2026-03-01T08:15:00Z")]
    [InlineData("2026-03-01T09:00:00+05:00", "yyyy-MM-dd'T'HH:mm:sszzz", "+02:00", "2026-03-01T04:00:00Z")]
    [InlineData("1772355600", "UnixSeconds", "+02:00", "2026-03-01T09:00:00Z")]
    [InlineData("1772355600000", "UnixMilliseconds", "-05:00", "2026-03-01T09:00:00Z")]
    public async Task A_date_is_read_in_its_format_and_a_time_without_an_offset_in_the_definitions_zone(string text, string format, string zone, string expected)
    {
        var record = JsonSerializer.Serialize(new[] { new Dictionary<string, object> { ["id"] = "inv_1", ["status"] = "paid", ["when"] = text } });
        var invoice = $$"""{ "Id": "id", "Status": "status", "TimeZone": "{{zone}}", "IssuedAt": { "Path": "when", "Format": "{{format}}" } }""";
        var name = Define(Pagings["None"].Paging, "$", invoice: invoice, records: Encoding.UTF8.GetBytes(record));
        using var connection = Connect(name);

        var issued = Assert.Single(await Read(connection)).IssuedAt;

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), issued);
        Assert.Equal(TimeSpan.Zero, issued!.Value.Offset);
    }

    [Fact]
    public async Task An_answer_without_the_items_path_names_the_provider_and_the_url_without_the_key()
    {
        var name = Define(Pagings["OffsetTotal"].Paging, authentication: """{ "Type": "Query", "Name": "api_key" }""");
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 10 }, clock: new RecordingTimeProvider());
        connection.Emulator().InjectFault(SandboxFault.Body("""{ "invoices": [] }""", "application/json"), times: 10, api: Route(name), afterRequests: 1);

        var error = await Assert.ThrowsAsync<InvoiceResponseException>(() => Read(connection));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains("'data' (List.Items)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"GET https://sandbox.invoicetools.invalid/{Route(name)}/v1/invoices?limit=10&offset=10 (HTTP 200)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.RequestUri ?? string.Empty, StringComparison.Ordinal);
        Assert.All(connection.Emulator().Requests, r => Assert.Equal(Key, r.QueryValue("api_key")));
    }

    [Theory]
    [InlineData("""{ "id": "inv_1", "status": "paid", "currency": "usd", "total": { "amount": 1 } }""", "total (Invoice.Total)")]
    [InlineData("""{ "id": "inv_1", "status": "paid", "currency": "usd", "total": "lots" }""", "total (Invoice.Total)")]
    [InlineData("""{ "id": "inv_1", "status": [ "paid" ], "currency": "usd", "total": 1 }""", "status (Invoice.Status)")]
    [InlineData("""{ "id": "inv_1", "status": "paid", "currency": "usd", "total": 1, "created": "yesterday" }""", "created (Invoice.CreatedAt)")]
    public async Task A_field_of_the_wrong_type_is_left_empty_with_a_warning_naming_it_and_its_path(string record, string expected)
    {
        // The sandbox refuses records without a usable id, so the answer is replaced rather than the records.
        var name = Define(Pagings["None"].Paging, "$", authentication: """{ "Type": "Query", "Name": "token" }""");
        using var connection = Connect(name, clock: new RecordingTimeProvider());
        connection.Emulator().InjectFault(SandboxFault.Body("[" + record + ", " + record.Replace("inv_1", "inv_2") + "]", "application/json"), times: 20, api: Route(name));
        var observer = new RecordingObserver();

        var invoices = await Read(connection, observer: observer);

        Assert.Equal(new[] { "inv_1", "inv_2" }, invoices.Select(i => i.Id));
        var warning = Assert.Single(observer.Warnings);
        Assert.Contains(expected, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, string.Join("\n", observer.All), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "id": { "n": 1 }, "status": "paid", "currency": "usd", "total": 1 }""")]
    [InlineData("""{ "number": "A-1", "status": "paid", "currency": "usd", "total": 1 }""")]
    public async Task An_invoice_without_a_usable_id_fails_its_page_naming_the_provider_and_the_path(string record)
    {
        var name = Define(Pagings["None"].Paging, "$", authentication: """{ "Type": "Query", "Name": "token" }""");
        using var connection = Connect(name, clock: new RecordingTimeProvider());
        connection.Emulator().InjectFault(SandboxFault.Body("[" + record + "]", "application/json"), times: 20, api: Route(name));

        var error = await Assert.ThrowsAsync<InvoiceResponseException>(() => Read(connection));

        Assert.StartsWith($"{name} sent a response that is not a valid invoice page for GET https://sandbox.invoicetools.invalid/{Route(name)}/v1/invoices (HTTP 200)", error.Message, StringComparison.Ordinal);
        Assert.Contains("an invoice has no Id at 'id' (Invoice.Id)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NextLink", """{ "Type": "Query", "Name": "api_key" }""")]
    [InlineData("LinkHeader", Bearer)]
    [InlineData("NextLink", """{ "Type": "Header", "Name": "X-Api-Key" }""")]
    public async Task A_next_link_to_another_host_is_refused_and_the_key_never_goes_there(string paging, string authentication)
    {
        var name = Variant(paging, authentication);
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 5 }, faults: new[] { "ForeignNextLink" });

        var invoices = new List<Invoice>();
        var error = await Assert.ThrowsAsync<InvoicePagingException>(async () =>
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All))
            {
                invoices.Add(invoice);
            }
        });

        Assert.Contains("a next-page link to another host", error.Message, StringComparison.Ordinal);
        Assert.Contains(SandboxFaultMatrix.ForeignHost, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(AllIds.Take(10), invoices.Select(i => i.Id));
        Assert.Equal(2, connection.Emulator().Requests.Count);
        Assert.All(connection.Emulator().Requests, r => Assert.Equal(InvoiceConnectionFactory.SandboxRoot.Host, r.Uri.Host));
    }

    [Theory]
    [InlineData("OffsetTotal", "RateLimitedRetryAfterSeconds")]
    [InlineData("OffsetTotal", "InternalServerError")]
    [InlineData("NextLink", "RateLimitedNoHint")]
    [InlineData("NextCursor", "ServiceUnavailable")]
    [InlineData("PageLastPage", "TruncatedJson")]
    public async Task A_fault_on_page_two_is_retried_and_the_run_completes(string paging, string fault)
    {
        var clock = new RecordingTimeProvider();
        var name = Variant(paging, """{ "Type": "Query", "Name": "api_key" }""");
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 5 }, faults: new[] { fault }, clock: clock);
        var observer = new RecordingObserver();

        var invoices = await Read(connection, observer: observer);

        Assert.Equal(AllIds, invoices.Select(i => i.Id));
        var queries = Queries(connection);
        Assert.Equal(6, queries.Count);
        Assert.Equal(queries[1], queries[2]);
        Assert.Equal(5, queries.Distinct(StringComparer.Ordinal).Count());
        Assert.NotEmpty(clock.Delays);
        if (fault == "RateLimitedRetryAfterSeconds")
        {
            Assert.Contains(TimeSpan.FromSeconds(2), clock.Delays);
        }

        Assert.DoesNotContain(observer.All, m => m.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_relative_next_link_is_read_against_the_request_and_still_carries_the_key()
    {
        var name = Variant("NextLink", """{ "Type": "Query", "Name": "api_key" }""");
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 10 });
        connection.Emulator().InjectFault(
            SandboxFault.From(c => SandboxPages.Rewrite(c.Normal(), page =>
            {
                var next = page["links"]!["next"]!.GetValue<string>();
                page["links"]!["next"] = new Uri(next).PathAndQuery;
                return page;
            })),
            times: 2,
            api: Route(name));

        var invoices = await Read(connection);

        Assert.Equal(AllIds, invoices.Select(i => i.Id));
        var requests = connection.Emulator().Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal((InvoiceConnectionFactory.SandboxRoot.Host, Key), (r.Uri.Host, r.QueryValue("api_key"))));
        Assert.Equal(new[] { "10", "10", "10" }, requests.Select(r => r.QueryValue("size")));
    }

    [Theory]
    [InlineData("CursorLastId")]
    [InlineData("NextCursor")]
    [InlineData("NextLink")]
    [InlineData("Offset")]
    public async Task A_server_that_answers_the_same_page_again_is_asked_again_and_no_invoice_repeats(string paging)
    {
        var name = Variant(paging);
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 5 }, faults: new[] { "RepeatedPage" });

        var invoices = await Read(connection);

        Assert.Equal(AllIds, invoices.Select(i => i.Id));
        var queries = Queries(connection);
        Assert.Equal(6, queries.Count);
        Assert.Equal(queries[1], queries[2]);
        Assert.Equal(5, queries.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Faults_injected_on_the_definitions_route_leave_other_routes_alone()
    {
        var clock = new RecordingTimeProvider();
        var name = Variant("PageTotal");
        using var connection = Connect(name, PagingOptions.Sequential with { PageSize = 10 }, clock: clock);
        connection.Emulator().InjectFault(SandboxFaultKind.InternalServerError, times: 2, api: "revere", afterRequests: 0);
        connection.Emulator().InjectFault(SandboxFaultKind.BadGateway, times: 2, api: Route(name), afterRequests: 2);

        var invoices = await Read(connection);

        Assert.Equal(AllIds, invoices.Select(i => i.Id));
        Assert.Equal(new[] { "page=1&per_page=10", "page=2&per_page=10", "page=3&per_page=10", "page=3&per_page=10", "page=3&per_page=10" }, Queries(connection));
        Assert.Equal(2, clock.Delays.Count);
    }

    [Fact]
    public void A_fault_the_definition_cannot_have_is_refused_at_connect()
    {
        var name = Variant("Offset");

        var error = Assert.Throws<InvoiceConfigurationException>(() => Connect(name, faults: new[] { "ForeignNextLink" }));

        Assert.Contains("ForeignNextLink needs next links (NextLink or LinkHeader paging)", error.Message, StringComparison.Ordinal);
        Assert.Equal("SandboxFault", error.ParameterName);
    }

    [Theory]
    [InlineData("<https://api.example.com/v1/invoices?page=2>; rel=\"next\"", "https://api.example.com/v1/invoices?page=2")]
    [InlineData("<https://api.example.com/v1/invoices?page=2>; rel=next", "https://api.example.com/v1/invoices?page=2")]
    [InlineData("<https://a.example/?page=1>; rel=\"prev\", <https://a.example/?page=3>; rel=\"next\", <https://a.example/?page=9>; rel=\"last\"", "https://a.example/?page=3")]
    [InlineData("<https://a.example/?page=9>; rel=\"next last\"", "https://a.example/?page=9")]
    [InlineData("<https://a.example/?page=9>; rel=\"last next\"", "https://a.example/?page=9")]
    [InlineData("<https://a.example/?page=9>; title=\"x\"; REL=\"Next\"", "https://a.example/?page=9")]
    [InlineData("<https://a.example/?page=9>;rel=next;title=x", "https://a.example/?page=9")]
    [InlineData("</v1/invoices?cursor=abc>; rel=\"next\"", "/v1/invoices?cursor=abc")]
    [InlineData("<https://a.example/?page=1>; rel=\"prev\"", null)]
    [InlineData("<https://a.example/?page=1>; rel=\"nextpage\"", null)]
    [InlineData("<https://a.example/?page=1>; rel=\"prefetch\"", null)]
    [InlineData("https://a.example/?page=2; rel=\"next\"", null)]
    [InlineData("", null)]
    public void NextFromLinkHeader_finds_the_rel_next_link(string header, string? expected) =>
        Assert.Equal(expected, DefinedProvider.NextFromLinkHeader(new[] { header }));

    [Fact]
    public void NextFromLinkHeader_reads_several_header_values_and_none()
    {
        Assert.Equal("https://a.example/2", DefinedProvider.NextFromLinkHeader(new[] { "<https://a.example/0>; rel=\"first\"", "<https://a.example/2>; rel=\"next\"" }));
        Assert.Null(DefinedProvider.NextFromLinkHeader(Array.Empty<string>()));
    }
}
