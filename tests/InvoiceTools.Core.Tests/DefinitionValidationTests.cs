using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using InvoiceTools.Providers.Defined;

namespace InvoiceTools.Tests;

/// <summary>
/// <see cref="ProviderDefinition.Read"/> over JSON definitions: a complete definition reads into the model key by key,
/// and each kind of mistake is reported with its key path, its line and what to write instead, every one at once.
/// </summary>
public sealed class DefinitionValidationTests : IDisposable
{
    private const string File = "acme.json";

    /// <summary>
    /// A valid definition, one top-level key per line, so that a case replaces one line and the lines stay put. Line 1
    /// is '{', then Name (2), BaseUri (3), Authentication (4), List (5), Paging (6), Invoice (7), Statuses (8), a free
    /// line (9) for a case's extra key, and '}' (10). Trailing commas are allowed in a definition.
    /// </summary>
    private static readonly string[] Lines =
    {
        "{",
        "  \"Name\": \"Acme\",",
        "  \"BaseUri\": \"https://api.acme.example\",",
        "  \"Authentication\": { \"Type\": \"Bearer\" },",
        "  \"List\": { \"Path\": \"/v1/invoices\", \"Items\": \"data\" },",
        "  \"Paging\": { \"Type\": \"Offset\", \"Offset\": \"offset\", \"PageSize\": \"limit\", \"MaxPageSize\": 100 },",
        "  \"Invoice\": { \"Id\": \"id\", \"Status\": \"status\", \"Currency\": \"currency\", \"Total\": \"total\" },",
        "  \"Statuses\": { \"paid\": \"Paid\", \"open\": \"Open\" },",
        string.Empty,
        "}",
    };

    private static readonly string[] Keys = { string.Empty, "Name", "BaseUri", "Authentication", "List", "Paging", "Invoice", "Statuses", "Extra" };

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "it-validation-" + Guid.NewGuid().ToString("N"));

    public DefinitionValidationTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The valid definition with the line of <paramref name="key"/> replaced by <paramref name="line"/> ("" removes the key).</summary>
    private static string With(string key, string line)
    {
        var lines = Lines.ToArray();
        lines[Array.IndexOf(Keys, key)] = line;
        return string.Join("\n", lines);
    }

    private ProviderDefinition Read(string json) => ProviderDefinition.Read(DefinitionJson.Read(Encoding.UTF8.GetBytes(json), File), File, _folder);

    private IReadOnlyList<DefinitionProblem> Problems(string json)
    {
        var error = Assert.Throws<InvoiceDefinitionException>(() => Read(json));
        Assert.Equal(File, error.File);
        Assert.All(error.Problems, p => Assert.Equal(File, p.File));
        return error.Problems;
    }

    /// <summary>Asserts the problems, each "key|line|gist", in order: the key path and line exactly, the message containing the gist.</summary>
    private void AssertProblems(string json, params string[] expected)
    {
        var problems = Problems(json);
        var described = string.Join("\n", problems.Select(p => p.ToString()));
        Assert.True(expected.Length == problems.Count, $"expected {expected.Length} problem(s), got:\n{described}");
        for (var i = 0; i < expected.Length; i++)
        {
            var parts = expected[i].Split('|');
            Assert.True(parts[0] == problems[i].Key, $"problem {i}: key '{problems[i].Key}', expected '{parts[0]}':\n{described}");
            Assert.True(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) == problems[i].Line, $"problem {i}: line {problems[i].Line}, expected {parts[1]}:\n{described}");
            Assert.True(problems[i].Message.Contains(parts[2], StringComparison.Ordinal), $"problem {i}: '{problems[i].Message}' does not say '{parts[2]}'");
        }
    }

    private string Records(string name, string text)
    {
        System.IO.File.WriteAllText(Path.Combine(_folder, name), text);
        return name;
    }

    [Fact]
    public void The_valid_base_definition_reads()
    {
        var definition = Read(string.Join("\n", Lines));

        Assert.Equal("Acme", definition.Name);
        Assert.Equal("Acme", definition.DisplayName);
        Assert.Equal(DefinedPagingType.Offset, definition.Paging.Type);
        Assert.Equal("acme.json", definition.File);
        Assert.Equal("Acme (acme.json)", definition.ToString());
    }

    [Fact]
    public void A_complete_definition_reads_every_key_of_the_schema_into_the_model()
    {
        var records = Records("acme.records.json", """[ { "id": "inv_1", "state": "paid" } ]""");
        var json = $$"""
            {
              "SchemaVersion": 1,
              "Name": "Acme-Billing_2",
              "DisplayName": "Acme Billing",
              "Source": "https://docs.acme.example/api/invoices",
              "BaseUri": "https://{Region}.acme.example/api",
              "Settings": {
                "Region": { "Required": true, "Pattern": "^(eu|us)$", "Description": "the data region" },
                "Account": { "Description": "the account" }
              },
              "Authentication": { "Type": "Basic", "KeyAs": "Password", "User": "{Account}" },
              "Headers": { "Acme-Version": "2024-01", "X-Account": "{Account}" },
              "List": { "Path": "/v2/invoices", "Items": "$.result['the items']", "Parameters": { "expand": "lines", "limit_type": 2 }, "NewestFirst": true },
              "Paging": { "Type": "Page", "Page": "page", "PageSize": "per_page", "MaxPageSize": 2000, "FirstPage": 0,
                          "Total": "meta.total", "LastPage": "meta.last_page", "HasMore": "meta.more" },
              "Invoice": {
                "Id": "id", "Number": "number", "ExternalId": "ref", "Status": "state", "Currency": "currency",
                "DefaultCurrency": "eur", "AmountUnit": "Minor", "DateFormat": "UnixSeconds", "TimeZone": "+02:00",
                "Subtotal": "subtotal", "Tax": "tax", "Total": { "Path": "total", "AmountUnit": "Major" }, "AmountDue": "due",
                "AmountPaid": "paid", "CustomerId": "customer.id", "CustomerName": "customer.name", "CustomerEmail": "customer['e-mail']",
                "Description": "memo", "CreatedAt": "created", "IssuedAt": { "Path": "issued", "Format": "yyyy-MM-dd", "TimeZone": "-05:30" },
                "DueDate": { "Path": "due_on", "Format": "ISO8601" }, "PaidAt": { "Path": "paid_at", "Format": "UnixMilliseconds" },
                "UpdatedAt": "updated",
                "LineItems": "lines",
                "LineItem": { "Id": "id", "Name": "title", "Description": "text", "Quantity": "qty", "UnitPrice": "unit",
                              "Amount": { "Path": "amount", "AmountUnit": "Major" }, "Currency": "cur" }
              },
              "Statuses": { "draft": "Draft", "open": "Open", "paid": "paid", "void": "Void", "gone": "Uncollectible", "back": "Refunded", "late": "Overdue" },
              "OverdueAfterDueDate": true,
              "Filters": {
                "Status": { "Parameter": "state" },
                "CreatedAfter": { "Parameter": "created[gte]", "Format": "UnixSeconds" },
                "CreatedBefore": { "Parameter": "created[lt]", "Format": "yyyy-MM-dd" },
                "Customer": { "Parameter": "customer" },
                "ExternalId": { "Parameter": "ref" },
                "Number": { "Parameter": "number" }
              },
              "Item": { "Path": "/v2/invoices/{id}", "Object": "data" },
              "Sandbox": { "Records": "{{records}}" }
            }
            """;

        var d = Read(json);

        Assert.Equal("Acme-Billing_2", d.Name);
        Assert.Equal("Acme Billing", d.DisplayName);
        Assert.Equal("https://docs.acme.example/api/invoices", d.Source);
        Assert.Equal("https://{Region}.acme.example/api", d.BaseUri);
        Assert.Equal(new[] { "Region|True|^(eu|us)$|the data region", "Account|False||the account" }, d.Settings.Select(s => $"{s.Name}|{s.Required}|{s.Pattern}|{s.Description}"));
        Assert.Equal(DefinedAuthenticationType.Basic, d.Authentication.Type);
        Assert.True(d.Authentication.KeyIsPassword);
        Assert.Equal("{Account}", d.Authentication.User);
        Assert.Null(d.Authentication.Name);
        Assert.Equal("HTTP Basic, user {Account}, the key as the password", d.Authentication.ToString());
        Assert.Equal(new[] { "Acme-Version=2024-01", "X-Account={Account}" }, d.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}"));
        Assert.Equal("/v2/invoices", d.ListPath);
        Assert.Equal("$.result['the items']", d.Items);
        Assert.True(d.NewestFirst);
        Assert.Equal(new[] { "expand=lines", "limit_type=2" }, d.ListParameters.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}"));

        var p = d.Paging;
        Assert.Equal(DefinedPagingType.Page, p.Type);
        Assert.Equal(("page", "per_page", 2000, 0), (p.Page, p.PageSize, p.MaxPageSize, p.FirstPage));
        Assert.Equal(("meta.total", "meta.last_page", "meta.more"), (p.Total, p.LastPage, p.HasMore));
        Assert.Null(p.Offset);
        Assert.Null(p.Next);
        Assert.Null(p.Cursor);
        Assert.Null(p.NextCursor);
        Assert.Equal("page + per_page, last page at meta.last_page, total at meta.total", p.ToString());

        Assert.Equal("EUR", d.DefaultCurrency);
        var expectedFields = new[]
        {
            "Id=id", "Number=number", "ExternalId=ref", "Status=state", "Currency=currency", "CustomerId=customer.id", "CustomerName=customer.name",
            "CustomerEmail=customer['e-mail']", "Description=memo", "Subtotal=subtotal", "Tax=tax", "Total=total", "AmountDue=due", "AmountPaid=paid",
            "CreatedAt=created", "IssuedAt=issued", "DueDate=due_on", "PaidAt=paid_at", "UpdatedAt=updated", "LineItems=lines",
        };
        Assert.Equal(expectedFields.OrderBy(f => f, StringComparer.Ordinal), d.Fields.Select(f => $"{f.Key}={f.Value.Path}").OrderBy(f => f, StringComparer.Ordinal));

        // The invoice's AmountUnit, DateFormat and TimeZone hold for every field that does not say otherwise.
        Assert.True(d.Fields["Subtotal"].MinorUnits);
        Assert.True(d.Fields["AmountDue"].MinorUnits);
        Assert.False(d.Fields["Total"].MinorUnits);
        Assert.False(d.Fields["Id"].MinorUnits);
        Assert.Null(d.Fields["Id"].Format);
        Assert.Equal(("UnixSeconds", TimeSpan.FromHours(2)), (d.Fields["CreatedAt"].Format, d.Fields["CreatedAt"].TimeZone));
        Assert.Equal(("UnixSeconds", TimeSpan.FromHours(2)), (d.Fields["UpdatedAt"].Format, d.Fields["UpdatedAt"].TimeZone));
        Assert.Equal(("yyyy-MM-dd", -new TimeSpan(5, 30, 0)), (d.Fields["IssuedAt"].Format, d.Fields["IssuedAt"].TimeZone));
        Assert.Equal(("ISO8601", TimeSpan.FromHours(2)), (d.Fields["DueDate"].Format, d.Fields["DueDate"].TimeZone));
        Assert.Equal("UnixMilliseconds", d.Fields["PaidAt"].Format);

        Assert.Equal(
            new[] { "Amount=amount", "Currency=cur", "Description=text", "Id=id", "Name=title", "Quantity=qty", "UnitPrice=unit" },
            d.LineItem.Select(f => $"{f.Key}={f.Value.Path}").OrderBy(f => f, StringComparer.Ordinal));
        Assert.True(d.LineItem["UnitPrice"].MinorUnits);
        Assert.False(d.LineItem["Amount"].MinorUnits);
        Assert.False(d.LineItem["Quantity"].MinorUnits);

        Assert.Equal(
            new[] { "back=Refunded", "draft=Draft", "gone=Uncollectible", "late=Overdue", "open=Open", "paid=Paid", "void=Void" },
            d.Statuses.Select(s => $"{s.Key}={s.Value}").OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(InvoiceStatus.Paid, d.Statuses["PAID"]);
        Assert.True(d.OverdueAfterDueDate);
        Assert.Equal(
            new[] { "CreatedAfter=created[gte]/UnixSeconds", "CreatedBefore=created[lt]/yyyy-MM-dd", "Customer=customer/ISO8601", "ExternalId=ref/ISO8601", "Number=number/ISO8601", "Status=state/ISO8601" },
            d.Filters.Select(f => $"{f.Key}={f.Value.Parameter}/{f.Value.Format}").OrderBy(f => f, StringComparer.Ordinal));
        Assert.Equal("/v2/invoices/{id}", d.ItemPath);
        Assert.Equal("data", d.ItemObject);
        Assert.Equal("acme.records.json", d.SandboxRecordsFile);
        Assert.Equal("""[ { "id": "inv_1", "state": "paid" } ]""", Encoding.UTF8.GetString(d.SandboxRecordsJson()!));
        Assert.Equal("Acme-Billing_2 (acme.json)", d.ToString());
    }

    [Fact]
    public void Defaults_fill_what_a_minimal_definition_leaves_out()
    {
        var d = Read(With("Paging", "  \"Paging\": { \"Type\": \"None\" },"));

        Assert.Equal("Acme", d.DisplayName);
        Assert.Null(d.Source);
        Assert.Empty(d.Settings);
        Assert.Empty(d.Headers);
        Assert.Empty(d.ListParameters);
        Assert.False(d.NewestFirst);
        Assert.Equal(DefinedPagingType.None, d.Paging.Type);
        Assert.Equal(100_000, d.Paging.MaxPageSize);
        Assert.Equal(1, d.Paging.FirstPage);
        Assert.Equal("one answer, no paging", d.Paging.ToString());
        Assert.Null(d.DefaultCurrency);
        Assert.False(d.Fields["Total"].MinorUnits);
        Assert.Empty(d.LineItem);
        Assert.False(d.OverdueAfterDueDate);
        Assert.Empty(d.Filters);
        Assert.Null(d.ItemPath);
        Assert.Equal("$", d.ItemObject);
        Assert.Null(d.SandboxRecordsFile);
        Assert.Null(d.SandboxRecordsJson());
        Assert.Equal("Bearer key (Authorization: Bearer)", d.Authentication.ToString());
    }

    [Theory]
    [InlineData("""{ "Type": "Offset", "Offset": "skip", "PageSize": "take", "MaxPageSize": 50, "Total": "count" }""", "skip + take, total at count")]
    [InlineData("""{ "Type": "Offset", "Offset": "skip", "PageSize": "take", "MaxPageSize": 50 }""", "skip + take")]
    [InlineData("""{ "Type": "Page", "Page": "p", "PageSize": "n", "MaxPageSize": 50 }""", "p + n")]
    [InlineData("""{ "Type": "NextLink", "Next": "links.next", "MaxPageSize": 50 }""", "next link at links.next")]
    [InlineData("""{ "Type": "LinkHeader", "PageSize": "per_page", "MaxPageSize": 50 }""", "Link header (rel=\"next\")")]
    [InlineData("""{ "Type": "Cursor", "Cursor": "starting_after", "PageSize": "limit", "MaxPageSize": 50 }""", "starting_after = the last invoice's id")]
    [InlineData("""{ "Type": "cursor", "Cursor": "c", "PageSize": "limit", "MaxPageSize": "50", "NextCursor": "next", "HasMore": "more" }""", "c = next")]
    public void Each_paging_type_reads_with_its_own_keys(string paging, string words)
    {
        var d = Read(With("Paging", $"  \"Paging\": {paging},"));

        Assert.Equal(words, d.Paging.ToString());
        Assert.Equal(50, d.Paging.MaxPageSize);
    }

    [Theory]
    [InlineData("""{ "Type": "Bearer" }""", "Bearer key (Authorization: Bearer)")]
    [InlineData("""{ "Type": "Header", "Name": "X-Api-Key" }""", "the key in the X-Api-Key header")]
    [InlineData("""{ "Type": "Basic" }""", "HTTP Basic, the key as the user name")]
    [InlineData("""{ "Type": "basic", "KeyAs": "user" }""", "HTTP Basic, the key as the user name")]
    [InlineData("""{ "Type": "Basic", "KeyAs": "Password", "User": "api" }""", "HTTP Basic, user api, the key as the password")]
    [InlineData("""{ "Type": "Query", "Name": "api_key" }""", "the key in the query parameter api_key")]
    [InlineData("""{ "Type": "None" }""", "no key")]
    public void Each_authentication_type_reads(string authentication, string words) =>
        Assert.Equal(words, Read(With("Authentication", $"  \"Authentication\": {authentication},")).Authentication.ToString());

    [Theory]
    [InlineData("yyyy-MM-dd")]
    [InlineData("dd/MM/yyyy")]
    [InlineData("yyyyMMdd")]
    [InlineData("d MMM yyyy")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss")]
    [InlineData("MM/dd/yyyy HH:mm zzz")]
    [InlineData("dd.MM.yy")]
    public void A_dotnet_date_format_with_the_year_month_and_day_is_taken(string format) =>
        Assert.Equal(format, Read(With("Invoice", $"  \"Invoice\": {{ \"Id\": \"id\", \"Status\": \"status\", \"DueDate\": {{ \"Path\": \"due\", \"Format\": \"{format}\" }} }},")).Fields["DueDate"].Format);

    [Theory]
    [InlineData("dd")]
    [InlineData("Tuesday")]
    [InlineData("HH:mm")]
    [InlineData("yyyy-MM")]
    [InlineData("MM-dd")]
    [InlineData("'yyyy-MM-dd'")]
    [InlineData("\\y\\M\\d")]
    [InlineData("seconds")]
    public void A_text_that_does_not_name_a_whole_date_is_not_a_date_format(string format)
    {
        var problem = Assert.Single(Problems(With("Invoice", $"  \"Invoice\": {{ \"Id\": \"id\", \"Status\": \"status\", \"DueDate\": {{ \"Path\": \"due\", \"Format\": \"{format.Replace("\\", "\\\\", StringComparison.Ordinal)}\" }} }},")));

        Assert.Equal(("Invoice.DueDate.Format", 7), (problem.Key, problem.Line));
        Assert.Equal($"'{format}' is not a date format: use ISO8601, UnixSeconds, UnixMilliseconds, or a .NET format with the year, month and day such as 'yyyy-MM-dd'.", problem.Message);
    }

    [Fact]
    public void Keys_are_case_insensitive()
    {
        var d = Read(With("Paging", "  \"paging\": { \"TYPE\": \"offset\", \"offset\": \"offset\", \"pagesize\": \"limit\", \"MaxPagesize\": 25 },"));

        Assert.Equal(25, d.Paging.MaxPageSize);
        Assert.Equal("limit", d.Paging.PageSize);
    }

    public static TheoryData<string, string, string[]> Mistakes => new()
    {
        // Required keys.
        { "Name", string.Empty, new[] { "|1|Name is missing." } },
        { "BaseUri", string.Empty, new[] { "|1|BaseUri is missing." } },
        { "Authentication", string.Empty, new[] { "|1|Authentication is missing: give @{ Type = 'Bearer' }" } },
        { "List", string.Empty, new[] { "|1|List is missing: give @{ Path = '/invoices'; Items = 'data' }." } },
        { "List", """  "List": { "Items": "data" },""", new[] { "List|5|Path is missing." } },
        { "List", """  "List": { "Path": "/v1/invoices" },""", new[] { "List|5|Items is missing." } },
        { "Paging", string.Empty, new[] { "|1|Paging is missing: give @{ Type = 'Page'" } },
        { "Paging", """  "Paging": { "Offset": "offset", "PageSize": "limit", "MaxPageSize": 100 },""", new[] { "Paging|6|Type is missing.", "Paging.Offset|6|Offset is not used with paging Type None; it takes MaxPageSize.", "Paging.PageSize|6|PageSize is not used with paging Type None" } },
        { "Paging", """  "Paging": { "Type": "Offset", "Offset": "offset", "PageSize": "limit" },""", new[] { "Paging|6|MaxPageSize is missing: paging Type Offset needs MaxPageSize, PageSize, Offset." } },
        { "Invoice", string.Empty, new[] { "|1|Invoice is missing: the field map, at least @{ Id = 'id'; Status = 'status' }." } },
        { "Invoice", """  "Invoice": { "Status": "status" },""", new[] { "Invoice|7|Id is missing: every invoice needs its Id." } },
        { "Invoice", """  "Invoice": { "Id": "id" },""", new[] { "Invoice|7|Status is missing: every invoice needs its Status." } },
        { "Statuses", string.Empty, new[] { "|1|Statuses is missing: the API's status words and what each means" } },
        { "Statuses", """  "Statuses": { },""", new[] { "Statuses|8|Statuses names no status word." } },

        // Unknown keys, with a suggestion when one is close.
        { "Extra", """  "Pagin": { },""", new[] { "Pagin|9|'Pagin' is not a key of the definition; did you mean Paging?" } },
        { "Extra", """  "Colour": "blue",""", new[] { "Colour|9|'Colour' is not a key of the definition; it takes SchemaVersion, Name, DisplayName" } },
        { "Paging", """  "Paging": { "Type": "Offset", "Offset": "offset", "PageSize": "limit", "MaxPageSise": 100 },""", new[] { "Paging.MaxPageSise|6|'MaxPageSise' is not a key of Paging; did you mean MaxPageSize?", "Paging|6|MaxPageSize is missing" } },
        { "List", """  "List": { "Path": "/v1/invoices", "Items": "data", "Itemz": "x" },""", new[] { "List.Itemz|5|'Itemz' is not a key of List; did you mean Items?" } },
        { "Authentication", """  "Authentication": { "Type": "Bearer", "Token": "abc" },""", new[] { "Authentication.Token|4|'Token' is not a key of Authentication; it takes Type, Name, KeyAs, User." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "Totl": "total" },""", new[] { "Invoice.Totl|7|'Totl' is not a key of Invoice; did you mean Total?" } },

        // Wrong kinds.
        { "Paging", """  "Paging": [ "Offset" ],""", new[] { "Paging|6|Paging must be a hashtable @{ ... } (a JSON object), not an array." } },
        { "List", """  "List": "/v1/invoices",""", new[] { "List|5|List must be a hashtable @{ ... } (a JSON object), not '/v1/invoices'." } },
        { "Paging", """  "Paging": { "Type": "Offset", "Offset": "offset", "PageSize": "limit", "MaxPageSize": "lots" },""", new[] { "Paging.MaxPageSize|6|expected a whole number from 1 to 100000, not 'lots'." } },
        { "Paging", """  "Paging": { "Type": "Offset", "Offset": "offset", "PageSize": "limit", "MaxPageSize": 0 },""", new[] { "Paging.MaxPageSize|6|expected a whole number from 1 to 100000, not 0." } },
        { "Paging", """  "Paging": { "Type": "Offset", "Offset": "offset", "PageSize": "limit", "MaxPageSize": 100001 },""", new[] { "Paging.MaxPageSize|6|expected a whole number from 1 to 100000, not 100001." } },
        { "Paging", """  "Paging": { "Type": "Offset", "Offset": "offset", "PageSize": "limit", "MaxPageSize": 2.5 },""", new[] { "Paging.MaxPageSize|6|expected a whole number from 1 to 100000, not 2.5." } },
        { "Name", """  "Name": { "en": "Acme" },""", new[] { "Name|2|expected text, not a hashtable." } },
        { "BaseUri", """  "BaseUri": [ "https://a.example" ],""", new[] { "BaseUri|3|expected text, not an array." } },
        { "Extra", """  "OverdueAfterDueDate": "yes",""", new[] { "OverdueAfterDueDate|9|expected $true or $false (JSON true or false), not 'yes'." } },
        { "Extra", """  "SchemaVersion": 2,""", new[] { "SchemaVersion|9|expected a whole number from 1 to 1, not 2.", "SchemaVersion|9|this module reads SchemaVersion 1." } },
        { "Invoice", """  "Invoice": { "Id": [ "id" ], "Status": "status" },""", new[] { "Invoice.Id|7|Invoice.Id must be a JSON path (text) or @{ Path = '...' }, not an array." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "LineItems": "lines", "LineItem": "name" },""", new[] { "Invoice.LineItem|7|Invoice.LineItem must be a hashtable @{ ... } (a JSON object), not 'name'." } },
        { "Name", """  "Name": "  ",""", new[] { "Name|2|Name is empty." } },

        // Bad words for enums.
        { "Paging", """  "Paging": { "Type": "Ofset", "Offset": "offset", "PageSize": "limit", "MaxPageSize": 100 },""", new[] { "Paging.Type|6|'Ofset' is not one of Offset, Page, NextLink, LinkHeader, Cursor, None; did you mean Offset?", "Paging.Offset|6|Offset is not used with paging Type None", "Paging.PageSize|6|PageSize is not used with paging Type None" } },
        { "Paging", """  "Paging": { "Type": "Scroll", "MaxPageSize": 100 },""", new[] { "Paging.Type|6|'Scroll' is not one of Offset, Page, NextLink, LinkHeader, Cursor, None." } },
        { "Authentication", """  "Authentication": { "Type": "Beaerr" },""", new[] { "Authentication.Type|4|'Beaerr' is not one of Bearer, Header, Basic, Query, None; did you mean Bearer?" } },
        { "Authentication", """  "Authentication": { "Type": "OAuth2" },""", new[] { "Authentication.Type|4|'OAuth2' is not one of Bearer, Header, Basic, Query, None." } },
        { "Authentication", """  "Authentication": { },""", new[] { "Authentication|4|Type is missing." } },

        // Keys that do not fit the paging type, and a type's missing keys.
        { "Paging", """  "Paging": { "Type": "Cursor", "Cursor": "after", "PageSize": "limit", "MaxPageSize": 100, "Offset": "offset" },""", new[] { "Paging.Offset|6|Offset is not used with paging Type Cursor; it takes MaxPageSize, PageSize, Cursor, NextCursor, HasMore." } },
        { "Paging", """  "Paging": { "Type": "Offset", "Offset": "offset", "PageSize": "limit", "MaxPageSize": 100, "LastPage": "meta.last" },""", new[] { "Paging.LastPage|6|LastPage is not used with paging Type Offset; it takes MaxPageSize, PageSize, Offset, Total." } },
        { "Paging", """  "Paging": { "Type": "LinkHeader", "MaxPageSize": 100, "Next": "next" },""", new[] { "Paging.Next|6|Next is not used with paging Type LinkHeader; it takes MaxPageSize, PageSize." } },
        { "Paging", """  "Paging": { "Type": "None", "PageSize": "limit" },""", new[] { "Paging.PageSize|6|PageSize is not used with paging Type None; it takes MaxPageSize." } },
        { "Paging", """  "Paging": { "Type": "Page", "MaxPageSize": 100, "FirstPage": 2, "Page": "p", "PageSize": "n" },""", new[] { "Paging.FirstPage|6|expected a whole number from 0 to 1, not 2." } },
        { "Paging", """  "Paging": { "Type": "Offset", "MaxPageSize": 100 },""", new[] { "Paging|6|PageSize is missing: paging Type Offset needs MaxPageSize, PageSize, Offset.", "Paging|6|Offset is missing: paging Type Offset needs MaxPageSize, PageSize, Offset." } },
        { "Paging", """  "Paging": { "Type": "Page", "MaxPageSize": 100, "PageSize": "n" },""", new[] { "Paging|6|Page is missing: paging Type Page needs MaxPageSize, PageSize, Page." } },
        { "Paging", """  "Paging": { "Type": "NextLink", "MaxPageSize": 100 },""", new[] { "Paging|6|Next is missing: paging Type NextLink needs MaxPageSize, Next." } },
        { "Paging", """  "Paging": { "Type": "LinkHeader" },""", new[] { "Paging|6|MaxPageSize is missing: paging Type LinkHeader needs MaxPageSize." } },
        { "Paging", """  "Paging": { "Type": "Cursor", "MaxPageSize": 100, "PageSize": "limit" },""", new[] { "Paging|6|Cursor is missing: paging Type Cursor needs MaxPageSize, PageSize, Cursor." } },
        { "Paging", """  "Paging": { "Type": "Offset", "Offset": "off set", "PageSize": "limit&x", "MaxPageSize": 100 },""", new[] { "Paging.PageSize|6|'limit&x' is not a query parameter name (no spaces, &, =, ? or #).", "Paging.Offset|6|'off set' is not a query parameter name" } },

        // Names.
        { "Name", """  "Name": "Revere",""", new[] { "Name|2|'Revere' is the name of a built-in provider; give the definition a name of its own." } },
        { "Name", """  "Name": "kitchen",""", new[] { "Name|2|'kitchen' is the name of a built-in provider" } },
        { "Name", """  "Name": "Defined",""", new[] { "Name|2|'Defined' is the name of a built-in provider" } },
        { "Name", """  "Name": "Acme Billing",""", new[] { "Name|2|'Acme Billing' is not a provider name: start with a letter, then letters, digits, '-' or '_', at most 40." } },
        { "Name", """  "Name": "1acme",""", new[] { "Name|2|'1acme' is not a provider name" } },
        { "Name", """  "Name": "acme.billing",""", new[] { "Name|2|'acme.billing' is not a provider name" } },
        { "Name", """  "Name": "Ab234567890123456789012345678901234567890",""", new[] { "Name|2|is not a provider name: start with a letter, then letters, digits, '-' or '_', at most 40." } },

        // BaseUri.
        { "BaseUri", """  "BaseUri": "http://api.acme.example",""", new[] { "BaseUri|3|'http://api.acme.example' uses plain http, which would send the key unencrypted" } },
        { "BaseUri", """  "BaseUri": "https://api.acme.example/?version=2",""", new[] { "BaseUri|3|the base URI cannot hold a query, credentials or a fragment" } },
        { "BaseUri", """  "BaseUri": "https://user:secret@api.acme.example",""", new[] { "BaseUri|3|the base URI cannot hold a query, credentials or a fragment" } },
        { "BaseUri", """  "BaseUri": "https://api.acme.example/#top",""", new[] { "BaseUri|3|the base URI cannot hold a query, credentials or a fragment" } },
        { "BaseUri", """  "BaseUri": "ftp://api.acme.example",""", new[] { "BaseUri|3|'ftp://api.acme.example' is not an absolute https:// address." } },
        { "BaseUri", """  "BaseUri": "api.acme.example",""", new[] { "BaseUri|3|'api.acme.example' is not an absolute https:// address." } },
        { "BaseUri", """  "BaseUri": "https://{Region}.acme.example",""", new[] { "BaseUri|3|the placeholder {Region} is not one of the definition's Settings." } },
        { "Extra", """  "Settings": { "1st": { } },""", new[] { "Settings['1st']|9|'1st' is not a setting name: start with a letter" } },
        { "Extra", """  "Settings": { "Region": { "Pattern": "(eu" } },""", new[] { "Settings.Region.Pattern|9|'(eu' is not a regular expression" } },
        { "Extra", """  "Settings": { "Region": { "Requried": true } },""", new[] { "Settings.Region.Requried|9|'Requried' is not a key of the setting Region; did you mean Required?" } },

        // Headers.
        { "Extra", """  "Headers": { "Authorization": "Bearer abc" },""", new[] { "Headers.Authorization|9|Authorization cannot be a constant header: the key goes in Authentication" } },
        { "Extra", """  "Headers": { "cookie": "a=b" },""", new[] { "Headers.cookie|9|cookie cannot be a constant header" } },
        { "Extra", """  "Headers": { "X-Note": "café" },""", new[] { "Headers['X-Note']|9|a header value takes printable ASCII only." } },
        { "Extra", """  "Headers": { "X-Note": "a\nb" },""", new[] { "Headers['X-Note']|9|a header value takes printable ASCII only." } },
        { "Extra", """  "Headers": { "X-Account": "{Account}" },""", new[] { "Headers['X-Account']|9|the placeholder {Account} is not one of the definition's Settings." } },
        { "Extra", """  "Headers": { "Bad Header": "x" },""", new[] { "Headers['Bad Header']|9|'Bad Header' is not a header name." } },
        { "Extra", """  "Headers": [ "X-A: b" ],""", new[] { "Headers|9|Headers must be a hashtable" } },

        // Authentication.
        { "Authentication", """  "Authentication": { "Type": "Header", "Name": "Authorization" },""", new[] { "Authentication.Name|4|'Authorization' is set by the module; use Type Bearer or Basic for Authorization." } },
        { "Authentication", """  "Authentication": { "Type": "Header", "Name": "Cookie" },""", new[] { "Authentication.Name|4|'Cookie' is set by the module" } },
        { "Authentication", """  "Authentication": { "Type": "Header", "Name": "Host" },""", new[] { "Authentication.Name|4|'Host' is set by the module" } },
        { "Authentication", """  "Authentication": { "Type": "Header", "Name": "X Api Key" },""", new[] { "Authentication.Name|4|'X Api Key' is not a header name." } },
        { "Authentication", """  "Authentication": { "Type": "Header" },""", new[] { "Authentication|4|Authentication.Name is missing: the header that carries the key." } },
        { "Authentication", """  "Authentication": { "Type": "Query" },""", new[] { "Authentication|4|Authentication.Name is missing: the query parameter that carries the key." } },
        { "Authentication", """  "Authentication": { "Type": "Bearer", "Name": "X-Key" },""", new[] { "Authentication.Name|4|Name is used with Type Header or Query, not Bearer." } },
        { "Authentication", """  "Authentication": { "Type": "Basic", "KeyAs": "Password" },""", new[] { "Authentication|4|KeyAs Password needs User: the user name sent with the key." } },
        { "Authentication", """  "Authentication": { "Type": "Basic", "KeyAs": "Token" },""", new[] { "Authentication.KeyAs|4|'Token' is not User or Password." } },
        { "Authentication", """  "Authentication": { "Type": "Bearer", "KeyAs": "User" },""", new[] { "Authentication.KeyAs|4|KeyAs and User are used with Type Basic, not Bearer." } },
        { "Authentication", """  "Authentication": { "Type": "Basic", "KeyAs": "Password", "User": "{Account}" },""", new[] { "Authentication.User|4|the placeholder {Account} is not one of the definition's Settings." } },

        // How fields are read.
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "DateFormat": "q", "CreatedAt": "c" },""", new[] { "Invoice.DateFormat|7|'q' is not a date format: use ISO8601, UnixSeconds, UnixMilliseconds, or a .NET format" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "DateFormat": "Unix", "CreatedAt": "c" },""", new[] { "Invoice.DateFormat|7|'Unix' is not a date format" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "CreatedAt": { "Path": "c", "Format": "" } },""", new[] { "Invoice.CreatedAt.Format|7|is not a date format" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "TimeZone": "Europe/Oslo" },""", new[] { "Invoice.TimeZone|7|'Europe/Oslo' is not a time zone this module reads: use UTC or an offset such as '+02:00'." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "TimeZone": "+15:00" },""", new[] { "Invoice.TimeZone|7|'+15:00' is not a time zone" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "TimeZone": "+0200" },""", new[] { "Invoice.TimeZone|7|'+0200' is not a time zone" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "DueDate": { "Path": "d", "TimeZone": "CET" } },""", new[] { "Invoice.DueDate.TimeZone|7|'CET' is not a time zone" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "Currency": "c", "Total": "t", "AmountUnit": "Cents" },""", new[] { "Invoice.AmountUnit|7|'Cents' is not an amount unit: use Major (12.50) or Minor (1250 cents)." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "Currency": "c", "Total": { "Path": "t", "AmountUnit": "minorish" } },""", new[] { "Invoice.Total.AmountUnit|7|'minorish' is not an amount unit" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "Total": "t", "DefaultCurrency": "EURO" },""", new[] { "Invoice.DefaultCurrency|7|'EURO' is not an ISO 4217 currency code such as USD or EUR." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "Total": "t", "DefaultCurrency": "E1R" },""", new[] { "Invoice.DefaultCurrency|7|'E1R' is not an ISO 4217 currency code" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "Total": "total" },""", new[] { "Invoice|7|amounts are mapped but no currency: map Currency, or give DefaultCurrency = 'USD'." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "AmountDue": { "Path": "due" } },""", new[] { "Invoice|7|amounts are mapped but no currency" } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "Number": { "Path": "n", "Format": "yyyy" } },""", new[] { "Invoice.Number.Format|7|'Format' is not a key of Invoice.Number; it takes Path." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "DueDate": { "Format": "yyyy-MM-dd" } },""", new[] { "Invoice.DueDate|7|Path is missing." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "LineItem": { "Name": "title" } },""", new[] { "Invoice.LineItem|7|LineItem maps the fields of a line, but LineItems (the path of the lines in an invoice) is missing." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "LineItems": "lines" },""", new[] { "Invoice.LineItems|7|LineItems is the path of the lines, but LineItem (the fields of a line: Name, Quantity, Amount...) is missing." } },
        { "Invoice", """  "Invoice": { "Id": "id", "Status": "status", "LineItems": "lines", "LineItem": { "Title": "title" } },""", new[] { "Invoice.LineItem.Title|7|'Title' is not a key of Invoice.LineItem; it takes Id, Name, Description, Quantity, UnitPrice, Amount, Currency." } },

        // Statuses.
        { "Statuses", """  "Statuses": { "paid": "Paid", "settled": "Settled" },""", new[] { "Statuses.settled|8|'Settled' is not an InvoiceTools status; use one of Draft, Open, Overdue, Paid, PartiallyRefunded, Refunded, Void, Uncollectible, Failed, Expired." } },
        { "Statuses", """  "Statuses": { "paid": "Paid", "gone": "Unknown" },""", new[] { "Statuses.gone|8|'Unknown' is not an InvoiceTools status" } },
        { "Statuses", """  "Statuses": { "paid": 1 },""", new[] { "Statuses.paid|8|'1' is not an InvoiceTools status" } },
        { "Statuses", """  "Statuses": [ "paid" ],""", new[] { "Statuses|8|Statuses must be a hashtable" } },

        // Filters.
        { "Extra", """  "Filters": { "Amount": { "Parameter": "amount" } },""", new[] { "Filters.Amount|9|'Amount' is not a key of Filters; it takes Status, CreatedAfter, CreatedBefore, Customer, ExternalId, Number." } },
        { "Extra", """  "Filters": { "Statuss": { "Parameter": "s" } },""", new[] { "Filters.Statuss|9|'Statuss' is not a key of Filters; did you mean Status?" } },
        { "Extra", """  "Filters": { "Status": { "Parameter": "s", "Format": "UnixSeconds" } },""", new[] { "Filters.Status.Format|9|'Format' is not a key of the filter Status; it takes Parameter." } },
        { "Extra", """  "Filters": { "CreatedAfter": { "Format": "UnixSeconds" } },""", new[] { "Filters.CreatedAfter|9|Parameter is missing." } },
        { "Extra", """  "Filters": { "Customer": { "Parameter": "customer&id" } },""", new[] { "Filters.Customer.Parameter|9|'customer&id' is not a query parameter name (no spaces, &, =, ? or #)." } },
        { "Extra", """  "Filters": { "CreatedBefore": { "Parameter": "to", "Format": "ISO" } },""", new[] { "Filters.CreatedBefore.Format|9|'ISO' is not a date format", "Filters.CreatedBefore|9|the server filter CreatedBefore compares the invoice's CreatedAt, which Invoice does not map" } },
        { "Extra", """  "Filters": { "Number": "number" },""", new[] { "Filters.Number|9|the filter Number must be a hashtable" } },

        // Item.
        { "Extra", """  "Item": { "Path": "/v1/invoices" },""", new[] { "Item.Path|9|the path must hold {id} once, where the invoice's id goes." } },
        { "Extra", """  "Item": { "Path": "/v1/invoices/{id}/{id}" },""", new[] { "Item.Path|9|the path must hold {id} once" } },
        { "Extra", """  "Item": { "Path": "/v1/invoices/{invoice}" },""", new[] { "Item.Path|9|the path must hold {id} once" } },
        { "Extra", """  "Item": { "Path": "v1/invoices/{id}" },""", new[] { "Item.Path|9|'v1/invoices/{id}' is not a path under the base URI: start with '/'" } },
        { "Extra", """  "Item": { "Object": "data" },""", new[] { "Item|9|Path is missing." } },
        { "List", """  "List": { "Path": "/v1/invoices?all=1", "Items": "data" },""", new[] { "List.Path|5|'/v1/invoices?all=1' is not a path under the base URI" } },
        { "List", """  "List": { "Path": "/v1/../admin", "Items": "data" },""", new[] { "List.Path|5|'/v1/../admin' is not a path under the base URI" } },
        { "List", """  "List": { "Path": "/v1/{id}/invoices", "Items": "data" },""", new[] { "List.Path|5|the list path takes no placeholder." } },

        // Sandbox records.
        { "Extra", """  "Sandbox": { "Records": "missing.json" },""", new[] { "Sandbox.Records|9|the records file 'missing.json' cannot be read (FileNotFoundException): give a JSON file beside the definition." } },
        { "Extra", """  "Sandbox": { },""", new[] { "Sandbox|9|Records is missing." } },
        { "Extra", """  "Sandbox": { "Records": "object.json" },""", new[] { "Sandbox.Records|9|'object.json' holds a JSON object, not an array of invoices." } },
        { "Extra", """  "Sandbox": { "Records": "broken.json" },""", new[] { "Sandbox.Records|9|'broken.json' is not valid JSON: line 2:" } },
        { "Extra", """  "Sandbox": "records.json",""", new[] { "Sandbox|9|Sandbox must be a hashtable" } },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Each_mistake_is_reported_with_its_key_its_line_and_what_to_write(string key, string line, string[] expected)
    {
        Records("object.json", """{ "data": [] }""");
        Records("broken.json", "[\n  { \"id\": 1 ]\n");
        AssertProblems(With(key, line), expected);
    }

    public static TheoryData<string, string, string> BadPaths => new()
    {
        { """  "List": { "Path": "/v1/invoices", "Items": "data[*]" },""", "List.Items|5|'data[*]' is not a JSON path this module reads: '*' (a wildcard) at character 6 of 'data[*]'", "*" },
        { """  "List": { "Path": "/v1/invoices", "Items": "data.*" },""", "List.Items|5|'data.*' is not a JSON path this module reads: '*' (a wildcard)", "*" },
        { """  "List": { "Path": "/v1/invoices", "Items": "$.data[?(@.open)]" },""", "List.Items|5|'[?' (a filter)", "?" },
        { """  "Paging": { "Type": "Offset", "Offset": "o", "PageSize": "l", "MaxPageSize": 10, "Total": "$..total" },""", "Paging.Total|6|'..' (recursive descent)", ".." },
        { """  "Paging": { "Type": "Offset", "Offset": "o", "PageSize": "l", "MaxPageSize": 10, "Total": "meta..total" },""", "Paging.Total|6|'..' (recursive descent) at character 5 of 'meta..total'", ".." },
        { """  "Invoice": { "Id": "id.", "Status": "status" },""", "Invoice.Id|7|'id.' is not a JSON path this module reads: empty member name at character 4 of 'id.'", "." },
        { """  "Invoice": { "Id": "id", "Status": "status[0" },""", "Invoice.Status|7|'[' not closed at character 7 of 'status[0'", "[" },
        { """  "Invoice": { "Id": "id", "Status": "['status" },""", "Invoice.Status|7|a name quoted with ' not closed", "'" },
        { """  "Invoice": { "Id": "lines[0:2]", "Status": "status" },""", "Invoice.Id|7|a slice", ":" },
        { """  "Invoice": { "Id": "lines[0,1]", "Status": "status" },""", "Invoice.Id|7|',' (a union)", "," },
        { """  "Invoice": { "Id": "lines[-1]", "Status": "status" },""", "Invoice.Id|7|a negative index", "-" },
        { """  "Invoice": { "Id": "first name", "Status": "status" },""", "Invoice.Id|7|a space in a member name at character 6 of 'first name': write such a name in brackets", " " },
        { """  "Invoice": { "Id": "id", "Status": { "Path": "$.status]" } },""", "Invoice.Status.Path|7|unexpected ']'", "]" },
        { """  "Invoice": { "Id": "id", "Status": "s", "LineItems": "lines", "LineItem": { "Name": "a[]" } },""", "Invoice.LineItem.Name|7|empty brackets '[]'", "[]" },
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public void A_json_path_outside_the_subset_names_the_file_the_key_and_the_path(string line, string expected, string culprit)
    {
        var key = Keys.First(k => k.Length > 0 && line.TrimStart().StartsWith($"\"{k}\"", StringComparison.Ordinal));
        var problem = Assert.Single(Problems(With(key, line)));
        var parts = expected.Split('|');

        Assert.Equal(parts[0], problem.Key);
        Assert.Equal(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), problem.Line);
        Assert.Contains(parts[2], problem.Message, StringComparison.Ordinal);
        Assert.Contains(culprit, problem.Message, StringComparison.Ordinal);
        Assert.StartsWith($"acme.json:{parts[1]}: {parts[0]}: '", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_several_problems_reports_every_one_ordered_by_line()
    {
        var json = """
            {
              "Statuses": { "paid": "Settled" },
              "Name": "Revere",
              "Invoice": { "Id": "data[*].id", "Status": "status", "Total": "total" },
              "Paging": { "Type": "Ofset", "MaxPageSize": 100 },
              "BaseUri": "http://api.acme.example",
              "Authentication": { "Type": "Header", "Name": "Authorization" },
              "Headers": { "Cookie": "a=b" },
              "Pagin": 1
            }
            """;

        var error = Assert.Throws<InvoiceDefinitionException>(() => Read(json));

        Assert.Equal(
            new[]
            {
                "acme.json:1: List is missing",
                "acme.json:2: Statuses.paid: 'Settled' is not an InvoiceTools status",
                "acme.json:3: Name: 'Revere' is the name of a built-in provider",
                "acme.json:4: Invoice.Id: 'data[*].id' is not a JSON path",
                "acme.json:4: Invoice: amounts are mapped but no currency",
                "acme.json:5: Paging.Type: 'Ofset' is not one of",
                "acme.json:6: BaseUri: 'http://api.acme.example' uses plain http",
                "acme.json:7: Authentication.Name: 'Authorization' is set by the module",
                "acme.json:8: Headers.Cookie: Cookie cannot be a constant header",
                "acme.json:9: Pagin: 'Pagin' is not a key of the definition; did you mean Paging?",
            },
            error.Problems.Select(p => Prefix(p.ToString())));
        Assert.StartsWith("The provider definition acme.json has 10 problems:" + Environment.NewLine + "  acme.json:1: List is missing", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Problems.Select(p => p.Line), error.Problems.Select(p => p.Line).OrderBy(l => l));
        Assert.Contains("about_InvoiceTools_CustomProviders", error.RecommendedAction, StringComparison.Ordinal);

        string Prefix(string text)
        {
            var cut = new[] { "List is missing", "is not an InvoiceTools status", "is the name of a built-in provider", "is not a JSON path", "amounts are mapped but no currency", "is not one of", "uses plain http", "is set by the module", "cannot be a constant header", "did you mean Paging?" }
                .Select(s => text.IndexOf(s, StringComparison.Ordinal) is var at and >= 0 ? at + s.Length : -1).Max();
            return cut < 0 ? text : text[..cut];
        }
    }

    [Fact]
    public void One_problem_is_counted_in_the_singular_and_a_root_that_is_not_a_map_is_one_problem()
    {
        var one = Assert.Throws<InvoiceDefinitionException>(() => Read(With("Name", string.Empty)));
        Assert.Equal("The provider definition acme.json has 1 problem:" + Environment.NewLine + "  acme.json:1: Name is missing.", one.Message);

        var root = DefinitionNode.List(string.Empty, 1, Array.Empty<DefinitionNode>());
        var problem = Assert.Single(Assert.Throws<InvoiceDefinitionException>(() => ProviderDefinition.Read(root, File, _folder)).Problems);
        Assert.Equal("acme.json:1: the definition must be a hashtable @{ ... } (a JSON object), not an array.", problem.ToString());
    }

    [Fact]
    public void A_problem_without_a_line_or_key_still_names_the_file()
    {
        Assert.Equal("acme.psd1: the file is empty", new DefinitionProblem("acme.psd1", null, string.Empty, "the file is empty").ToString());
        Assert.Equal("acme.psd1: Paging.Type: bad", new DefinitionProblem("acme.psd1", null, "Paging.Type", "bad").ToString());
        Assert.Equal("acme.psd1:12: Paging.Type: bad", new DefinitionProblem("acme.psd1", 12, "Paging.Type", "bad").ToString());
    }

    [Fact]
    public void Records_are_read_relative_to_the_definitions_folder_with_comments_and_trailing_commas()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "samples"));
        Records(Path.Combine("samples", "acme.json"), "// sample\n[ { \"id\": 1 }, ]");

        var d = Read(With("Extra", """  "Sandbox": { "Records": "samples/acme.json" },"""));

        Assert.Equal("acme.json", d.SandboxRecordsFile);
        Assert.NotNull(d.SandboxRecordsJson());
    }
}
