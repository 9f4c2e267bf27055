using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using InvoiceTools.Checkpoints;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

public sealed class LookupTests
{
    public static TheoryData<InvoiceProviderKind, XenditGateway, string, string> Providers() => new()
    {
        { InvoiceProviderKind.Revere, XenditGateway.Direct, "/revere/api/v1/groups/" + RevereApi.GroupId + "/invoices/", Guid.NewGuid().ToString() },
        { InvoiceProviderKind.Revolv3, XenditGateway.Direct, "/revolv3/api/Invoices/", "1" },
        { InvoiceProviderKind.Opterius, XenditGateway.Direct, "/opterius/api/v1/invoices/", "999999" },
        { InvoiceProviderKind.Kitchen, XenditGateway.Direct, "/kitchen/api/invoices/", "in_missing" },
        { InvoiceProviderKind.Xendit, XenditGateway.Direct, "/xendit/v2/invoices/", "579c8d61f23fa4ca35e52da4" },
        { InvoiceProviderKind.Xendit, XenditGateway.Appgregator, "/appgregator/xendit/find/", "579c8d61f23fa4ca35e52da4" },
    };

    private static InvoiceProviderConnection Connect(InvoiceSandbox sandbox, InvoiceProviderKind kind, XenditGateway gateway = XenditGateway.Direct) =>
        InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = kind, Sandbox = true, SandboxInstance = sandbox.AsServer(), Gateway = gateway, Paging = LoopbackSandbox.Pinned(null) });

    [Theory]
    [MemberData(nameof(Providers))]
    public void Finds_ids_with_the_single_invoice_endpoint_and_reports_missing_ones_without_stopping(InvoiceProviderKind kind, XenditGateway gateway, string itemPath, string missingId)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, kind, gateway);
        var listed = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 2 }).ToList();
        sandbox.ClearRequests();

        var results = InvoiceEngine.GetInvoicesById(connection, new[] { listed[1].Id, missingId, listed[0].Id }).ToList();

        Assert.Equal(new[] { listed[1].Id, missingId, listed[0].Id }, results.Select(r => r.Id));
        Assert.Null(results[1].Invoice);
        Assert.IsType<InvoiceNotFoundException>(results[1].Error);
        foreach (var (result, expected) in new[] { (results[0], listed[1]), (results[2], listed[0]) })
        {
            Assert.Null(result.Error);
            var found = result.Invoice!;
            Assert.Equal((expected.Id, expected.Number, expected.Status, expected.Total, expected.Currency, expected.CustomerName), (found.Id, found.Number, found.Status, found.Total, found.Currency, found.CustomerName));
            Assert.Equal(connection.Name, found.Connection);
            Assert.True(found.Raw.Count > 3);
        }

        Assert.Equal(
            new[] { itemPath + Uri.EscapeDataString(listed[1].Id), itemPath + missingId, itemPath + Uri.EscapeDataString(listed[0].Id) },
            sandbox.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revolv3, "abc")]
    [InlineData(InvoiceProviderKind.Opterius, "12.5")]
    public void An_id_the_provider_cannot_have_is_not_found_without_a_request(InvoiceProviderKind kind, string id)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, kind);

        var result = Assert.Single(InvoiceEngine.GetInvoicesById(connection, new[] { id }));

        Assert.IsType<InvoiceNotFoundException>(result.Error);
        Assert.Empty(sandbox.Requests);
    }

    public static TheoryData<InvoiceProviderKind, XenditGateway, string> PathTricks()
    {
        var data = new TheoryData<InvoiceProviderKind, XenditGateway, string>();
        foreach (var row in Providers())
        {
            foreach (var id in new[] { ".", "..", " . ", "", "   ", "\t", "in\r\nX-Injected: yes", "in\u0000x", "in\u007f", "in\u2028x" })
            {
                data.Add((InvoiceProviderKind)row[0], (XenditGateway)row[1], id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PathTricks))]
    public void An_id_that_is_not_one_path_segment_is_refused_before_any_request(InvoiceProviderKind kind, XenditGateway gateway, string id)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, kind, gateway);
        var good = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 1 }).Single().Id;
        sandbox.ClearRequests();

        // A good id before it does not go out either: the whole -Id list is checked first.
        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.GetInvoicesById(connection, new[] { good, id }));

        Assert.Equal("Id", error.ParameterName);
        Assert.Equal(kind, error.Provider);
        Assert.Matches(@"^-Id (is empty|is '\.{1,2}', which a URL reads as the list or its parent folder, not as an invoice|contains a (line break|control character \(U\+[0-9A-F]{4}\)) at character \d+)\.$", error.Message);
        Assert.Equal(("InvoiceToolsInvalidArgument", "InvalidArgument"), ErrorClassification.Classify(error));
        Assert.Empty(sandbox.Requests);
    }

    [Theory]
    [InlineData("in_123")]
    [InlineData("a/b")]
    [InlineData("a?b#c")]
    [InlineData("..a")]
    [InlineData("%2e%2e")]
    public void Any_other_id_is_escaped_into_one_segment_of_the_item_path(string id)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, InvoiceProviderKind.Kitchen);

        var result = Assert.Single(InvoiceEngine.GetInvoicesById(connection, new[] { id }));

        Assert.IsType<InvoiceNotFoundException>(result.Error);
        var request = Assert.Single(sandbox.Requests);
        Assert.Equal("/kitchen/api/invoices/" + Uri.EscapeDataString(id), request.Uri.AbsolutePath);
    }

    public static TheoryData<InvoiceProviderKind, XenditGateway, string> WrongAnswers()
    {
        var data = new TheoryData<InvoiceProviderKind, XenditGateway, string>();
        foreach (var row in Providers())
        {
            foreach (var answer in new[] { "list", "no id", "other invoice" })
            {
                data.Add((InvoiceProviderKind)row[0], (XenditGateway)row[1], answer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WrongAnswers))]
    public void A_single_invoice_answer_that_is_not_the_invoice_asked_for_is_an_invalid_response(InvoiceProviderKind kind, XenditGateway gateway, string answer)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, kind, gateway);
        var requests = new List<SandboxRequest>();
        sandbox.BeforeAnswer = requests.Add;
        var listed = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 2, PageSize = 2 }).ToList();
        Assert.NotNull(Assert.Single(InvoiceEngine.GetInvoicesById(connection, new[] { listed[0].Id })).Invoice);
        var listRequest = requests[0];
        var otherItemRequest = requests[^1];
        var wrapped = kind is InvoiceProviderKind.Kitchen or InvoiceProviderKind.Opterius;
        var api = gateway == XenditGateway.Appgregator ? XenditApi.ProxyApiName : LoopbackSandbox.ApiName(kind);
        sandbox.ClearRequests();
        sandbox.InjectFault(
            answer switch
            {
                "list" => SandboxFault.From(c => c.AnswerTo(listRequest)),
                "no id" => SandboxFault.Body(wrapped ? "{\"data\":{\"status\":\"paid\"}}" : "{\"status\":\"paid\"}", "application/json"),
                _ => SandboxFault.From(c => c.AnswerTo(otherItemRequest)),
            },
            api: api);

        var error = Assert.Throws<InvoiceResponseException>(() => InvoiceEngine.GetInvoicesById(connection, new[] { listed[1].Id }).ToList());

        Assert.Equal(("InvoiceToolsInvalidResponse", "InvalidData"), ErrorClassification.Classify(error));
        Assert.Contains(" sent a response that is not a valid invoice for GET ", error.Message, StringComparison.Ordinal);
        if (answer == "other invoice")
        {
            Assert.Contains($"the answer is invoice '{listed[0].Id}', where invoice '{listed[1].Id}' was asked for", error.Message, StringComparison.Ordinal);
        }

        // Well-formed JSON of the wrong invoice is not a passing fault: asked once, not retried.
        Assert.Single(sandbox.Requests);
    }

    [Fact]
    public void A_wrong_key_stops_the_lookup_with_an_authentication_error()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true, SandboxInstance = sandbox.AsServer(), ApiKey = LoopbackSandbox.Secure("wrong") });

        Assert.Throws<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesById(connection, new[] { "in_x" }).ToList());
    }

    [Fact]
    public void Revolv3_finds_a_number_with_its_server_filter()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, InvoiceProviderKind.Revolv3);
        var target = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 150 }).Last();
        sandbox.ClearRequests();

        var found = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { Number = target.Number, First = 1 }).ToList();

        Assert.Equal(target.Id, Assert.Single(found).Id);
        var request = Assert.Single(sandbox.Requests);
        Assert.Equal("/revolv3/api/Invoices", request.Path);
        Assert.Equal(target.Number, request.QueryValue("merchantInvoiceRefId"));
    }

    [Fact]
    public void Revere_finds_a_number_by_reading_the_list_until_it_appears()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, InvoiceProviderKind.Revere);
        var target = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 250 }).Last();
        sandbox.ClearRequests();

        var found = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { Number = target.Number!.ToLowerInvariant(), First = 1 }).ToList();

        Assert.Equal(target.Id, Assert.Single(found).Id);
        // The pages are read in the list's order; pages already requested ahead when the number turned up are cancelled.
        var queries = sandbox.Requests.Select(r => r.QueryString).ToList();
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=200" }, queries.Take(3));
        Assert.InRange(queries.Count, 3, 3 + PagingOptions.Default.PageConcurrency);
    }

    [Fact]
    public void Xendit_refuses_a_number_before_any_request()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Connect(sandbox, InvoiceProviderKind.Xendit);

        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.Plan(connection, new InvoiceQuery { Number = "INV-1" }));

        Assert.Equal("Number", ex.ParameterName);
        Assert.Empty(sandbox.Requests);
    }
}

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "invoicetools-checkpoint-" + Guid.NewGuid().ToString("N"));

    public CheckpointTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>What Get-Invoice -Checkpoint does: filter, deliver, and save only when the run ends without error.</summary>
    private static List<Invoice> Run(InvoiceProviderConnection connection, string path, InvoiceQuery? query = null, Action<int>? afterEach = null)
    {
        query ??= InvoiceQuery.All;
        var scope = CheckpointFile.Open(path, connection, query);
        var started = DateTimeOffset.UtcNow;
        var delivered = new List<Invoice>();
        foreach (var invoice in scope.OnlyNewOrChanged(InvoiceEngine.GetInvoices(connection, scope.Narrow(query, connection, out _))))
        {
            delivered.Add(invoice);
            scope.Delivered(invoice);
            afterEach?.Invoke(delivered.Count);
        }

        scope.Commit(started, DateTimeOffset.UtcNow);
        return delivered;
    }

    private static InvoiceProviderConnection Revere(InvoiceSandbox sandbox) =>
        InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, SandboxInstance = sandbox.AsServer(), Paging = LoopbackSandbox.Pinned(null) });

    [Fact]
    public void The_first_run_returns_everything_the_next_nothing_and_then_exactly_what_changed()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("revere.json");

        var first = Run(connection, path);
        var second = Run(connection, path);
        var changed = sandbox.Revere.Ids.Skip(10).Take(3).ToList();
        foreach (var id in changed)
        {
            sandbox.Revere.SetStatus(id, "archived", DateTimeOffset.UtcNow);
        }

        var added = new[] { sandbox.Revere.AddInvoice(DateTimeOffset.UtcNow), sandbox.Revere.AddInvoice(DateTimeOffset.UtcNow.AddMinutes(-1)) };
        var third = Run(connection, path);
        var fourth = Run(connection, path);

        Assert.Equal(1200, first.Count);
        Assert.Equal(1200, first.Select(i => i.Id).Distinct().Count());
        Assert.Empty(second);
        Assert.Equal(changed.Concat(added).OrderBy(i => i, StringComparer.Ordinal), third.Select(i => i.Id).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(third.Where(i => changed.Contains(i.Id)), i => Assert.Equal(InvoiceStatus.Void, i.Status));
        Assert.Empty(fourth);
    }

    [Fact]
    public void A_run_that_fails_midway_leaves_the_checkpoint_untouched_and_the_next_run_repeats_the_work()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("revere.json");

        var failedFirst = Assert.Throws<InvoiceValidationException>(() => Run(connection, path, afterEach: n =>
        {
            if (n == 250)
            {
                sandbox.InjectFault(SandboxFault.Status(400, body: "{\"message\":\"bad request\"}"));
            }
        }));
        Assert.False(File.Exists(path), "a failed first run must not create the checkpoint");
        Assert.Equal(1200, Run(connection, path).Count);
        var saved = File.ReadAllBytes(path);

        var changed = sandbox.Revere.Ids.Take(2).ToList();
        foreach (var id in changed)
        {
            sandbox.Revere.SetStatus(id, "paid", DateTimeOffset.UtcNow);
        }

        var injected = false;
        Assert.Throws<InvoiceValidationException>(() => Run(connection, path, afterEach: _ =>
        {
            if (!injected)
            {
                injected = true;
                sandbox.InjectFault(SandboxFault.Status(400, body: "{\"message\":\"bad request\"}"));
            }
        }));
        Assert.Equal(saved, File.ReadAllBytes(path));
        Assert.Equal(changed.OrderBy(i => i, StringComparer.Ordinal), Run(connection, path).Select(i => i.Id).OrderBy(i => i, StringComparer.Ordinal));
        Assert.NotNull(failedFirst);
    }

    [Fact]
    public async Task Concurrent_runs_of_different_scopes_keep_both_and_never_corrupt_the_file()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("shared.json");
        var paid = new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid } };
        var overdue = new InvoiceQuery { Statuses = new[] { InvoiceStatus.Overdue } };

        await Task.WhenAll(
            Task.Run(() => { for (var i = 0; i < 4; i++) { Run(connection, path, paid); } }),
            Task.Run(() => { for (var i = 0; i < 4; i++) { Run(connection, path, overdue); } }));

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var scopes = document.RootElement.GetProperty("scopes").EnumerateObject().ToList();
        Assert.Equal(2, scopes.Count);
        var paidCount = InvoiceEngine.GetInvoices(connection, paid).Count();
        var overdueCount = InvoiceEngine.GetInvoices(connection, overdue).Count();
        Assert.Equal(new[] { overdueCount, paidCount }.OrderBy(c => c), scopes.Select(s => s.Value.GetProperty("invoices").EnumerateObject().Count()).OrderBy(c => c));
        Assert.Empty(Run(connection, path, paid));
        Assert.Empty(Run(connection, path, overdue));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void The_file_holds_ids_and_hashes_only_and_stays_small()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("revere.json");

        Run(connection, path);

        var text = File.ReadAllText(path);
        Assert.DoesNotContain(RevereApi.ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("partner", text, StringComparison.Ordinal);
        Assert.True(new FileInfo(path).Length < 1200 * 64, "checkpoint is " + new FileInfo(path).Length + " bytes for 1,200 invoices");
        using var document = JsonDocument.Parse(text);
        Assert.Equal(CheckpointFile.Format, document.RootElement.GetProperty("format").GetString());
        var scope = Assert.Single(document.RootElement.GetProperty("scopes").EnumerateObject()).Value;
        Assert.Equal(1200, scope.GetProperty("count").GetInt32());
        Assert.All(scope.GetProperty("invoices").EnumerateObject(), e => Assert.Matches("^[0-9a-f]{16}$", e.Value.GetString()!));
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused_before_any_request()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = Revere(sandbox);
        var path = PathOf("notes.json");
        File.WriteAllText(path, "{\"hello\":1}");

        var ex = Assert.Throws<InvoiceConfigurationException>(() => CheckpointFile.Open(path, connection, InvoiceQuery.All));

        Assert.Equal("Checkpoint", ex.ParameterName);
        Assert.Empty(sandbox.Requests);
    }

    [Fact]
    public void Revolv3_asks_the_server_only_for_invoices_updated_since_the_last_run()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revolv3, Sandbox = true, SandboxInstance = sandbox.AsServer() });
        var path = PathOf("revolv3.json");

        Assert.Equal(430, Run(connection, path).Count);
        sandbox.ClearRequests();
        var second = Run(connection, path);

        Assert.Empty(second);
        var request = Assert.Single(sandbox.Requests);
        Assert.Equal("/revolv3/api/Invoices/v1", request.Path);
        Assert.NotNull(request.QueryValue("lastUpdateStartDate"));
    }

    [Fact]
    public void Fingerprints_follow_the_update_time_and_status_or_else_every_byte()
    {
        var updated = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var a = new Invoice { Id = "1", UpdatedAt = updated, ProviderStatus = "open", Status = InvoiceStatus.Open, Raw = new RawRecord(Encoding.UTF8.GetBytes("{\"a\":1}")) };
        var sameTimeOtherBytes = new Invoice { Id = "1", UpdatedAt = updated, ProviderStatus = "open", Status = InvoiceStatus.Open, Raw = new RawRecord(Encoding.UTF8.GetBytes("{\"a\":2}")) };
        var overdueNow = new Invoice { Id = "1", UpdatedAt = updated, ProviderStatus = "open", Status = InvoiceStatus.Overdue };
        var later = new Invoice { Id = "1", UpdatedAt = updated.AddSeconds(1), ProviderStatus = "open", Status = InvoiceStatus.Open };
        var noTime1 = new Invoice { Id = "2", Raw = new RawRecord(Encoding.UTF8.GetBytes("{\"total\":100}")) };
        var noTime2 = new Invoice { Id = "2", Raw = new RawRecord(Encoding.UTF8.GetBytes("{\"total\":101}")) };

        Assert.Equal(InvoiceFingerprint.Of(a), InvoiceFingerprint.Of(sameTimeOtherBytes));
        Assert.NotEqual(InvoiceFingerprint.Of(a), InvoiceFingerprint.Of(overdueNow));
        Assert.NotEqual(InvoiceFingerprint.Of(a), InvoiceFingerprint.Of(later));
        Assert.NotEqual(InvoiceFingerprint.Of(noTime1), InvoiceFingerprint.Of(noTime2));
        Assert.Equal(InvoiceFingerprint.Of(noTime1), InvoiceFingerprint.Of(new Invoice { Id = "2", Raw = new RawRecord(Encoding.UTF8.GetBytes("{\"total\":100}")) }));
    }
}

public sealed class CheckpointScopeTests
{
    private static readonly HashSet<string> Paging = new(StringComparer.Ordinal) { "PageSize", "Skip", "First" };

    /// <summary>A value of the property's type that is not its default.</summary>
    private static object SampleFor(System.Reflection.PropertyInfo property) => property.PropertyType switch
    {
        var t when t == typeof(DateTimeOffset?) => new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        var t when t == typeof(string) => "x-" + property.Name,
        var t when t == typeof(IReadOnlyList<InvoiceStatus>) => new[] { InvoiceStatus.Paid },
        var t when t == typeof(IReadOnlyList<XenditClientType>) => new[] { XenditClientType.Dashboard },
        var t when t == typeof(IReadOnlyList<string>) => new[] { "OVO" },
        var t when t == typeof(KitchenState?) => KitchenState.All,
        var t when t == typeof(int?) => 7,
        var t when t == typeof(long?) => 7L,
        var t when t == typeof(long) => 7L,
        var t => throw new InvalidOperationException($"InvoiceQuery.{property.Name} has a type ({t}) this test cannot fill: add it, so the checkpoint scope test covers it."),
    };

    private static InvoiceQuery With(System.Reflection.PropertyInfo property, object value)
    {
        var query = new InvoiceQuery() with { };
        property.SetValue(query, value);
        return query;
    }

    [Fact]
    public void Every_filter_changes_the_checkpoint_scope_and_paging_does_not()
    {
        var properties = typeof(InvoiceQuery).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance);
        var empty = InvoiceQuery.All.Signature();
        var seen = new HashSet<string>(StringComparer.Ordinal) { empty };
        foreach (var property in properties)
        {
            var signature = With(property, SampleFor(property)).Signature();
            if (Paging.Contains(property.Name))
            {
                Assert.True(signature == empty, $"-{property.Name} changed the checkpoint scope: {signature}");
            }
            else
            {
                Assert.True(seen.Add(signature), $"-{property.Name} does not change the checkpoint scope: {signature}");
            }
        }

        Assert.Equal(properties.Length - Paging.Count + 1, seen.Count);
    }

    [Fact]
    public void Runs_with_different_UpdatedAfter_values_have_different_scopes_and_old_scopes_keep_their_signature()
    {
        var day = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.NotEqual(new InvoiceQuery { UpdatedAfter = day }.Signature(), new InvoiceQuery { UpdatedAfter = day.AddDays(1) }.Signature());

        // Written by earlier versions into checkpoint files: the same query must still find its scope.
        Assert.Equal("Status=Overdue,Paid;CreatedAfter=2026-11-01T00:00:00.0000000Z;ClientType=Dashboard;UpdatedBefore=2026-11-01T00:00:00.0000000Z;State=All",
            new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid, InvoiceStatus.Overdue }, CreatedAfter = day, ClientTypes = new[] { XenditClientType.Dashboard }, UpdatedBefore = day, State = KitchenState.All, PageSize = 5, First = 3 }.Signature());
    }
}
