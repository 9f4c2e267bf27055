using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Issue 19: what real servers send (a BOM, index-keyed data, http next links, login redirects, short pages).</summary>
public sealed class RealWorldDataTests
{
    public static IEnumerable<object[]> Providers() => ProviderKinds.BuiltIn.Select(k => new object[] { k });

    private static async Task<List<string>> FirstPageIds(InvoiceProviderKind provider)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.Connect(provider);
        return (await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5, First = 5 }).ToListAsync()).Select(i => i.Id).ToList();
    }

    [Fact]
    public void Every_provider_says_how_it_reads_dates_without_an_offset()
    {
        var builtIn = InvoiceTools.Providers.ProviderCatalog.Descriptors.Where(d => d.Kind != InvoiceProviderKind.Defined).ToList();
        Assert.Equal(ProviderKinds.BuiltIn.Length, builtIn.Count);
        Assert.All(builtIn, d =>
        {
            Assert.StartsWith("UTC", d.DatesWithoutOffset, StringComparison.Ordinal);
            Assert.Contains("midnight UTC", d.DatesWithoutOffset, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_utf8_byte_order_mark_before_the_json_is_read_in_one_request(InvoiceProviderKind provider)
    {
        var expected = await FirstPageIds(provider);
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.Rewrite(context.Normal(), page => page, new byte[] { 0xEF, 0xBB, 0xBF })));
        using var connection = host.Connect(provider);

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5, First = 5 }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.Single(host.Sandbox.Requests);
        Assert.StartsWith("{", invoices[0].Raw.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere)]
    [InlineData(InvoiceProviderKind.Kitchen)]
    public async Task An_error_body_with_a_byte_order_mark_still_gives_the_providers_message(InvoiceProviderKind provider)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.From(_ => new SandboxResponse(422, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{\"message\":\"The limit field must be at most 100.\"}")).ToArray())));
        using var connection = host.Connect(provider);

        var error = await Assert.ThrowsAsync<InvoiceValidationException>(() => InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5 }).ToListAsync());

        Assert.Equal("The limit field must be at most 100.", error.ProviderMessage);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_list_keyed_by_index_is_read_in_key_order(InvoiceProviderKind provider)
    {
        var expected = await FirstPageIds(provider);
        await using var host = await LoopbackSandbox.StartAsync();

        // Laravel's filtered collection keeps its keys; written here in reverse so that key order is what counts.
        host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.Rewrite(context.Normal(), page =>
        {
            var list = SandboxPages.Items(provider, page);
            var keyed = new JsonObject();
            for (var i = list.Count - 1; i >= 0; i--)
            {
                keyed[(i * 3 + 1).ToString(CultureInfo.InvariantCulture)] = list[i]!.DeepClone();
            }

            if (page is JsonArray)
            {
                return keyed;
            }

            page[provider == InvoiceProviderKind.Revere ? "items" : "data"] = keyed;
            return page;
        })));
        using var connection = host.Connect(provider);

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5, First = 5 }).ToListAsync();

        Assert.Equal(expected, invoices.Select(i => i.Id));
        Assert.Single(host.Sandbox.Requests);
    }

    [Fact]
    public async Task An_object_with_keys_that_are_not_indexes_is_not_a_list()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.Rewrite(context.Normal(), page =>
        {
            page["data"] = new JsonObject { ["first"] = SandboxPages.Items(InvoiceProviderKind.Kitchen, page)[0]!.DeepClone() };
            return page;
        })));
        using var connection = host.ConnectKitchen();

        var error = await Assert.ThrowsAsync<InvoiceResponseException>(() => InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5 }).ToListAsync());

        Assert.Contains("found the key 'first'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.example.com/invoices?page=2", "https://api.example.com/", "https://api.example.com/invoices?page=2", true)]
    [InlineData("http://API.example.com:8080/invoices?page=2", "https://api.example.com:8443/v1/", "https://api.example.com:8443/invoices?page=2", true)]
    [InlineData("http://api.example.com/invoices?page=2", "http://api.example.com/", "http://api.example.com/invoices?page=2", true)]
    [InlineData("https://api.example.com/invoices?page=2", "https://api.example.com/", "https://api.example.com/invoices?page=2", true)]
    [InlineData("http://other.example.com/invoices?page=2", "https://api.example.com/", "http://other.example.com/invoices?page=2", false)]
    [InlineData("https://api.example.com/invoices?page=2", "http://api.example.com/", "https://api.example.com/invoices?page=2", false)]
    public void A_next_link_written_with_http_on_the_connections_host_is_followed_over_https(string link, string connection, string followed, bool keyMayGo)
    {
        var result = InvoiceEngine.OverConnectionScheme(new Uri(link), new Uri(connection));

        Assert.Equal(followed, result.AbsoluteUri);
        Assert.Equal(keyMayGo, CredentialHandler.SameOrigin(result, new Uri(connection)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_redirect_to_a_login_page_is_an_authentication_failure_after_one_request(InvoiceProviderKind provider)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.From(context =>
        {
            var response = new SandboxResponse(302, Encoding.UTF8.GetBytes("<html>Redirecting to /login</html>"), "text/html");
            response.Headers["Location"] = new Uri(context.Request.Uri, "/login").AbsoluteUri;
            return response;
        }));
        using var connection = host.Connect(provider);

        var error = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5 }).ToListAsync());

        Assert.Single(host.Sandbox.Requests);
        Assert.Contains("redirected to a login page", error.Message, StringComparison.Ordinal);
        Assert.Contains("/login", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Check the API key", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, error.StatusCode);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Kitchen, "{\"message\":\"Route [login] not defined.\",\"exception\":\"Symfony\\\\Component\\\\Routing\\\\Exception\\\\RouteNotFoundException\"}")]
    [InlineData(InvoiceProviderKind.Opterius, "<!DOCTYPE html><html><title>Route [login] not defined.</title></html>")]
    [InlineData(InvoiceProviderKind.Revere, "{\"message\":\"Route [login] not defined.\"}")]
    public async Task A_missing_login_route_is_an_authentication_failure_not_an_outage(InvoiceProviderKind provider, string body)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.From(_ => new SandboxResponse(500, Encoding.UTF8.GetBytes(body), body.StartsWith('{') ? "application/json" : "text/html")), times: 10);
        using var connection = host.Connect(provider);

        var error = await Assert.ThrowsAsync<InvoiceAuthenticationException>(() => InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5 }).ToListAsync());

        Assert.Single(host.Sandbox.Requests);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("Route [login] not defined.", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Check the API key", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_500s_and_redirects_keep_their_meaning()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.Status(500, body: "{\"message\":\"Server Error\"}"), times: 1);
        using var connection = host.ConnectKitchen();
        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5, First = 5 }).ToListAsync();
        Assert.Equal(5, invoices.Count);
        Assert.Equal(2, host.Sandbox.Requests.Count);

        host.Sandbox.ClearRequests();
        host.Sandbox.InjectFault(SandboxFault.From(_ =>
        {
            var moved = new SandboxResponse(301, Array.Empty<byte>());
            moved.Headers["Location"] = "https://api.kitchen.example/v2/invoices";
            return moved;
        }));
        var error = await Assert.ThrowsAsync<InvoiceApiException>(() => InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5 }).ToListAsync());
        Assert.Contains("redirects are not followed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Xendit, 23, 10)]
    [InlineData(InvoiceProviderKind.Revolv3, 23, 10)]
    [InlineData(InvoiceProviderKind.Xendit, 7, 20)]
    [InlineData(InvoiceProviderKind.Revolv3, 1, 5)]
    public async Task A_short_page_that_ends_paging_is_said_under_verbose_with_the_counts(InvoiceProviderKind provider, int count, int pageSize)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = count, Revolv3InvoiceCount = count });
        using var connection = host.Connect(provider);
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = pageSize }, observer).ToListAsync();

        Assert.Equal(count, invoices.Count);
        var pages = (count / pageSize) + 1;
        var last = count % pageSize;
        Assert.Equal(pages, host.Sandbox.Requests.Count);
        Assert.Contains($"paging ended after page {pages}: it held {last} invoice(s), fewer than the {pageSize} asked for, which marks the last page.", string.Join("\n", observer.Verbose), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, 250, 50, "all 250 invoice(s) the provider reported were received")]
    [InlineData(InvoiceProviderKind.Kitchen, 40, 20, "all 40 invoice(s) the provider reported were received")]
    [InlineData(InvoiceProviderKind.Xendit, 40, 20, "it held no invoices")]
    public async Task Every_end_of_paging_gives_its_reason(InvoiceProviderKind provider, int count, int pageSize, string reason)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = count, KitchenInvoiceCount = count, XenditInvoiceCount = count });
        using var connection = host.Connect(provider);
        var observer = new RecordingObserver();

        var query = new InvoiceQuery { PageSize = pageSize, State = provider == InvoiceProviderKind.Kitchen ? KitchenState.All : null };
        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, query, observer).ToListAsync();

        Assert.Equal(count, invoices.Count);
        Assert.Single(observer.Verbose, v => v.Contains("paging ended after page", StringComparison.Ordinal) && v.EndsWith(reason + ".", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(70)]
    [InlineData(200)]
    public async Task Valid_json_nested_deeper_than_64_levels_is_read_in_one_request(int depth)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.Rewrite(context.Normal(), page =>
        {
            page["data"]![0]!["metadata"] = Nested(depth);
            return page;
        })));
        using var connection = host.ConnectKitchen();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5, First = 5 }).ToListAsync();

        Assert.Equal(5, invoices.Count);
        Assert.Single(host.Sandbox.Requests);
        Assert.True(invoices[0].Raw.Contains("metadata"));
        Assert.NotNull(invoices[0].Raw["metadata"]);
    }

    [Fact]
    public async Task Json_nested_beyond_the_documented_depth_is_a_clear_error_that_is_not_retried()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var body = Encoding.UTF8.GetBytes(new string('[', 300) + new string(']', 300));
        host.Sandbox.InjectFault(SandboxFault.From(_ => new SandboxResponse(200, body)), times: 5);
        using var connection = host.ConnectKitchen();

        var error = await Assert.ThrowsAsync<InvoiceResponseException>(() => InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5 }).ToListAsync());

        Assert.Single(host.Sandbox.Requests);
        Assert.Contains($"nested more than {ResponseReader.MaxJsonDepth} levels deep", error.Message, StringComparison.Ordinal);
        Assert.Contains("not retried", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cut short", error.Message, StringComparison.Ordinal);
    }

    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("bottom");
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["level"] = node };
        }

        return node;
    }
}
