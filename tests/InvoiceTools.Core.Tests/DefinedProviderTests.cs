using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Providers;
using InvoiceTools.Providers.Defined;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// A built-in provider re-expressed as a definition file (Opterius Commerce's documented contract) against the same
/// emulator: the two send the same queries and return the same invoices, field by field.
/// </summary>
public sealed class DefinedProviderTests
{
    /// <summary>Opterius Commerce as a user would define it from its documentation (tests/Fixtures/Opterius, shared with the benchmark).</summary>
    private static readonly string OpteriusDefinition = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "opterius.definition.json"));

    public static TheoryData<string, InvoiceQuery> Queries => new()
    {
        { "every invoice, pages of 15", new InvoiceQuery { PageSize = 15 } },
        { "every invoice, the largest pages", InvoiceQuery.All },
        { "one status, on the server", new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid }, PageSize = 20 } },
        { "one status, Overdue", new InvoiceQuery { Statuses = new[] { InvoiceStatus.Overdue } } },
        { "two statuses, in the module", new InvoiceQuery { Statuses = new[] { InvoiceStatus.Open, InvoiceStatus.Void }, PageSize = 25 } },
        { "-First 5", new InvoiceQuery { First = 5 } },
        { "-Skip 3 -First 4", new InvoiceQuery { Skip = 3, First = 4 } },
        { "-CreatedAfter", new InvoiceQuery { CreatedAfter = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), PageSize = 30 } },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task A_built_in_provider_as_a_definition_sends_the_same_queries_and_returns_the_same_invoices(string what, InvoiceQuery query)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { OpteriusInvoiceCount = 130 });
        using var registered = Registered(OpteriusDefinition);
        using var builtIn = host.ConnectOpterius(paging: PagingOptions.Sequential);
        using var defined = ConnectDefined(host, PagingOptions.Sequential);

        var expected = await InvoiceEngine.GetInvoicesAsync(builtIn, query).ToListAsync();
        var expectedQueries = host.Queries;
        host.Sandbox.ClearRequests();
        var actual = await InvoiceEngine.GetInvoicesAsync(defined, query).ToListAsync();

        Assert.True(expected.Count > 0, $"{what}: the built-in provider returned nothing, so the comparison would prove nothing.");
        Assert.Equal(expectedQueries, host.Queries);
        Assert.Equal(expected.Select(Fields), actual.Select(Fields));
        Assert.All(actual, i => Assert.Equal("OpteriusAsDefinition", i.Provider));
        Assert.Equal("Opterius", expected[0].Provider);
    }

    [Fact]
    public async Task A_number_is_looked_up_with_the_same_queries()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { OpteriusInvoiceCount = 130 });
        using var registered = Registered(OpteriusDefinition);
        using var builtIn = host.ConnectOpterius(paging: PagingOptions.Sequential);
        using var defined = ConnectDefined(host, PagingOptions.Sequential);
        var number = (await InvoiceEngine.GetInvoicesAsync(builtIn, InvoiceQuery.All).ToListAsync())[37].Number;
        host.Sandbox.ClearRequests();
        var query = new InvoiceQuery { Number = number, First = 1, PageSize = 20 };

        var expected = Assert.Single(await InvoiceEngine.GetInvoicesAsync(builtIn, query).ToListAsync());
        var expectedQueries = host.Queries;
        host.Sandbox.ClearRequests();
        var actual = Assert.Single(await InvoiceEngine.GetInvoicesAsync(defined, query).ToListAsync());

        Assert.Equal(Fields(expected), Fields(actual));
        Assert.Equal(expectedQueries, host.Queries);
        Assert.Equal(2, host.Queries.Count);
    }

    private static InvoiceProviderConnection ConnectDefined(LoopbackSandbox host, PagingOptions paging) =>
        InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = "OpteriusAsDefinition",
            BaseUri = host.Server.ApiBase(OpteriusApi.ApiName).AbsoluteUri,
            ApiKey = LoopbackSandbox.Secure(OpteriusApi.Token),
            Retry = new RetryOptions { AttemptTimeout = Timeout.InfiniteTimeSpan },
            TimeProvider = host.Clock,
            Paging = paging,
        });

    [Fact]
    public async Task With_read_ahead_the_definition_returns_the_same_invoices_in_the_same_order()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { OpteriusInvoiceCount = 260 });
        using var registered = Registered(OpteriusDefinition);
        using var builtIn = host.ConnectOpterius(paging: new PagingOptions { Prefetch = 3, PageConcurrency = 4 });
        using var defined = ConnectDefined(host, new PagingOptions { Prefetch = 3, PageConcurrency = 4 });

        var query = new InvoiceQuery { PageSize = 10 };
        var expected = await InvoiceEngine.GetInvoicesAsync(builtIn, query).ToListAsync();
        var builtInQueries = host.Queries.OrderBy(q => q, StringComparer.Ordinal).ToList();
        host.Sandbox.ClearRequests();
        var actual = await InvoiceEngine.GetInvoicesAsync(defined, query).ToListAsync();

        Assert.Equal(260, actual.Count);
        Assert.Equal(expected.Select(Fields), actual.Select(Fields));
        Assert.Equal(builtInQueries, host.Queries.OrderBy(q => q, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1, 7, 2)]
    [InlineData(0, 7, 2)]
    [InlineData(0, 6, 2)]
    [InlineData(0, 1, 5)]
    [InlineData(0, 7, 7)]
    [InlineData(1, 7, 100)]
    public async Task A_page_numbered_list_with_its_last_page_returns_every_record_whatever_its_first_page(int firstPage, int records, int pageSize)
    {
        var name = $"FirstPage{firstPage}R{records}S{pageSize}";
        using var folder = new TemporaryFolder();
        var ids = Enumerable.Range(1, records).Select(i => $"i{i}").ToList();
        File.WriteAllText(Path.Combine(folder.Path, "r.json"), $"[{string.Join(",", ids.Select(id => $"{{\"id\":\"{id}\",\"s\":\"open\"}}"))}]");
        using var registered = Registered($$"""
            { "Name": "{{name}}", "BaseUri": "https://api.example.com", "Authentication": { "Type": "Bearer" },
              "List": { "Path": "/inv", "Items": "data" },
              "Paging": { "Type": "Page", "Page": "p", "PageSize": "n", "MaxPageSize": 100, "FirstPage": {{firstPage}}, "LastPage": "last" },
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" }, "Sandbox": { "Records": "r.json" } }
            """, "p.json", folder.Path);
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Defined, ProviderName = name, Sandbox = true, Paging = PagingOptions.Sequential });

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = pageSize }).ToListAsync();

        Assert.Equal(ids, invoices.Select(i => i.Id));
        var pages = (records + pageSize - 1) / pageSize;
        Assert.Equal(Enumerable.Range(firstPage, pages).Select(p => $"p={p}&n={pageSize}"), connection.Emulator().Requests.Select(r => r.QueryString));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("...")]
    [InlineData("evil.example/x")]
    [InlineData("a@b")]
    [InlineData("t?x=1")]
    public void A_setting_that_would_move_the_address_is_refused_before_any_request(string tenant)
    {
        using var registered = Registered("""
            { "Name": "TenantPath", "BaseUri": "https://gw.example/{Tenant}/api", "Settings": { "Tenant": { "Required": true } },
              "Authentication": { "Type": "Query", "Name": "api_key" }, "List": { "Path": "/inv", "Items": "$" },
              "Paging": { "Type": "None" }, "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" } }
            """);

        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = "TenantPath",
            Name = "tenant-test",
            ApiKey = LoopbackSandbox.Secure("k"),
            DefinedSettings = new Dictionary<string, string> { ["Tenant"] = tenant },
        }));

        Assert.Equal("Setting", ex.ParameterName);
        Assert.Contains("Tenant", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_that_does_not_fit_its_field_leaves_it_empty_with_a_warning_and_the_page_is_kept()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "r.json"), """
            [ { "id": "a", "s": "open", "amt": 1250, "cur": "USD", "at": "2026-01-02T03:04:05Z" },
              { "id": "b", "s": "open", "amt": "abc", "cur": "USD", "at": "not a date" },
              { "id": "c", "s": "open", "amt": true, "cur": "USD", "at": "2026-01-03" } ]
            """);
        using var registered = Registered("""
            { "Name": "OddValues", "BaseUri": "https://api.example.com", "Authentication": { "Type": "Bearer" },
              "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s", "Total": "amt", "Currency": "cur", "AmountUnit": "Minor", "CreatedAt": "at" },
              "Statuses": { "open": "Open" }, "Sandbox": { "Records": "r.json" } }
            """, "odd.json", folder.Path);
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Defined, ProviderName = "OddValues", Sandbox = true });
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, observer).ToListAsync();

        Assert.Equal(new[] { "a", "b", "c" }, invoices.Select(i => i.Id));
        Assert.Equal(new decimal?[] { 12.50m, null, null }, invoices.Select(i => i.Total));
        Assert.Equal(new DateTimeOffset?[] { new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), null, new(2026, 1, 3, 0, 0, 0, TimeSpan.Zero) }, invoices.Select(i => i.CreatedAt));
        Assert.Equal("\"abc\"", invoices[1].Raw["amt"] is string text ? $"\"{text}\"" : null);
        var warning = Assert.Single(observer.Warnings);
        Assert.Contains("amt (Invoice.Total)", warning, StringComparison.Ordinal);
        Assert.Contains("at (Invoice.CreatedAt)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_of_an_optional_setting_not_given_is_left_out()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "r.json"), """[ { "id": "a", "s": "open" } ]""");
        using var registered = Registered("""
            { "Name": "OptionalHeader", "BaseUri": "https://api.example.com", "Settings": { "Tenant": {}, "Region": {} },
              "Authentication": { "Type": "Bearer" }, "Headers": { "X-Tenant": "{Tenant}", "X-Fixed": "yes" },
              "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" }, "Sandbox": { "Records": "r.json" } }
            """, "h.json", folder.Path);
        using var given = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Defined, ProviderName = "OptionalHeader", Sandbox = true, DefinedSettings = new Dictionary<string, string> { ["Tenant"] = "t1" } });
        using var notGiven = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Defined, ProviderName = "OptionalHeader", Sandbox = true });

        _ = await InvoiceEngine.GetInvoicesAsync(given, InvoiceQuery.All).ToListAsync();
        _ = await InvoiceEngine.GetInvoicesAsync(notGiven, InvoiceQuery.All).ToListAsync();

        Assert.Equal("t1", Assert.Single(given.Emulator().Requests).Header("X-Tenant"));
        var request = Assert.Single(notGiven.Emulator().Requests);
        Assert.Null(request.Header("X-Tenant"));
        Assert.Equal("yes", request.Header("X-Fixed"));
    }

    [Theory]
    [InlineData("Customer", "CustomerId")]
    [InlineData("Number", "Number")]
    [InlineData("ExternalId", "ExternalId")]
    [InlineData("CreatedAfter", "CreatedAt")]
    public void A_server_filter_needs_the_field_it_compares(string filter, string field)
    {
        var json = $$"""
            { "Name": "NeedsField", "BaseUri": "https://api.example.com", "Authentication": { "Type": "Bearer" },
              "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s", "CustomerName": "name" }, "Statuses": { "open": "Open" },
              "Filters": { "{{filter}}": { "Parameter": "q" } } }
            """;

        var ex = Assert.Throws<InvoiceDefinitionException>(() => ProviderDefinition.Read(DefinitionJson.Read(Encoding.UTF8.GetBytes(json), "f.json"), "f.json", null));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal($"Filters.{filter}", problem.Key);
        Assert.Equal(4, problem.Line);
        Assert.Contains($"Invoice.{field}", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cursor", "\"next\": \"A\"", "\"next\": \"B\"")]
    [InlineData("NextLink", "\"next\": \"https://sandbox.invoicetools.invalid/defined-circle-nextlink/inv?p=2\"", "\"next\": \"https://sandbox.invoicetools.invalid/defined-circle-nextlink/inv?p=3\"")]
    public async Task Links_or_cursors_that_go_in_a_circle_stop_the_run_with_the_invoices_already_read(string paging, string first, string second)
    {
        var name = $"Circle-{paging}";
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "r.json"), """[ { "id": "x", "s": "open" } ]""");
        var pagingJson = paging == "Cursor"
            ? """{ "Type": "Cursor", "Cursor": "c", "NextCursor": "next", "PageSize": "n", "MaxPageSize": 10 }"""
            : """{ "Type": "NextLink", "Next": "next", "MaxPageSize": 10 }""";
        using var registered = Registered($$"""
            { "Name": "{{name}}", "BaseUri": "https://api.example.com", "Authentication": { "Type": "None" },
              "List": { "Path": "/inv", "Items": "data" }, "Paging": {{pagingJson}},
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" }, "Sandbox": { "Records": "r.json" } }
            """, "c.json", folder.Path);
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Defined, ProviderName = name, Sandbox = true, Paging = PagingOptions.Sequential });
        var route = $"defined-{name.ToLowerInvariant()}";
        var emulator = connection.Emulator();
        foreach (var (id, next) in new[] { ("a", first), ("b", second), ("c", first), ("d", second) })
        {
            emulator.InjectFault(SandboxFault.Body($$"""{ "data": [ { "id": "{{id}}", "s": "open" } ], {{next}} }""", "application/json"), times: 1, api: route);
        }

        var read = new List<Invoice>();
        var error = await Assert.ThrowsAsync<InvoicePagingException>(async () =>
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All))
            {
                read.Add(invoice);
            }
        });

        Assert.Equal(new[] { "a", "b", "c" }, read.Select(i => i.Id));
        Assert.Contains("go in a circle", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, emulator.Requests.Count);
    }

    [Theory]
    [InlineData("Page", """{ "Type": "Page", "Page": "p", "PageSize": "n", "MaxPageSize": 10, "HasMore": "more" }""")]
    [InlineData("Cursor", """{ "Type": "Cursor", "Cursor": "after", "PageSize": "n", "MaxPageSize": 10, "HasMore": "more" }""")]
    public async Task A_short_page_that_says_there_is_more_is_not_the_last(string paging, string pagingJson)
    {
        var name = $"ShortPage-{paging}";
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "r.json"), """[ { "id": "x", "s": "open" } ]""");
        using var registered = Registered($$"""
            { "Name": "{{name}}", "BaseUri": "https://api.example.com", "Authentication": { "Type": "None" },
              "List": { "Path": "/inv", "Items": "data" }, "Paging": {{pagingJson}},
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" }, "Sandbox": { "Records": "r.json" } }
            """, "s.json", folder.Path);
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Defined, ProviderName = name, Sandbox = true, Paging = PagingOptions.Sequential });
        var emulator = connection.Emulator();
        var route = $"defined-{name.ToLowerInvariant()}";
        emulator.InjectFault(SandboxFault.Body("""{ "data": [ { "id": "a", "s": "open" }, { "id": "b", "s": "open" } ], "more": true }""", "application/json"), times: 1, api: route);
        emulator.InjectFault(SandboxFault.Body("""{ "data": [ { "id": "c", "s": "open" } ], "more": false }""", "application/json"), times: 1, api: route);

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 10 }).ToListAsync();

        Assert.Equal(new[] { "a", "b", "c" }, invoices.Select(i => i.Id));
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Theory]
    [InlineData("<https://h.example/x?fields=id,status&page=2>; rel=\"next\"", "https://h.example/x?fields=id,status&page=2")]
    [InlineData("<https://h.example/x?page=1>; rel=\"prev\", <https://h.example/x?a=1,2&page=3>; rel=\"next\"", "https://h.example/x?a=1,2&page=3")]
    [InlineData("<https://h.example/x?page=9>; rel=\"last\"", null)]
    public void A_Link_header_URL_may_hold_commas(string header, string? next) =>
        Assert.Equal(next, DefinedProvider.NextFromLinkHeader(new[] { header }));

    [Fact]
    public async Task A_date_the_calendar_cannot_hold_is_left_empty_with_a_warning()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "r.json"), """
            [ { "id": "a", "s": "open", "at": 1781773920000, "due": "0001-01-01T00:00:00" },
              { "id": "b", "s": "open", "at": 1781773920, "due": "2026-07-01T00:00:00" } ]
            """);
        using var registered = Registered("""
            { "Name": "FarDates", "BaseUri": "https://api.example.com", "Authentication": { "Type": "None" },
              "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s", "CreatedAt": { "Path": "at", "Format": "UnixSeconds" },
                           "DueDate": { "Path": "due", "TimeZone": "+02:00" } },
              "Statuses": { "open": "Open" }, "Sandbox": { "Records": "r.json" } }
            """, "far.json", folder.Path);
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Defined, ProviderName = "FarDates", Sandbox = true });
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, observer).ToListAsync();

        Assert.Equal(new DateTimeOffset?[] { null, DateTimeOffset.FromUnixTimeSeconds(1781773920) }, invoices.Select(i => i.CreatedAt));
        Assert.Equal(new DateTimeOffset?[] { null, new(2026, 6, 30, 22, 0, 0, TimeSpan.Zero) }, invoices.Select(i => i.DueDate));
        Assert.Contains("at (Invoice.CreatedAt)", Assert.Single(observer.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void BaseUri_replaces_an_address_with_placeholders_and_their_settings()
    {
        using var registered = Registered("""
            { "Name": "RegionAddress", "BaseUri": "https://{Region}.api.example", "Settings": { "Region": {} },
              "Authentication": { "Type": "Bearer" }, "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" } }
            """);

        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = "RegionAddress",
            BaseUri = "https://eu.gateway.example/billing",
            ApiKey = LoopbackSandbox.Secure("k"),
        });

        Assert.Equal("https://eu.gateway.example/billing", connection.BaseUri.AbsoluteUri);
    }

    [Theory]
    [InlineData("Workspace")]
    [InlineData("Currency")]
    [InlineData("GroupId")]
    public void A_settings_row_column_named_as_a_built_in_setting_is_the_definitions_own(string setting)
    {
        using var registered = Registered($$"""
            { "Name": "Shares{{setting}}", "BaseUri": "https://api.example.com/{{{setting}}}", "Settings": { "{{setting}}": { "Required": true } },
              "Authentication": { "Type": "Bearer" }, "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" } }
            """);

        var options = ConnectionSettings.Read(new[] { new KeyValuePair<string, object?>("Provider", $"Shares{setting}"), new KeyValuePair<string, object?>(setting, "acme") }, out var ignored);
        options.ApiKey = LoopbackSandbox.Secure("k");
        using var connection = InvoiceConnectionFactory.Connect(options);

        Assert.Empty(ignored);
        Assert.Equal("acme", options.DefinedSettings[setting]);
        Assert.Equal($"https://api.example.com/acme", connection.BaseUri.AbsoluteUri);
    }

    [Fact]
    public void A_Pattern_that_takes_too_long_is_named_not_thrown_raw()
    {
        using var registered = Registered("""
            { "Name": "SlowPattern", "BaseUri": "https://api.example.com", "Settings": { "S": { "Pattern": "(a+)+$" } },
              "Authentication": { "Type": "Bearer" }, "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" } }
            """);

        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = "SlowPattern",
            Name = "slow",
            ApiKey = LoopbackSandbox.Secure("k"),
            DefinedSettings = new Dictionary<string, string> { ["S"] = new string('a', 40) + "!" },
        }));

        Assert.Contains("Pattern", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Setting", ex.ParameterName);
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("Content-Language")]
    [InlineData("Expires")]
    [InlineData("Authorization")]
    [InlineData("Cookie")]
    public void A_header_a_GET_request_cannot_carry_is_refused_at_registration(string header)
    {
        var json = $$"""
            { "Name": "BodyHeader", "BaseUri": "https://api.example.com", "Authentication": { "Type": "Bearer" },
              "Headers": { "{{header}}": "x" }, "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" } }
            """;

        var ex = Assert.Throws<InvoiceDefinitionException>(() => ProviderDefinition.Read(DefinitionJson.Read(Encoding.UTF8.GetBytes(json), "h.json"), "h.json", null));

        Assert.Equal(DefinitionNode.ChildPath("Headers", header), Assert.Single(ex.Problems).Key);
    }

    [Fact]
    public void Two_providers_cannot_share_a_key_variable_or_a_name_from_two_files()
    {
        const string Template = """
            { "Name": "NAME", "BaseUri": "https://api.example.com", "Authentication": { "Type": "Bearer" },
              "List": { "Path": "/inv", "Items": "$" }, "Paging": { "Type": "None" },
              "Invoice": { "Id": "id", "Status": "s" }, "Statuses": { "open": "Open" } }
            """;
        ProviderDefinition Definition(string name) => ProviderDefinition.Read(DefinitionJson.Read(Encoding.UTF8.GetBytes(Template.Replace("NAME", name)), "k.json"), "k.json", null);
        using var first = Registered(Template.Replace("NAME", "Key-Share"), "a.json");

        var shared = Assert.Throws<InvoiceConfigurationException>(() => ProviderCatalog.Register(Definition("Key_Share"), "b.json"));
        var twice = Assert.Throws<InvoiceConfigurationException>(() => ProviderCatalog.Register(Definition("Key-Share"), "c.json", replaceOtherFile: false));

        Assert.Contains("INVOICETOOLS_KEY_SHARE_API_KEY", shared.Message, StringComparison.Ordinal);
        Assert.Equal("Force", twice.ParameterName);
        Assert.Equal("a.json", ProviderCatalog.Find("Key-Share")!.DefinitionFile);
        Assert.Null(ProviderCatalog.Find("Key_Share"));
    }

    [Theory]
    [InlineData("2026-07-01T10:00:00Z", true)]
    [InlineData("2026-07-01T10:00:00.123z", true)]
    [InlineData("2026-07-01T10:00:00+02:00", true)]
    [InlineData("2026-07-01T10:00:00-0500", true)]
    [InlineData("2026-07-01T10:00:00+02", true)]
    [InlineData("2026-07-01 10:00:00+02:00", true)]
    [InlineData("2026-07-01T10:00:00", false)]
    [InlineData("2026-07-01T10:00:00.1234567", false)]
    [InlineData("2026-07-01", false)]
    [InlineData("2026-07-01 10:00", false)]
    public void An_ISO_8601_time_says_whether_it_has_its_zone(string text, bool hasOffset) =>
        Assert.Equal(hasOffset, DefinedProvider.HasOffset(text));

    /// <summary>Every field of an invoice but the provider's name: what a user would compare in a CSV.</summary>
    private static string Fields(Invoice i) =>
        string.Join("|", i.Id, i.Number, i.Status, i.ProviderStatus, i.Currency, i.Subtotal, i.Tax, i.Total, i.AmountDue, i.AmountPaid,
            i.CustomerId, i.CustomerName, i.CustomerEmail, i.Description, i.ExternalId,
            i.CreatedAt?.ToString("O"), i.IssuedAt?.ToString("O"), i.DueDate?.ToString("O"), i.PaidAt?.ToString("O"), i.UpdatedAt?.ToString("O"),
            i.LineItems.Count, i.Raw.Count, string.Join(",", i.Raw.Keys.Cast<string>()), i.Connection is null);

    /// <summary>Registers a definition for the test and removes it after.</summary>
    internal static IDisposable Registered(string json, string file = "test.json", string? folder = null)
    {
        var definition = ProviderDefinition.Read(DefinitionJson.Read(Encoding.UTF8.GetBytes(json), file), file, folder);
        ProviderCatalog.Register(definition, file);
        return new Unregistering(definition.Name);
    }

    /// <summary>A folder for a test's records, deleted after.</summary>
    private sealed class TemporaryFolder : IDisposable
    {
        public TemporaryFolder() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"it-{Guid.NewGuid():n}"));

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private sealed class Unregistering : IDisposable
    {
        private readonly string _name;

        public Unregistering(string name) => _name = name;

        public void Dispose() => ProviderCatalog.Unregister(_name);
    }
}
