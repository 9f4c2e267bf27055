using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// The emulator's side of a provider definition's rehearsal: <see cref="DefinedApi"/> serves sample records with the
/// definition's own paging, authentication, server filters and item endpoint, mounted on an <see cref="InvoiceSandbox"/>.
/// Each test reads the answers as a client would (JSON paths, Link headers) and compares them with the file's records.
/// </summary>
public sealed class DefinedApiTests
{
    private const string Route = "defined-acme";
    private const string Key = DefinedApiSpec.SandboxKey;
    private const int RecordCount = 7;

    /// <summary>
    /// Records inv_001…inv_NNN, one day apart from 2026-01-01 10:00 UTC. Each has created (ISO), created_unix (seconds),
    /// created_ms (milliseconds, a string), due_on (yyyy-MM-dd), status (paid/open/void in turn), amount (a number),
    /// customer.id and lines[1].sku; every third has no paid_on, and record 2's status is written 'PAID'.
    /// </summary>
    private static byte[] Records(int count = RecordCount)
    {
        var records = new List<Dictionary<string, object?>>();
        for (var n = 1; n <= count; n++)
        {
            var created = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero).AddDays(n - 1);
            var record = new Dictionary<string, object?>
            {
                ["id"] = Id(n),
                ["status"] = n == 2 ? "PAID" : new[] { "paid", "open", "void" }[(n - 1) % 3],
                ["amount"] = n * 100,
                ["created"] = created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["created_unix"] = created.ToUnixTimeSeconds(),
                ["created_ms"] = created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["due_on"] = created.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["customer"] = new Dictionary<string, object> { ["id"] = "cus_" + (n % 2).ToString(CultureInfo.InvariantCulture) },
                ["lines"] = new object[] { new Dictionary<string, object> { ["sku"] = "base" }, new Dictionary<string, object> { ["sku"] = n % 2 == 0 ? "even" : "odd" } },
            };
            if (n % 3 != 0)
            {
                record["paid_on"] = created.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            }

            records.Add(record);
        }

        return JsonSerializer.SerializeToUtf8Bytes(records);
    }

    private static string Id(int n) => "inv_" + n.ToString("D3", CultureInfo.InvariantCulture);

    private static List<string> Ids(params int[] numbers) => numbers.Select(Id).ToList();

    private static DefinedApiSpec Spec(DefinedPagingType paging) => paging switch
    {
        DefinedPagingType.Offset => new() { Route = Route, ListPath = "/v1/invoices", ItemsPath = "data", PagingType = paging, OffsetParameter = "offset", PageSizeParameter = "limit", MaxPageSize = 10, TotalPath = "total", Records = Records() },
        DefinedPagingType.Page => new() { Route = Route, ListPath = "/v1/invoices", ItemsPath = "data", PagingType = paging, PageParameter = "page", PageSizeParameter = "per_page", MaxPageSize = 10, LastPagePath = "meta.last_page", TotalPath = "meta.total", Records = Records() },
        DefinedPagingType.NextLink => new() { Route = Route, ListPath = "/v1/invoices", ItemsPath = "result.items", PagingType = paging, PageSizeParameter = "size", MaxPageSize = 10, NextPath = "links.next", Records = Records() },
        DefinedPagingType.LinkHeader => new() { Route = Route, ListPath = "/v1/invoices", PagingType = paging, PageSizeParameter = "per_page", MaxPageSize = 10, Records = Records() },
        DefinedPagingType.Cursor => new() { Route = Route, ListPath = "/v1/invoices", ItemsPath = "data", PagingType = paging, CursorParameter = "starting_after", PageSizeParameter = "limit", MaxPageSize = 10, HasMorePath = "has_more", Records = Records() },
        _ => new() { Route = Route, ListPath = "/v1/invoices", ItemsPath = "invoices", Records = Records() },
    };

    private static (InvoiceSandbox Sandbox, DefinedApi Api) Mounted(DefinedApiSpec spec)
    {
        var sandbox = new InvoiceSandbox(new SandboxOptions { RevereInvoiceCount = 1, KitchenInvoiceCount = 1, OpteriusInvoiceCount = 1, Revolv3InvoiceCount = 1, XenditInvoiceCount = 1 });
        var api = new DefinedApi(spec);
        sandbox.Mount(api);
        return (sandbox, api);
    }

    private static Task<SandboxResponse> Get(InvoiceSandbox sandbox, string pathAndQuery, params (string Name, string Value)[] headers) =>
        Send(sandbox, pathAndQuery.StartsWith("https://", StringComparison.Ordinal) ? new Uri(pathAndQuery) : new Uri("https://sandbox.invalid/" + Route + pathAndQuery), headers);

    private static Task<SandboxResponse> Send(InvoiceSandbox sandbox, Uri uri, (string Name, string Value)[] headers, string method = "GET") =>
        sandbox.HandleAsync(new SandboxRequest(method, uri, headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))));

    private static (string, string) Bearer(string key = Key) => ("Authorization", "Bearer " + key);

    private static (string, string) Basic(string credentials) => ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    private static JsonElement Json(SandboxResponse response) => JsonDocument.Parse(response.Body).RootElement;

    private static JsonElement At(JsonElement root, string path)
    {
        foreach (var name in path.Split('.'))
        {
            root = root.GetProperty(name);
        }

        return root;
    }

    private static List<string> ItemIds(JsonElement array) => array.EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();

    private static void AssertError(SandboxResponse response, int status, string expected)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.ContentType);
        Assert.Contains(expected, Json(response).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<DefinedPagingType, int> PagingAndSizes()
    {
        var data = new TheoryData<DefinedPagingType, int>();
        foreach (var paging in Enum.GetValues<DefinedPagingType>())
        {
            foreach (var size in new[] { 1, 3, RecordCount, 10 })
            {
                data.Add(paging, size);
            }
        }

        return data;
    }

    /// <summary>Reads every page as a client that knows only the spec would; returns the ids in order and the requests made.</summary>
    private static async Task<(List<string> Ids, int Requests)> ReadAll(InvoiceSandbox sandbox, DefinedApiSpec spec, int size, string? extraQuery = null)
    {
        var ids = new List<string>();
        var requests = 0;
        var sizeQuery = spec.PageSizeParameter is { } p ? p + "=" + size.ToString(CultureInfo.InvariantCulture) : string.Empty;
        var extra = extraQuery is null ? string.Empty : "&" + extraQuery;
        string? next = spec.ListPath + "?" + sizeQuery + extra;
        var offset = 0;
        var page = spec.FirstPage;
        while (next is not null)
        {
            Assert.True(++requests <= 20, "the paging ends");
            var response = await Get(sandbox, next, Bearer());
            Assert.Equal(200, response.StatusCode);
            var root = Json(response);
            var items = spec.ItemsPath == "$" ? root : At(root, spec.ItemsPath);
            var pageIds = ItemIds(items);
            ids.AddRange(pageIds);
            next = null;
            switch (spec.PagingType)
            {
                case DefinedPagingType.Offset:
                    offset += pageIds.Count;
                    if (offset < At(root, spec.TotalPath!).GetInt32())
                    {
                        next = spec.ListPath + "?" + sizeQuery + "&" + spec.OffsetParameter + "=" + offset.ToString(CultureInfo.InvariantCulture) + extra;
                    }

                    break;
                case DefinedPagingType.Page:
                    if (page < At(root, spec.LastPagePath!).GetInt32())
                    {
                        page++;
                        next = spec.ListPath + "?" + sizeQuery + "&" + spec.PageParameter + "=" + page.ToString(CultureInfo.InvariantCulture) + extra;
                    }

                    break;
                case DefinedPagingType.NextLink:
                    next = At(root, spec.NextPath!).GetString();
                    break;
                case DefinedPagingType.LinkHeader:
                    if (response.Headers.TryGetValue("Link", out var link))
                    {
                        Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
                        next = link.Substring(1, link.IndexOf('>') - 1);
                    }

                    break;
                case DefinedPagingType.Cursor:
                    var more = At(root, spec.HasMorePath!).GetBoolean();
                    var cursor = spec.NextCursorPath is null ? (pageIds.Count > 0 ? pageIds[^1] : null) : At(root, spec.NextCursorPath).GetString();
                    Assert.Equal(more, spec.NextCursorPath is null ? more : cursor is not null);
                    if (more)
                    {
                        next = spec.ListPath + "?" + sizeQuery + "&" + spec.CursorParameter + "=" + Uri.EscapeDataString(cursor!) + extra;
                    }

                    break;
            }
        }

        return (ids, requests);
    }

    [Theory]
    [MemberData(nameof(PagingAndSizes))]
    public async Task Every_paging_type_returns_every_record_once_in_the_files_order(DefinedPagingType paging, int size)
    {
        var spec = Spec(paging);
        var (sandbox, api) = Mounted(spec);

        var (ids, requests) = await ReadAll(sandbox, spec, size);

        Assert.Equal(api.Ids, ids);
        Assert.Equal(Ids(1, 2, 3, 4, 5, 6, 7), ids);
        Assert.Equal(paging == DefinedPagingType.None ? 1 : (RecordCount + size - 1) / size, requests);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Page_numbers_start_at_the_first_page_and_the_last_page_and_has_more_say_where_they_end(int firstPage)
    {
        var spec = new DefinedApiSpec
        {
            Route = Route, ListPath = "/v1/invoices", ItemsPath = "data", PagingType = DefinedPagingType.Page, PageParameter = "p", FirstPage = firstPage,
            PageSizeParameter = "n", MaxPageSize = 5, LastPagePath = "meta.last_page", HasMorePath = "meta.more", Records = Records(),
        };
        var (sandbox, _) = Mounted(spec);

        var (ids, requests) = await ReadAll(sandbox, spec, 3);
        var first = Json(await Get(sandbox, "/v1/invoices?n=3", Bearer()));
        var last = Json(await Get(sandbox, FormattableString.Invariant($"/v1/invoices?n=3&p={firstPage + 2}"), Bearer()));
        var beyond = Json(await Get(sandbox, FormattableString.Invariant($"/v1/invoices?n=3&p={firstPage + 3}"), Bearer()));

        Assert.Equal(Ids(1, 2, 3, 4, 5, 6, 7), ids);
        Assert.Equal(3, requests);
        Assert.Equal(Ids(1, 2, 3), ItemIds(first.GetProperty("data")));
        Assert.Equal(firstPage + 2, At(first, "meta.last_page").GetInt32());
        Assert.True(At(first, "meta.more").GetBoolean());
        Assert.Equal(Ids(7), ItemIds(last.GetProperty("data")));
        Assert.False(At(last, "meta.more").GetBoolean());
        Assert.Empty(ItemIds(beyond.GetProperty("data")));
        AssertError(await Get(sandbox, FormattableString.Invariant($"/v1/invoices?p={firstPage - 1}"), Bearer()), 400, "'p' must be a whole number from " + firstPage.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_opaque_cursor_is_written_at_its_path_accepted_back_and_null_on_the_last_page()
    {
        var spec = new DefinedApiSpec
        {
            Route = Route, ListPath = "/invoices", ItemsPath = "items", PagingType = DefinedPagingType.Cursor, CursorParameter = "cursor",
            NextCursorPath = "paging.next_cursor", HasMorePath = "paging.has_more", PageSizeParameter = "limit", MaxPageSize = 4, Records = Records(),
        };
        var (sandbox, _) = Mounted(spec);

        foreach (var size in new[] { 1, 3, 4 })
        {
            var (ids, requests) = await ReadAll(sandbox, spec, size);
            Assert.Equal(Ids(1, 2, 3, 4, 5, 6, 7), ids);
            Assert.Equal((RecordCount + size - 1) / size, requests);
        }

        var first = Json(await Get(sandbox, "/invoices?limit=4", Bearer()));
        var cursor = At(first, "paging.next_cursor").GetString()!;
        Assert.DoesNotContain("inv_", cursor, StringComparison.Ordinal);
        var last = Json(await Get(sandbox, "/invoices?limit=4&cursor=" + cursor, Bearer()));
        Assert.Equal(JsonValueKind.Null, At(last, "paging.next_cursor").ValueKind);
        Assert.False(At(last, "paging.has_more").GetBoolean());
        Assert.Equal("{\"items\":[],\"paging\":{\"next_cursor\":null,\"has_more\":false}}", RawWithoutItems(await Get(sandbox, "/invoices?limit=4&cursor=" + cursor, Bearer())));
        AssertError(await Get(sandbox, "/invoices?cursor=inv_002", Bearer()), 400, "'cursor' is not a cursor this API wrote");
        AssertError(await Get(sandbox, "/invoices?cursor=%%%", Bearer()), 400, "'cursor' is not a cursor this API wrote");
    }

    private static string RawWithoutItems(SandboxResponse response)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(response.Body)!;
        root["items"] = new System.Text.Json.Nodes.JsonArray();
        return root.ToJsonString();
    }

    [Fact]
    public async Task A_starting_after_cursor_must_be_a_listed_id()
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.Cursor));

        var page = Json(await Get(sandbox, "/v1/invoices?limit=2&starting_after=inv_005", Bearer()));

        Assert.Equal(Ids(6, 7), ItemIds(page.GetProperty("data")));
        Assert.False(page.GetProperty("has_more").GetBoolean());
        AssertError(await Get(sandbox, "/v1/invoices?starting_after=inv_999", Bearer()), 400, "'starting_after' must be the id of a listed invoice; 'inv_999' is not.");
    }

    [Fact]
    public async Task Next_links_are_absolute_on_the_requests_host_and_keep_its_other_parameters_but_the_key()
    {
        var spec = new DefinedApiSpec
        {
            Route = Route, ListPath = "/v1/invoices", ItemsPath = "data", PagingType = DefinedPagingType.NextLink, NextPath = "next", PageSizeParameter = "size",
            MaxPageSize = 10, AuthType = DefinedAuthType.Query, AuthName = "api_key", Parameters = new Dictionary<string, string> { ["expand"] = "lines" },
            Filters = new[] { new DefinedApiFilter { Parameter = "state", FieldPath = "status" } }, Records = Records(),
        };
        var (sandbox, _) = Mounted(spec);

        var first = Json(await Get(sandbox, "https://rehearsal.local:8443/" + Route + "/v1/invoices/?expand=lines&state=VOID&api_key=" + Key + "&size=1"));
        var link = first.GetProperty("next").GetString()!;
        var uri = new Uri(link);
        var second = Json(await Get(sandbox, link + "&api_key=" + Key));

        Assert.Equal(Ids(3), ItemIds(first.GetProperty("data")));
        Assert.Equal("https://rehearsal.local:8443/" + Route + "/v1/invoices/", uri.GetLeftPart(UriPartial.Path));
        Assert.StartsWith("?expand=lines&state=VOID&size=1&page_token=", uri.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, link, StringComparison.Ordinal);
        Assert.Equal(Ids(6), ItemIds(second.GetProperty("data")));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        AssertError(await Get(sandbox, "/v1/invoices?expand=lines&api_key=" + Key + "&page_token=not-ours"), 400, "'page_token' is not a page token this API wrote");
    }

    [Fact]
    public async Task A_link_header_names_the_next_page_and_the_last_page_has_none()
    {
        var spec = new DefinedApiSpec { Route = Route, ListPath = "/invoices", PagingType = DefinedPagingType.LinkHeader, PageParameter = "pos", MaxPageSize = 4, Records = Records() };
        var (sandbox, _) = Mounted(spec);

        var first = await Get(sandbox, "/invoices?sort=asc", Bearer());
        var link = first.Headers["Link"];
        var last = await Get(sandbox, link.Substring(1, link.IndexOf('>') - 1), Bearer());

        Assert.Equal(Ids(1, 2, 3, 4), ItemIds(Json(first)));
        Assert.Matches("^<https://sandbox\\.invalid/defined-acme/invoices\\?sort=asc&pos=[A-Za-z0-9_-]+>; rel=\"next\"$", link);
        Assert.Equal(Ids(5, 6, 7), ItemIds(Json(last)));
        Assert.False(last.Headers.ContainsKey("Link"));
    }

    [Theory]
    [InlineData(DefinedPagingType.Offset, "limit")]
    [InlineData(DefinedPagingType.Page, "per_page")]
    [InlineData(DefinedPagingType.NextLink, "size")]
    [InlineData(DefinedPagingType.LinkHeader, "per_page")]
    [InlineData(DefinedPagingType.Cursor, "limit")]
    public async Task A_page_size_above_the_maximum_or_not_a_positive_number_is_refused_and_none_means_the_maximum(DefinedPagingType paging, string parameter)
    {
        var spec = Spec(paging);
        var (sandbox, _) = Mounted(new DefinedApiSpec
        {
            Route = spec.Route, ListPath = spec.ListPath, ItemsPath = spec.ItemsPath, PagingType = paging, OffsetParameter = spec.OffsetParameter, PageParameter = spec.PageParameter,
            PageSizeParameter = parameter, MaxPageSize = 4, NextPath = spec.NextPath, CursorParameter = spec.CursorParameter, HasMorePath = spec.HasMorePath, Records = Records(),
        });

        foreach (var bad in new[] { "5", "400", "0", "-1", "two", "2.5" })
        {
            AssertError(await Get(sandbox, "/v1/invoices?" + parameter + "=" + bad, Bearer()), 400, $"'{parameter}' must be a whole number from 1 to 4; '{bad}' is not.");
        }

        var full = await Get(sandbox, "/v1/invoices", Bearer());
        var root = Json(full);
        Assert.Equal(4, (spec.ItemsPath == "$" ? root : At(root, spec.ItemsPath)).GetArrayLength());
        Assert.Equal(200, (await Get(sandbox, "/v1/invoices?" + parameter + "=4", Bearer())).StatusCode);
    }

    [Fact]
    public async Task Without_paging_every_match_comes_in_one_answer_whatever_the_size_asked()
    {
        var (sandbox, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/v1/invoices", PageSizeParameter = "limit", MaxPageSize = 2, Records = Records() });

        var all = Json(await Get(sandbox, "/v1/invoices?limit=1", Bearer()));

        Assert.Equal(Ids(1, 2, 3, 4, 5, 6, 7), ItemIds(all));
    }

    [Fact]
    public async Task An_offset_beyond_the_records_is_an_empty_page_and_a_bad_offset_is_refused()
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.Offset));

        var beyond = Json(await Get(sandbox, "/v1/invoices?offset=50", Bearer()));

        Assert.Empty(ItemIds(beyond.GetProperty("data")));
        Assert.Equal(RecordCount, beyond.GetProperty("total").GetInt32());
        AssertError(await Get(sandbox, "/v1/invoices?offset=-3", Bearer()), 400, "'offset' must be a whole number from 0; '-3' is not.");
        AssertError(await Get(sandbox, "/v1/invoices?offset=x", Bearer()), 400, "'offset' must be a whole number from 0");
    }

    public static TheoryData<DefinedApiSpec, (string, string)[], (string, string)[][]> AuthCases() => new()
    {
        {
            new DefinedApiSpec { AuthType = DefinedAuthType.Bearer },
            new[] { ("Authorization", "Bearer " + Key) },
            new[] { Array.Empty<(string, string)>(), new[] { ("Authorization", "Bearer wrong") }, new[] { ("Authorization", Key) }, new[] { ("X-Api-Key", Key) }, new[] { Basic(Key + ":") } }
        },
        {
            new DefinedApiSpec { AuthType = DefinedAuthType.Header, AuthName = "X-Api-Key" },
            new[] { ("x-api-key", Key) },
            new[] { Array.Empty<(string, string)>(), new[] { ("X-Api-Key", "wrong") }, new[] { ("Authorization", "Bearer " + Key) }, new[] { ("X-Api-Key", "Bearer " + Key) } }
        },
        {
            new DefinedApiSpec { AuthType = DefinedAuthType.Basic, BasicKeyAs = DefinedBasicKeyAs.User },
            new[] { Basic(Key + ":") },
            new[] { Array.Empty<(string, string)>(), new[] { Basic("wrong:") }, new[] { Basic(Key + ":secret") }, new[] { Basic("user:" + Key) }, new[] { ("Authorization", "Basic %%%") }, new[] { ("Authorization", "Bearer " + Key) } }
        },
        {
            new DefinedApiSpec { AuthType = DefinedAuthType.Basic, BasicKeyAs = DefinedBasicKeyAs.Password, BasicUser = "acct_42" },
            new[] { Basic("acct_42:" + Key) },
            new[] { Array.Empty<(string, string)>(), new[] { Basic("acct_42:wrong") }, new[] { Basic("other:" + Key) }, new[] { Basic(Key + ":") } }
        },
        {
            new DefinedApiSpec { AuthType = DefinedAuthType.Basic, BasicKeyAs = DefinedBasicKeyAs.Password },
            new[] { Basic("anyone:" + Key) },
            new[] { Array.Empty<(string, string)>(), new[] { Basic("anyone:wrong") }, new[] { Basic(Key) } }
        },
        {
            new DefinedApiSpec { AuthType = DefinedAuthType.Bearer, AcceptedKey = "acme-test-key" },
            new[] { ("Authorization", "bearer acme-test-key") },
            new[] { new[] { ("Authorization", "Bearer " + Key) } }
        },
    };

    [Theory]
    [MemberData(nameof(AuthCases))]
    public async Task The_key_is_accepted_only_as_the_definition_sends_it(DefinedApiSpec auth, (string, string)[] right, (string, string)[][] wrong)
    {
        var (sandbox, _) = Mounted(new DefinedApiSpec
        {
            Route = Route, ListPath = "/v1/invoices", Records = Records(), AuthType = auth.AuthType, AuthName = auth.AuthName,
            BasicKeyAs = auth.BasicKeyAs, BasicUser = auth.BasicUser, AcceptedKey = auth.AcceptedKey,
        });

        Assert.Equal(200, (await Send(sandbox, new Uri("https://sandbox.invalid/" + Route + "/v1/invoices"), right)).StatusCode);
        Assert.Equal(200, (await Send(sandbox, new Uri("https://sandbox.invalid/" + Route + "/v1/invoices/"), right)).StatusCode);
        foreach (var headers in wrong)
        {
            var response = await Send(sandbox, new Uri("https://sandbox.invalid/" + Route + "/v1/invoices"), headers);
            Assert.Equal(401, response.StatusCode);
            Assert.Matches(headers.Length == 0 ? "^Missing API key: send " : "^(Missing API key|Invalid|The Basic credentials are not Base64)", Json(response).GetProperty("error").GetString());
            Assert.DoesNotContain(auth.AcceptedKey, Encoding.UTF8.GetString(response.Body), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_query_key_is_read_from_its_parameter_and_no_key_is_needed_with_none()
    {
        var (sandbox, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/v1/invoices", AuthType = DefinedAuthType.Query, AuthName = "token", Records = Records() });
        var (open, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/v1/invoices", AuthType = DefinedAuthType.None, Records = Records() });

        Assert.Equal(200, (await Get(sandbox, "/v1/invoices?token=" + Key)).StatusCode);
        AssertError(await Get(sandbox, "/v1/invoices", Bearer()), 401, "Missing API key: send it in the query parameter 'token'.");
        AssertError(await Get(sandbox, "/v1/invoices?token=wrong"), 401, "Invalid API key in the query parameter 'token'.");
        AssertError(await Get(sandbox, "/v1/invoices?Token=" + Key), 401, "Missing API key");
        Assert.Equal(200, (await Get(open, "/v1/invoices")).StatusCode);
        Assert.Equal(200, (await Get(open, "/v1/invoices", Bearer("anything"))).StatusCode);
    }

    [Fact]
    public async Task An_item_endpoint_also_needs_the_key()
    {
        var (sandbox, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/v1/invoices", ItemPath = "/v1/invoices/{id}", Records = Records() });

        AssertError(await Get(sandbox, "/v1/invoices/inv_001"), 401, "Missing API key");
        AssertError(await Get(sandbox, "/v1/invoices/inv_001", Basic(Key + ":")), 401, "Invalid Authorization header: send the key as 'Bearer <key>'.");
        AssertError(await Get(sandbox, "/v1/invoices/inv_001", Bearer("wrong")), 401, "Invalid API key in the Bearer token.");
        Assert.Equal(200, (await Get(sandbox, "/v1/invoices/inv_001", Bearer())).StatusCode);
    }

    public static TheoryData<string, string, string, string, string[]> DateFilters() => new()
    {
        // Field format, field path, parameter format, parameter: the records created on or after 2026-01-04 10:00 UTC.
        { "ISO8601", "created", "ISO8601", "2026-01-04T10:00:00Z", new[] { "4", "5", "6", "7" } },
        { "ISO8601", "created", "ISO8601", "2026-01-04T12:00:00+02:00", new[] { "4", "5", "6", "7" } },
        { "ISO8601", "created", "ISO8601", "2026-01-04T10:00:01", new[] { "5", "6", "7" } },
        { "ISO8601", "created", "ISO8601", "2026-01-04", new[] { "4", "5", "6", "7" } },
        { "ISO8601", "created", "UnixSeconds", "1767520800", new[] { "4", "5", "6", "7" } },
        { "ISO8601", "created", "UnixMilliseconds", "1767520800001", new[] { "5", "6", "7" } },
        { "ISO8601", "created", "yyyy-MM-dd", "2026-01-05", new[] { "5", "6", "7" } },
        { "UnixSeconds", "created_unix", "ISO8601", "2026-01-04T10:00:00Z", new[] { "4", "5", "6", "7" } },
        { "UnixSeconds", "created_unix", "UnixSeconds", "1767520801", new[] { "5", "6", "7" } },
        { "UnixMilliseconds", "created_ms", "UnixMilliseconds", "1767520800000", new[] { "4", "5", "6", "7" } },
        { "UnixMilliseconds", "created_ms", "yyyy-MM-dd HH:mm", "2026-01-04 10:00", new[] { "4", "5", "6", "7" } },
        { "yyyy-MM-dd", "due_on", "ISO8601", "2026-01-18T00:00:00Z", new[] { "4", "5", "6", "7" } },
        { "yyyy-MM-dd", "due_on", "yyyy-MM-dd", "2026-01-18", new[] { "4", "5", "6", "7" } },
        { "ISO8601", "paid_on", "ISO8601", "2026-01-06T10:00:00Z", new[] { "4", "5", "7" } },
    };

    [Theory]
    [MemberData(nameof(DateFilters))]
    public async Task Date_filters_compare_in_each_format_after_at_or_after_and_before_strictly_before(string fieldFormat, string field, string parameterFormat, string parameter, string[] after)
    {
        var spec = new DefinedApiSpec
        {
            Route = Route, ListPath = "/v1/invoices", ItemsPath = "data", Records = Records(),
            Filters = new[]
            {
                new DefinedApiFilter { Parameter = "from", FieldPath = field, Comparison = DefinedFilterComparison.After, FieldFormat = fieldFormat, ParameterFormat = parameterFormat },
                new DefinedApiFilter { Parameter = "to", FieldPath = field, Comparison = DefinedFilterComparison.Before, FieldFormat = fieldFormat, ParameterFormat = parameterFormat },
            },
        };
        var (sandbox, _) = Mounted(spec);
        var expectedAfter = after.Select(n => Id(int.Parse(n, CultureInfo.InvariantCulture))).ToList();
        var withField = field == "paid_on" ? Ids(1, 2, 4, 5, 7) : Ids(1, 2, 3, 4, 5, 6, 7);
        var escaped = Uri.EscapeDataString(parameter);

        var from = ItemIds(Json(await Get(sandbox, "/v1/invoices?from=" + escaped, Bearer())).GetProperty("data"));
        var to = ItemIds(Json(await Get(sandbox, "/v1/invoices?to=" + escaped, Bearer())).GetProperty("data"));

        Assert.Equal(expectedAfter, from);
        Assert.Equal(withField.Except(expectedAfter), to);
        AssertError(await Get(sandbox, "/v1/invoices?from=yesterday", Bearer()), 400, $"'from' must be a date in the format {parameterFormat}; 'yesterday' is not.");
    }

    [Fact]
    public async Task A_field_date_without_an_offset_is_read_in_the_fields_zone()
    {
        var filter = new DefinedApiFilter { Parameter = "paid_from", FieldPath = "paid_on", Comparison = DefinedFilterComparison.After, FieldOffset = TimeSpan.FromHours(-5) };
        var (sandbox, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/v1/invoices", Records = Records(), Filters = new[] { filter } });

        // Record 4 was paid at 2026-01-06T10:00 local, 15:00 UTC.
        var found = ItemIds(Json(await Get(sandbox, "/v1/invoices?paid_from=2026-01-06T14:00:00Z", Bearer())));
        var none = ItemIds(Json(await Get(sandbox, "/v1/invoices?paid_from=2026-01-06T15:00:01Z", Bearer())));

        Assert.Equal(Ids(4, 5, 7), found);
        Assert.Equal(Ids(5, 7), none);
    }

    [Fact]
    public async Task Equals_filters_ignore_case_read_numbers_nested_fields_and_indexes_and_combine()
    {
        var spec = new DefinedApiSpec
        {
            Route = Route, ListPath = "/v1/invoices", ItemsPath = "data", PagingType = DefinedPagingType.Offset, OffsetParameter = "offset", PageSizeParameter = "limit",
            TotalPath = "total", Records = Records(),
            Filters = new[]
            {
                new DefinedApiFilter { Parameter = "status", FieldPath = "status" },
                new DefinedApiFilter { Parameter = "amount", FieldPath = "$.amount" },
                new DefinedApiFilter { Parameter = "customer", FieldPath = "customer.id" },
                new DefinedApiFilter { Parameter = "sku", FieldPath = "lines[1]['sku']" },
                new DefinedApiFilter { Parameter = "missing", FieldPath = "no.such.field" },
            },
        };
        var (sandbox, _) = Mounted(spec);

        async Task<List<string>> Ids(string query) => ItemIds(Json(await Get(sandbox, "/v1/invoices?" + query, Bearer())).GetProperty("data"));

        Assert.Equal(DefinedApiTests.Ids(1, 2, 4, 7), await Ids("status=Paid"));
        Assert.Equal(DefinedApiTests.Ids(3), await Ids("amount=300"));
        Assert.Equal(DefinedApiTests.Ids(1, 3, 5, 7), await Ids("customer=CUS_1"));
        Assert.Equal(DefinedApiTests.Ids(2, 4, 6), await Ids("sku=even"));
        Assert.Equal(DefinedApiTests.Ids(2, 4), await Ids("sku=even&status=paid"));
        Assert.Empty(await Ids("missing=x"));
        Assert.Empty(await Ids("status=pai"));
        Assert.Equal(DefinedApiTests.Ids(1, 2, 3, 4, 5, 6, 7), await Ids("unknown=1&STATUS=x"));

        // Filters apply before paging: the total and the pages count only the matches.
        var (all, requests) = await ReadAll(sandbox, spec, 1, "status=paid");
        Assert.Equal(DefinedApiTests.Ids(1, 2, 4, 7), all);
        Assert.Equal(4, requests);
        var second = Json(await Get(sandbox, "/v1/invoices?status=paid&limit=2&offset=2", Bearer()));
        Assert.Equal(DefinedApiTests.Ids(4, 7), ItemIds(second.GetProperty("data")));
        Assert.Equal(4, second.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Constant_parameters_must_be_sent_as_defined()
    {
        var (sandbox, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/v1/invoices", Parameters = new Dictionary<string, string> { ["expand[]"] = "lines", ["order"] = "desc" }, Records = Records() });

        Assert.Equal(200, (await Get(sandbox, "/v1/invoices?expand%5B%5D=lines&order=desc", Bearer())).StatusCode);
        AssertError(await Get(sandbox, "/v1/invoices?expand%5B%5D=lines", Bearer()), 400, "The query parameter 'order' must be 'desc'.");
        AssertError(await Get(sandbox, "/v1/invoices?expand%5B%5D=lines&order=asc", Bearer()), 400, "'order' must be 'desc'");
    }

    [Fact]
    public async Task Constant_headers_must_be_sent_with_every_request()
    {
        var (sandbox, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/v1/invoices", ItemPath = "/v1/invoices/{id}", Headers = new Dictionary<string, string> { ["Acme-Version"] = "2024-01" }, Records = Records() });

        Assert.Equal(200, (await Get(sandbox, "/v1/invoices", Bearer(), ("acme-version", "2024-01"))).StatusCode);
        Assert.Equal(200, (await Get(sandbox, "/v1/invoices/inv_001", Bearer(), ("Acme-Version", "2024-01"))).StatusCode);
        AssertError(await Get(sandbox, "/v1/invoices", Bearer()), 400, "The header 'Acme-Version' must be '2024-01'.");
        AssertError(await Get(sandbox, "/v1/invoices/inv_001", Bearer(), ("Acme-Version", "2023-01")), 400, "The header 'Acme-Version' must be '2024-01'.");
        AssertError(await Get(sandbox, "/v1/invoices", ("Acme-Version", "2024-01")), 401, "Missing API key");
    }

    [Theory]
    [InlineData("$", null, "{\"id\":\"inv_003\"")]
    [InlineData("data", null, "{\"data\":{\"id\":\"inv_003\"")]
    [InlineData("$.result.invoice", null, "{\"result\":{\"invoice\":{\"id\":\"inv_003\"")]
    [InlineData("$", "/invoices/{id}/detail", "{\"id\":\"inv_003\"")]
    public async Task The_item_endpoint_answers_a_known_id_at_its_object_path_and_404_for_others(string objectPath, string? itemPath, string start)
    {
        var template = itemPath ?? "/v1/invoices/{id}";
        var (sandbox, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/v1/invoices", ItemPath = template, ItemObjectPath = objectPath, Records = Records() });

        var found = await Get(sandbox, template.Replace("{id}", "inv_003", StringComparison.Ordinal), Bearer());

        Assert.Equal(200, found.StatusCode);
        Assert.StartsWith(start, Encoding.UTF8.GetString(found.Body), StringComparison.Ordinal);
        AssertError(await Get(sandbox, template.Replace("{id}", "inv_999", StringComparison.Ordinal), Bearer()), 404, "No invoice with id 'inv_999'.");
        AssertError(await Get(sandbox, template.Replace("{id}", "INV_003", StringComparison.Ordinal), Bearer()), 404, "No invoice with id 'INV_003'.");
        AssertError(await Get(sandbox, "/v1/other", Bearer()), 404, "No such path: /defined-acme/v1/other.");
    }

    [Fact]
    public async Task Numeric_ids_and_ids_at_odd_paths_are_found_as_text()
    {
        var records = Encoding.UTF8.GetBytes("\uFEFF[ // sample\n {\"ref\": {\"odd key\": 17}, \"n\": 1}, {\"ref\": {\"odd key\": 205}, \"n\": 2}, ]");
        var (sandbox, api) = Mounted(new DefinedApiSpec
        {
            Route = Route, ListPath = "/list", ItemPath = "/list/{id}", IdPath = "ref['odd key']", PagingType = DefinedPagingType.Cursor, CursorParameter = "after",
            PageSizeParameter = "n", HasMorePath = "more", ItemsPath = "rows", Records = records,
        });

        var first = Json(await Get(sandbox, "/list?n=1", Bearer()));
        var second = Json(await Get(sandbox, "/list?n=1&after=17", Bearer()));

        Assert.Equal(new[] { "17", "205" }, api.Ids);
        Assert.Equal(1, first.GetProperty("rows")[0].GetProperty("n").GetInt32());
        Assert.Equal(2, second.GetProperty("rows")[0].GetProperty("n").GetInt32());
        Assert.Equal(2, Json(await Get(sandbox, "/list/205", Bearer())).GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Paths_written_into_an_answer_share_their_objects()
    {
        var (sandbox, _) = Mounted(new DefinedApiSpec
        {
            Route = Route, ListPath = "/v1/invoices", ItemsPath = "result.items", PagingType = DefinedPagingType.Page, PageParameter = "page", PageSizeParameter = "size",
            TotalPath = "meta.total", LastPagePath = "$.meta.last_page", HasMorePath = "result.more", Records = Records(),
        });

        var answer = await Get(sandbox, "/v1/invoices?size=3&page=3", Bearer());
        var text = Encoding.UTF8.GetString(answer.Body);

        Assert.Equal("{\"result\":{\"items\":[ITEMS],\"more\":false},\"meta\":{\"total\":7,\"last_page\":3}}", text.Replace(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(Records()).RootElement[6])), "ITEMS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_answer_can_be_the_array_itself()
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.LinkHeader));

        var answer = await Get(sandbox, "/v1/invoices?per_page=2", Bearer());

        Assert.Equal(JsonValueKind.Array, Json(answer).ValueKind);
        Assert.Equal(Ids(1, 2), ItemIds(Json(answer)));
    }

    [Fact]
    public async Task Only_get_is_served_and_unknown_paths_are_404()
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.None));

        AssertError(await Send(sandbox, new Uri("https://sandbox.invalid/" + Route + "/v1/invoices"), new[] { Bearer() }, "POST"), 405, "Method POST is not allowed");
        AssertError(await Get(sandbox, "/v1/invoices/inv_001", Bearer()), 404, "This API serves GET /defined-acme/v1/invoices.");
        AssertError(await Get(sandbox, "/", Bearer()), 404, "No such path");
    }

    public static TheoryData<DefinedApiSpec, string[]> BadSpecs() => new()
    {
        { new DefinedApiSpec { Route = "a/b", ListPath = "/x", Records = Records() }, new[] { "Route 'a/b' must be one path segment" } },
        { new DefinedApiSpec { Route = Route, ListPath = "", Records = Records() }, new[] { "ListPath '' must be a path" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x?y=1", Records = Records() }, new[] { "ListPath '/x?y=1' must be a path" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", AuthType = DefinedAuthType.Header, Records = Records() }, new[] { "AuthName is required with AuthType Header" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", AuthType = DefinedAuthType.Query, AcceptedKey = "", Records = Records() }, new[] { "AuthName is required with AuthType Query", "AcceptedKey cannot be empty" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", PagingType = DefinedPagingType.Offset, MaxPageSize = 0, Records = Records() }, new[] { "OffsetParameter is required with PagingType Offset", "MaxPageSize must be at least 1" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", PagingType = DefinedPagingType.Page, FirstPage = 2, Records = Records() }, new[] { "PageParameter is required with PagingType Page", "FirstPage must be 0 or 1" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", PagingType = DefinedPagingType.NextLink, Records = Records() }, new[] { "NextPath is required with PagingType NextLink" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", PagingType = DefinedPagingType.Cursor, Records = Records() }, new[] { "CursorParameter is required with PagingType Cursor" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", ItemsPath = "$", TotalPath = "total", Records = Records() }, new[] { "TotalPath 'total' goes inside ItemsPath '$', which is not an object" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", ItemsPath = "data", HasMorePath = "data.more", Records = Records() }, new[] { "HasMorePath 'data.more' goes inside ItemsPath 'data'" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", ItemsPath = "data", TotalPath = "$.data", Records = Records() }, new[] { "TotalPath '$.data' is the same place as ItemsPath 'data'" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", ItemsPath = "meta.items", TotalPath = "meta", Records = Records() }, new[] { "TotalPath 'meta' is an object that other paths write into" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", ItemsPath = "data[0]", Records = Records() }, new[] { "ItemsPath 'data[0]' holds an array index" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", ItemsPath = "data..x", Records = Records() }, new[] { "ItemsPath: 'data..x' is not a valid JSON path at character 5" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", IdPath = "$id", Records = Records() }, new[] { "IdPath: '$id' is not a valid JSON path at character 2: '$' must be followed by '.' or '['" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", IdPath = "$", Records = Records() }, new[] { "IdPath cannot be '$'" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", IdPath = "a[x]", Records = Records() }, new[] { "'a[x]' is not a valid JSON path at character 2: '[' must hold an array index" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", IdPath = "['a'", Records = Records() }, new[] { "'['a'' is not a valid JSON path at character 1: a quoted member name must end with ']" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", ItemObjectPath = "", Records = Records() }, new[] { "ItemObjectPath: a JSON path cannot be empty" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", ItemPath = "/x/id", Records = Records() }, new[] { "ItemPath '/x/id' must be a path with one {id}" } },
        {
            new DefinedApiSpec
            {
                Route = Route, ListPath = "/x", Records = Records(), Filters = new[]
                {
                    new DefinedApiFilter { Parameter = "from", FieldPath = "created", Comparison = DefinedFilterComparison.After, FieldFormat = "yyyy-MM-dd %" },
                    new DefinedApiFilter { Parameter = "from", FieldPath = "created.", Comparison = DefinedFilterComparison.Before, ParameterFormat = "" },
                    new DefinedApiFilter { FieldPath = "x" },
                },
            },
            new[] { "Filter 'from' FieldFormat: 'yyyy-MM-dd %' is neither ISO8601", "Filter 'from' is listed twice", "Filter 'from' ParameterFormat: a date format cannot be empty", "Filter 'from' FieldPath: 'created.' is not a valid JSON path", "a filter needs a Parameter" }
        },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", Records = Encoding.UTF8.GetBytes("[{\"id\": 1},") }, new[] { "Records are not valid JSON:" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x", Records = Encoding.UTF8.GetBytes("{\"data\": []}") }, new[] { "Records must be a JSON array of invoices, not object" } },
        { new DefinedApiSpec { Route = Route, ListPath = "/x" }, new[] { "Records are not valid JSON" } },
        {
            new DefinedApiSpec { Route = Route, ListPath = "/x", Records = Encoding.UTF8.GetBytes("[{\"id\": \"a\"}, 3, {\"id\": true}, {\"id\": {\"x\": 1}}, {\"no\": 1}, {\"id\": \"a\"}, {\"id\": 7}]") },
            new[] { "record 2 is not a JSON object", "record 3 has no id (a string or number) at 'id'", "record 4 has no id", "record 5 has no id", "record 6 has the same id 'a' as record 1" }
        },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void A_spec_with_problems_is_refused_with_every_problem_named(DefinedApiSpec spec, string[] problems)
    {
        var error = Assert.Throws<ArgumentException>(() => new DefinedApi(spec));

        Assert.StartsWith($"The sandbox API '{spec.Route}' cannot be served: ", error.Message, StringComparison.Ordinal);
        Assert.Equal("spec", error.ParamName);
        foreach (var problem in problems)
        {
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(problems.Length, error.Message.Split("; ").Length);
    }

    [Fact]
    public void Valid_json_paths_in_every_notation_are_accepted()
    {
        foreach (var path in new[] { "id", "$.id", "$['id']", "[\"id\"]", "a.b.c", "a[0].b", "$.a[12]['odd key'].value", "['it\\'s']" })
        {
            _ = new DefinedApi(new DefinedApiSpec { Route = Route, ListPath = "/x", Records = Encoding.UTF8.GetBytes("[]"), IdPath = path, Filters = new[] { new DefinedApiFilter { Parameter = "p", FieldPath = path } } });
        }
    }

    [Fact]
    public async Task Mounting_refuses_a_served_name_and_unknown_routes_list_the_mounted_one()
    {
        var (sandbox, api) = Mounted(Spec(DefinedPagingType.None));

        Assert.Same(api, sandbox.Api("DEFINED-ACME"));
        Assert.Contains(Route, sandbox.ApiNames);
        Assert.Equal(Key, sandbox.Api(Route)!.AcceptedKey);
        Assert.Empty(api.AccountSettings);
        var twice = Assert.Throws<ArgumentException>(() => sandbox.Mount(new DefinedApi(Spec(DefinedPagingType.None))));
        Assert.Contains("already serves an API at '/defined-acme'", twice.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => sandbox.Mount(new DefinedApi(new DefinedApiSpec { Route = "revere", ListPath = "/x", Records = Records() })));
        Assert.Throws<ArgumentNullException>(() => sandbox.Mount(null!));
        var unknown = await sandbox.HandleAsync(new SandboxRequest("GET", new Uri("https://sandbox.invalid/nowhere/x"), Array.Empty<KeyValuePair<string, string>>()));
        AssertError(unknown, 404, "/defined-acme");
        Assert.Single(sandbox.Requests);
        Assert.Equal(RecordCount, api.Count);
    }

    [Fact]
    public async Task An_unmounted_definition_is_no_longer_served_and_can_be_mounted_again_changed()
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.None));

        Assert.False(sandbox.Unmount("revere"));
        Assert.False(sandbox.Unmount("nowhere"));
        Assert.True(sandbox.Unmount("Defined-Acme"));
        Assert.False(sandbox.Unmount(Route));
        AssertError(await Get(sandbox, "/v1/invoices", Bearer()), 404, "No sandbox API at '/defined-acme'");
        sandbox.Mount(new DefinedApi(new DefinedApiSpec { Route = Route, ListPath = "/v2/invoices", Records = Records(2) }));

        Assert.Equal(Ids(1, 2), ItemIds(Json(await Get(sandbox, "/v2/invoices", Bearer()))));
        Assert.NotNull(sandbox.Revere);
        Assert.Contains(RevereApi.ApiName, sandbox.ApiNames);
    }

    [Theory]
    [InlineData(SandboxFaultKind.InternalServerError, 500)]
    [InlineData(SandboxFaultKind.RateLimitedRetryAfterSeconds, 429)]
    [InlineData(SandboxFaultKind.GatewayTimeout, 504)]
    public async Task Generic_faults_answer_a_defined_route_then_it_recovers(SandboxFaultKind kind, int status)
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.Offset));
        sandbox.InjectFault(kind, api: Route, afterRequests: 1);

        var first = await Get(sandbox, "/v1/invoices", Bearer());
        var faulty = await Get(sandbox, "/v1/invoices?offset=3", Bearer());
        var again = await Get(sandbox, "/v1/invoices?offset=3", Bearer());

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(status, faulty.StatusCode);
        Assert.Equal(200, again.StatusCode);
    }

    [Fact]
    public async Task Body_faults_cut_and_relabel_a_defined_answer()
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.Offset));
        var normal = await Get(sandbox, "/v1/invoices", Bearer());
        sandbox.InjectFault(SandboxFaultKind.TruncatedJson, api: Route);
        sandbox.InjectFault(SandboxFaultKind.WrongContentType, api: Route);
        sandbox.InjectFault(SandboxFaultKind.NoAnswer, api: Route);

        var truncated = await Get(sandbox, "/v1/invoices", Bearer());
        var relabelled = await Get(sandbox, "/v1/invoices", Bearer());
        var hung = await Get(sandbox, "/v1/invoices", Bearer());

        Assert.Equal(normal.Body.Length / 2, truncated.Body.Length);
        Assert.Equal("text/plain; charset=utf-8", relabelled.ContentType);
        Assert.Equal(normal.Body, relabelled.Body);
        Assert.True(hung.NeverAnswer);
    }

    [Fact]
    public async Task Total_changed_raises_the_total_at_the_definitions_path()
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.Page));
        sandbox.InjectFault(SandboxFaultKind.TotalChanged, api: Route);

        var page = Json(await Get(sandbox, "/v1/invoices?per_page=3", Bearer()));

        Assert.Equal(RecordCount + SandboxFaultMatrix.TotalIncrease, At(page, "meta.total").GetInt32());
        Assert.Equal(3, At(page, "meta.last_page").GetInt32());
    }

    [Fact]
    public async Task Foreign_next_link_points_the_body_link_or_the_link_header_at_another_host()
    {
        var (body, _) = Mounted(Spec(DefinedPagingType.NextLink));
        var (header, _) = Mounted(Spec(DefinedPagingType.LinkHeader));
        body.InjectFault(SandboxFaultKind.ForeignNextLink, api: Route);
        header.InjectFault(SandboxFaultKind.ForeignNextLink, api: Route);

        var link = At(Json(await Get(body, "/v1/invoices?size=2", Bearer())), "links.next").GetString()!;
        var linkHeader = (await Get(header, "/v1/invoices?per_page=2", Bearer())).Headers["Link"];

        Assert.StartsWith("https://" + SandboxFaultMatrix.ForeignHost + "/" + Route + "/v1/invoices?size=2&page_token=", link, StringComparison.Ordinal);
        Assert.StartsWith("<https://" + SandboxFaultMatrix.ForeignHost + "/" + Route + "/v1/invoices?per_page=2&page_token=", linkHeader, StringComparison.Ordinal);
        Assert.EndsWith(">; rel=\"next\"", linkHeader, StringComparison.Ordinal);
    }

    [Fact]
    public void Faults_a_definition_cannot_have_are_refused_with_the_reason()
    {
        var (sandbox, _) = Mounted(Spec(DefinedPagingType.Cursor));
        var (empty, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/x", Records = Encoding.UTF8.GetBytes("[]") });

        var total = Assert.Throws<ArgumentException>(() => sandbox.InjectFault(SandboxFaultKind.TotalChanged, api: Route));
        var link = Assert.Throws<ArgumentException>(() => sandbox.InjectFault(SandboxFaultKind.ForeignNextLink, api: Route));
        var insert = Assert.Throws<ArgumentException>(() => empty.InjectFault(SandboxFaultKind.InsertWhilePaging, api: Route));

        Assert.Contains("needs a definition that reports its total", total.Message, StringComparison.Ordinal);
        Assert.Contains("'defined-acme' pages by Cursor", link.Message, StringComparison.Ordinal);
        Assert.Contains("copies a sample record, and 'defined-acme' has none", insert.Message, StringComparison.Ordinal);
        Assert.Null(sandbox.WhyNotFault(SandboxFaultKind.RepeatedPage, Route));
        Assert.Null(sandbox.WhyNotFault(SandboxFaultKind.InsertWhilePaging, Route));
        Assert.Null(empty.WhyNotFault(SandboxFaultKind.DeleteWhilePaging, Route));
        Assert.Null(Mounted(Spec(DefinedPagingType.Offset)).Sandbox.WhyNotFault(SandboxFaultKind.TotalChanged, Route));
        Assert.NotNull(sandbox.WhyNotFault(SandboxFaultKind.ForeignNextLink, RevereApi.ApiName));
        Assert.Null(sandbox.WhyNotFault(SandboxFaultKind.ForeignNextLink, KitchenApi.ApiName));
    }

    [Fact]
    public async Task Echoed_credentials_include_the_definitions_own_key_header()
    {
        var (sandbox, _) = Mounted(new DefinedApiSpec { Route = Route, ListPath = "/x", AuthType = DefinedAuthType.Header, AuthName = "Acme-Key", Records = Records() });
        sandbox.InjectFault(SandboxFaultKind.EchoCredentials, api: Route);

        var echoed = await Get(sandbox, "/x", ("Acme-Key", Key));

        Assert.Equal(401, echoed.StatusCode);
        Assert.Contains("Acme-Key: " + Key, Encoding.UTF8.GetString(echoed.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insert_and_delete_while_paging_copy_and_remove_the_first_records()
    {
        var (sandbox, api) = Mounted(Spec(DefinedPagingType.Cursor));
        sandbox.InjectFault(SandboxFaultKind.InsertWhilePaging, api: Route, afterRequests: 1);

        var first = Json(await Get(sandbox, "/v1/invoices?limit=2", Bearer()));
        var second = Json(await Get(sandbox, "/v1/invoices?limit=2&starting_after=inv_002", Bearer()));

        Assert.Equal(Ids(1, 2), ItemIds(first.GetProperty("data")));
        Assert.Equal(Ids(3, 4), ItemIds(second.GetProperty("data")));
        Assert.Equal(new[] { "inv_001-new-3", "inv_001-new-2", "inv_001-new-1" }.Concat(Ids(1, 2, 3, 4, 5, 6, 7)), api.Ids);
        var copy = Json(await Get(sandbox, "/v1/invoices?limit=1", Bearer())).GetProperty("data")[0];
        Assert.Equal("inv_001-new-3", copy.GetProperty("id").GetString());
        Assert.Equal("paid", copy.GetProperty("status").GetString());

        sandbox.InjectFault(SandboxFaultKind.DeleteWhilePaging, api: Route);
        await Get(sandbox, "/v1/invoices", Bearer());
        Assert.Equal(Ids(1, 2, 3, 4, 5, 6, 7), api.Ids);
        Assert.Equal(Ids(1, 2), api.RemoveNewest(2));
        Assert.Equal(Ids(3, 4, 5, 6, 7), api.Ids);
    }

    [Fact]
    public void New_numeric_ids_follow_the_largest()
    {
        var api = new DefinedApi(new DefinedApiSpec { Route = Route, ListPath = "/x", IdPath = "meta.id", Records = Encoding.UTF8.GetBytes("[{\"meta\":{\"id\":12}},{\"meta\":{\"id\":40}},{\"meta\":{\"id\":\"x\"}}]") });

        var added = api.AddNewest(2);

        Assert.Equal(new[] { "42", "41" }, added);
        Assert.Equal(new[] { "42", "41", "12", "40", "x" }, api.Ids);
        Assert.Throws<InvalidOperationException>(() => new DefinedApi(new DefinedApiSpec { Route = Route, ListPath = "/x", Records = Encoding.UTF8.GetBytes("[]") }).AddNewest(1));
    }
}
