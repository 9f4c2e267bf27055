using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using InvoiceTools.Providers.Defined;

namespace InvoiceTools.Tests;

/// <summary>
/// Reading a provider definition: the JSON paths its fields name (parsed once, evaluated per invoice), and a JSON
/// definition read into the DefinitionNode tree with the line of every value.
/// </summary>
public sealed class DefinitionReadingTests
{
    private const string Answer = """
        {
          "data": [
            { "id": "inv_1", "total": 1250, "customer": { "name": "Ada", "address": { "city": "Oslo" } },
              "lines": [ { "title": "Hosting" }, { "title": "Support" } ], "paid": true, "note": null },
            { "id": "inv_2", "total": 12.5, "customer": null, "lines": [] }
          ],
          "meta": { "total": 2, "last_page": 1 },
          "odd key": { "it's": "quoted", "a.b": "dotted", "": "empty" },
          "@odata.nextLink": "https://example.test/next",
          "Case": "upper",
          "case": "lower",
          "matrix": [ [ 1, 2 ], [ 3, 4 ] ]
        }
        """;

    private static JsonPath Parse(string text)
    {
        Assert.True(JsonPath.TryParse(text, out var path, out var problem), problem);
        Assert.Null(problem);
        return path!;
    }

    private static string ParseProblem(string text)
    {
        Assert.False(JsonPath.TryParse(text, out var path, out var problem), $"'{text}' parsed");
        Assert.Null(path);
        return problem!;
    }

    private static JsonElement? Evaluate(string path, string json = Answer)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(path).TryEvaluate(document.RootElement, out var value) ? value.Clone() : null;
    }

    [Theory]
    [InlineData("data", new[] { "data" })]
    [InlineData("meta.total", new[] { "meta", "total" })]
    [InlineData("$.meta.total", new[] { "meta", "total" })]
    [InlineData("customer.address.city", new[] { "customer", "address", "city" })]
    [InlineData("$['odd key'].value", new[] { "odd key", "value" })]
    [InlineData("['odd key']", new[] { "odd key" })]
    [InlineData("[\"odd key\"][\"a.b\"]", new[] { "odd key", "a.b" })]
    [InlineData(@"['it\'s']", new[] { "it's" })]
    [InlineData(@"['back\\slash']", new[] { @"back\slash" })]
    [InlineData("[\"say \\\"hi\\\"\"]", new[] { "say \"hi\"" })]
    [InlineData("['']", new[] { "" })]
    [InlineData("$['@odata.nextLink']", new[] { "@odata.nextLink" })]
    [InlineData("created_at", new[] { "created_at" })]
    [InlineData("x-total-count", new[] { "x-total-count" })]
    [InlineData("données.montant", new[] { "données", "montant" })]
    [InlineData("$", new string[0])]
    public void A_member_chain_parses_to_its_names(string text, string[] members)
    {
        var path = Parse(text);

        Assert.Equal(text, path.Text);
        Assert.Equal(text, path.ToString());
        Assert.True(path.IsMemberChain);
        Assert.Equal(members, path.Members);
        Assert.Equal(members.Length == 0, path.IsRoot);
    }

    [Theory]
    [InlineData("items[0]")]
    [InlineData("items[0].id")]
    [InlineData("$[0]")]
    [InlineData("[12]")]
    [InlineData("matrix[1][0]")]
    [InlineData("$.data[1]['odd key']")]
    public void A_path_with_an_index_parses_and_is_not_a_member_chain(string text)
    {
        var path = Parse(text);

        Assert.False(path.IsRoot);
        Assert.False(path.IsMemberChain);
        Assert.Throws<InvalidOperationException>(() => path.Members);
    }

    [Theory]
    [InlineData("data]", "unexpected ']' at character 5 of 'data]'")]
    [InlineData("meta.", "empty member name at character 6 of 'meta.'")]
    [InlineData(".data", "empty member name at character 1 of '.data'")]
    [InlineData("meta..total", "'..' (recursive descent) at character 5 of 'meta..total': it is not supported: a definition names one value per field")]
    [InlineData("$..id", "'..' (recursive descent) at character 2 of '$..id': it is not supported: a definition names one value per field")]
    [InlineData("data[*].id", "'*' (a wildcard) at character 6 of 'data[*].id': it is not supported: a definition names one value per field")]
    [InlineData("data.*", "'*' (a wildcard) at character 6 of 'data.*': it is not supported: a definition names one value per field")]
    [InlineData("data[?(@.paid)]", "'[?' (a filter) at character 5 of 'data[?(@.paid)]': it is not supported: a definition names one value per field")]
    [InlineData("data[-1]", "a negative index at character 6 of 'data[-1]': it is not supported: count from the start, [0] is the first value")]
    [InlineData("data[0:2]", "a slice at character 5 of 'data[0:2]': it is not supported: a definition names one value per field")]
    [InlineData("data[:2]", "a slice at character 5 of 'data[:2]': it is not supported: a definition names one value per field")]
    [InlineData("data[0,1]", "',' (a union) at character 7 of 'data[0,1]': it is not supported: a definition names one value per field")]
    [InlineData("data[]", "empty brackets '[]' at character 5 of 'data[]': write an index such as [0] or a name such as ['id']")]
    [InlineData("data[0", "'[' not closed at character 5 of 'data[0'")]
    [InlineData("data[", "'[' not closed at character 5 of 'data['")]
    [InlineData("['odd key'", "'[' not closed at character 1 of '['odd key''")]
    [InlineData("['odd key]", "a name quoted with ' not closed at character 2 of '['odd key]'")]
    [InlineData(@"['a\b']", @"'\' at character 4 of '['a\b']': in a quoted name it escapes only ' and \")]
    [InlineData("first name", "a space in a member name at character 6 of 'first name': write such a name in brackets: ['first name']")]
    [InlineData("$data", "expected '.' or '[' after '$' at character 2 of '$data'")]
    [InlineData("data[x]", "unexpected 'x' at character 6 of 'data[x]'")]
    [InlineData("data[99999999999]", "an index too large at character 6 of 'data[99999999999]'")]
    [InlineData("data'x'", "unexpected ''' at character 5 of 'data'x''")]
    [InlineData("", "the JSON path is empty: write a member name such as 'data', or '$' for the whole value")]
    public void A_path_outside_the_subset_is_a_problem_that_says_what_and_where(string text, string problem)
    {
        Assert.Equal(problem, ParseProblem(text));
    }

    [Fact]
    public void Null_is_an_empty_path()
    {
        Assert.False(JsonPath.TryParse(null!, out var path, out var problem));
        Assert.Null(path);
        Assert.StartsWith("the JSON path is empty", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data[0].id", "\"inv_1\"")]
    [InlineData("$.data[1].id", "\"inv_2\"")]
    [InlineData("data[0].total", "1250")]
    [InlineData("data[1].total", "12.5")]
    [InlineData("data[0].customer.address.city", "\"Oslo\"")]
    [InlineData("data[0].lines[1].title", "\"Support\"")]
    [InlineData("data[0].paid", "true")]
    [InlineData("data[0].note", "null")]
    [InlineData("data[1].customer", "null")]
    [InlineData("data[1].lines", "[]")]
    [InlineData("meta.total", "2")]
    [InlineData("['odd key']['it\\'s']", "\"quoted\"")]
    [InlineData("['odd key'][\"a.b\"]", "\"dotted\"")]
    [InlineData("['odd key']['']", "\"empty\"")]
    [InlineData("$['@odata.nextLink']", "\"https://example.test/next\"")]
    [InlineData("Case", "\"upper\"")]
    [InlineData("case", "\"lower\"")]
    [InlineData("matrix[1][0]", "3")]
    [InlineData("matrix[0]", "[1,2]")]
    public void A_path_finds_its_value(string path, string expected)
    {
        var value = Evaluate(path);

        Assert.NotNull(value);
        Assert.Equal(expected, JsonSerializer.Serialize(value!.Value));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("meta.missing")]
    [InlineData("CASE")]
    [InlineData("data[2]")]
    [InlineData("data[0].lines[2]")]
    [InlineData("data.id")] // a member on an array
    [InlineData("meta[0]")] // an index on an object
    [InlineData("data[0].id.length")] // a member on a string
    [InlineData("data[0].total[0]")] // an index on a number
    [InlineData("data[0].paid.value")] // a member on a boolean
    [InlineData("data[0].note.x")] // a member on null
    [InlineData("data[1].customer.name")] // a member on a null met halfway
    [InlineData("['odd key'].a.b")] // a dotted name is two members
    public void A_path_that_does_not_reach_a_value_is_false(string path)
    {
        Assert.Null(Evaluate(path));
    }

    [Fact]
    public void The_root_path_is_the_value_itself_whatever_its_kind()
    {
        Assert.Equal("[1,2]", JsonSerializer.Serialize(Evaluate("$", "[1, 2]")!.Value));
        Assert.Equal("\"text\"", JsonSerializer.Serialize(Evaluate("$", "\"text\"")!.Value));
        Assert.Equal("7", JsonSerializer.Serialize(Evaluate("$", "7")!.Value));
        Assert.Equal(JsonValueKind.Null, Evaluate("$", "null")!.Value.ValueKind);
        Assert.Equal("1", JsonSerializer.Serialize(Evaluate("$[0]", "[1, 2]")!.Value));
        Assert.Null(Evaluate("$[0]", "{}"));
        Assert.Null(Evaluate("id", "\"text\""));
    }

    [Fact]
    public void One_parsed_path_evaluates_many_documents()
    {
        var path = Parse("customer.id");
        var found = new List<string?>();
        foreach (var json in new[] { """{"customer":{"id":"c1"}}""", """{"customer":{"id":"c2"}}""", """{"customer":{}}""", """{"customer":"c4"}""" })
        {
            using var document = JsonDocument.Parse(json);
            found.Add(path.TryEvaluate(document.RootElement, out var value) ? value.GetString() : null);
        }

        Assert.Equal(new[] { "c1", "c2", null, null }, found);
    }

    [Fact]
    public void Evaluating_a_parsed_path_allocates_nothing()
    {
        using var document = JsonDocument.Parse(Answer);
        var paths = new[] { "data[0].customer.address.city", "$['odd key']['a.b']", "data[1].missing", "matrix[1][1]" }.Select(Parse).ToList();
        var root = document.RootElement;
        int Evaluate()
        {
            var found = 0;
            for (var i = 0; i < 1000; i++)
            {
                for (var p = 0; p < paths.Count; p++)
                {
                    found += paths[p].TryEvaluate(root, out _) ? 1 : 0;
                }
            }

            return found;
        }

        // Warmed up twice first: tiering the loop up (on-stack replacement) can allocate a little once, on this thread.
        _ = Evaluate();
        _ = Evaluate();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = Evaluate();

        // Less than one byte per evaluation: nothing is allocated per path or per step (a string per step would be 100 KB).
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 3999);
        Assert.Equal(3000, found);
    }

    private static DefinitionNode ReadJson(string json, bool byteOrderMark = false)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (byteOrderMark)
        {
            bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray();
        }

        return DefinitionJson.Read(bytes, "acme.json");
    }

    private static InvoiceDefinitionException ReadJsonFails(string json) =>
        Assert.Throws<InvoiceDefinitionException>(() => ReadJson(json));

    /// <summary>Every node of the tree, depth first, as "path|kind|line|value".</summary>
    private static List<string> Flatten(DefinitionNode node)
    {
        var lines = new List<string>();
        void Walk(DefinitionNode n)
        {
            var value = n.Kind switch
            {
                DefinitionNodeKind.Text => n.Text,
                DefinitionNodeKind.Number => n.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                DefinitionNodeKind.Boolean => n.Boolean == true ? "true" : "false",
                DefinitionNodeKind.Map => string.Join(",", n.Entries.Select(e => e.Key)),
                DefinitionNodeKind.List => n.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            };
            lines.Add($"{n.Path}|{n.Kind}|{n.Line}|{value}");
            foreach (var child in n.Entries.Select(e => e.Value).Concat(n.Items))
            {
                Walk(child);
            }
        }

        Walk(node);
        return lines;
    }

    [Fact]
    public void A_JSON_definition_reads_into_the_tree_with_the_line_and_path_of_every_value()
    {
        var root = ReadJson("""
            {
              "Name": "Acme",
              "Paging": {
                "Type": "Page",
                "MaxPageSize": 100,
                "FirstPage": 0
              },
              "Headers": { "Acme-Version": "2024-01" },
              "Statuses": [
                { "Word": "paid", "Status": "Paid" },
                {
                  "Word": "open",
                  "Status": "Open"
                }
              ],
              "OverdueAfterDueDate": true,
              "Strict": false,
              "Item": null,
              "Rate": -12.75,
              "Big": 12345678901234567890,
              "Empty": {},
              "None": []
            }
            """);

        Assert.Equal(new[]
        {
            "|Map|1|Name,Paging,Headers,Statuses,OverdueAfterDueDate,Strict,Item,Rate,Big,Empty,None",
            "Name|Text|2|Acme",
            "Paging|Map|3|Type,MaxPageSize,FirstPage",
            "Paging.Type|Text|4|Page",
            "Paging.MaxPageSize|Number|5|100",
            "Paging.FirstPage|Number|6|0",
            "Headers|Map|8|Acme-Version",
            "Headers['Acme-Version']|Text|8|2024-01",
            "Statuses|List|9|2",
            "Statuses[0]|Map|10|Word,Status",
            "Statuses[0].Word|Text|10|paid",
            "Statuses[0].Status|Text|10|Paid",
            "Statuses[1]|Map|11|Word,Status",
            "Statuses[1].Word|Text|12|open",
            "Statuses[1].Status|Text|13|Open",
            "OverdueAfterDueDate|Boolean|16|true",
            "Strict|Boolean|17|false",
            "Item|Null|18|",
            "Rate|Number|19|-12.75",
            "Big|Number|20|12345678901234567890",
            "Empty|Map|21|",
            "None|List|22|0",
        }, Flatten(root));
        Assert.Equal("Acme", root["name"]!.Text);
    }

    [Fact]
    public void A_byte_order_mark_comments_trailing_commas_and_CRLF_are_accepted()
    {
        var json = "{\r\n  // the provider\r\n  \"Name\": \"Acme\", /* a block\r\n comment */\r\n  \"List\": { \"Items\": [ \"a\", \"b\", ], },\r\n}\r\n";
        var root = ReadJson(json, byteOrderMark: true);

        Assert.Equal(new[]
        {
            "|Map|1|Name,List",
            "Name|Text|3|Acme",
            "List|Map|5|Items",
            "List.Items|List|5|2",
            "List.Items[0]|Text|5|a",
            "List.Items[1]|Text|5|b",
        }, Flatten(root));
    }

    [Fact]
    public void A_syntax_error_is_one_problem_with_its_line_and_a_readable_message()
    {
        var e = ReadJsonFails("{\n  \"Name\": \"Acme\",\n  \"Paging\": { \"Type\" \"Page\" }\n}\n");

        var problem = Assert.Single(e.Problems);
        Assert.Equal("acme.json", e.File);
        Assert.Equal("acme.json", problem.File);
        Assert.Equal(3, problem.Line);
        Assert.Equal("", problem.Key);
        Assert.StartsWith("the file is not valid JSON: ", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("(column 22)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("acme.json:3: the file is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n\"Name\": \"Acme\"\n", 3)] // not closed
    [InlineData("{ \"Name\": 'Acme' }", 1)] // single quotes
    [InlineData("{ \"Name\": \"Acme\" }\n{ }", 2)] // two values
    [InlineData("{\n\n \"Name\": Acme }", 3)] // a bare word
    [InlineData("{ \"Name\": \"A\", \"Items\": [1 2] }", 1)]
    [InlineData("xyz", 1)] // no JSON at all
    [InlineData("  \n /* a comment */ x", 2)]
    [InlineData("/* not closed", 1)]
    public void Each_kind_of_syntax_error_names_its_line(string json, int line)
    {
        var problem = Assert.Single(ReadJsonFails(json).Problems);

        Assert.Equal(line, problem.Line);
        Assert.StartsWith("the file is not valid JSON: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_counts_characters_not_bytes()
    {
        var problem = Assert.Single(ReadJsonFails("{ \"Näme\": \"Ääää\" \"x\" }").Problems);

        Assert.EndsWith("(column 18)", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n // only a comment\n")]
    [InlineData("/* a comment */\r\n\t// and another")]
    public void An_empty_file_is_a_problem(string json)
    {
        var problem = Assert.Single(ReadJsonFails(json).Problems);

        Assert.Null(problem.Line);
        Assert.Equal("the file is empty: a definition is one JSON object { ... }", problem.Message);
    }

    [Theory]
    [InlineData("[ { \"Name\": \"Acme\" } ]", "an array")]
    [InlineData("\"Acme\"", "a string")]
    [InlineData("\n42", "a number")]
    [InlineData("true", "a boolean")]
    [InlineData("null", "null")]
    public void A_root_that_is_not_an_object_is_a_problem(string json, string found)
    {
        var problem = Assert.Single(ReadJsonFails(json).Problems);

        Assert.Equal($"a definition is one JSON object {{ ... }}: found {found}", problem.Message);
        Assert.Equal(json.StartsWith('\n') ? 2 : 1, problem.Line);
    }

    [Fact]
    public void Duplicate_keys_without_case_and_large_numbers_are_all_reported_at_once()
    {
        var e = ReadJsonFails("""
            {
              "Name": "Acme",
              "Paging": {
                "Type": "Page",
                "type": "Offset",
                "MaxPageSize": 1e40
              },
              "NAME": "Other",
              "Headers": { "X-Id": "1", "x-id": "2" }
            }
            """);

        Assert.Equal(new[]
        {
            "acme.json:5: Paging.type: the key 'type' appears twice in one object (first on line 4; keys are case-insensitive): keep one",
            "acme.json:6: Paging.MaxPageSize: the number 1e40 is too large: a definition's numbers have at most 28 digits",
            "acme.json:8: NAME: the key 'NAME' appears twice in one object (first on line 2; keys are case-insensitive): keep one",
            "acme.json:9: Headers['x-id']: the key 'x-id' appears twice in one object (first on line 9; keys are case-insensitive): keep one",
        }, e.Problems.Select(p => p.ToString()));
        Assert.StartsWith("The provider definition acme.json has 4 problems:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_key_in_different_objects_is_no_duplicate()
    {
        var root = ReadJson("""{ "Id": "id", "LineItem": { "Id": "id" }, "Item": { "Path": "/x", "Object": { "Id": 1 } } }""");

        Assert.Equal("id", root["LineItem"]!["id"]!.Text);
        Assert.Equal(1m, root["item"]!["object"]!["ID"]!.Number);
    }

    [Fact]
    public void Escaped_strings_and_keys_are_read_unescaped()
    {
        var root = ReadJson("""{ "Headers": { "It\u0027s": "a\tb \"q\" \u00e9" } }""");

        var entry = Assert.Single(root["Headers"]!.Entries);
        Assert.Equal("It's", entry.Key);
        Assert.Equal("Headers['It''s']", entry.Value.Path);
        Assert.Equal("a\tb \"q\" é", entry.Value.Text);
    }

    [Theory]
    [InlineData("Paging", "Type", "Pages", "Paging.Type: 'Pages' is not one of Offset, Page, NextLink, LinkHeader, Cursor, None; did you mean Page?")]
    [InlineData("Paging", "Type", "Ofset", "Paging.Type: 'Ofset' is not one of Offset, Page, NextLink, LinkHeader, Cursor, None; did you mean Offset?")]
    [InlineData("Paging", "Type", "Scroll", "Paging.Type: 'Scroll' is not one of Offset, Page, NextLink, LinkHeader, Cursor, None.")]
    [InlineData("Authentication", "Type", "Bearr", "Authentication.Type: 'Bearr' is not one of Bearer, Header, Basic, Query, None; did you mean Bearer?")]
    [InlineData("Authentication", "Type", "OAuth2", "Authentication.Type: 'OAuth2' is not one of Bearer, Header, Basic, Query, None.")]
    public void A_word_outside_its_list_names_the_list_and_the_closest_word_in_one_sentence(string section, string key, string word, string problem)
    {
        var paging = section == "Paging" ? $"{{ \"{key}\": \"{word}\", \"MaxPageSize\": 10 }}" : "{ \"Type\": \"None\" }";
        var authentication = section == "Authentication" ? $"{{ \"{key}\": \"{word}\" }}" : "{ \"Type\": \"Bearer\" }";
        var json = $$"""
            { "Name": "Words", "BaseUri": "https://api.words.example", "Authentication": {{authentication}},
              "List": { "Path": "/invoices", "Items": "data" }, "Paging": {{paging}},
              "Invoice": { "Id": "id", "Status": "status" }, "Statuses": { "paid": "Paid" } }
            """;

        var e = Assert.Throws<InvoiceDefinitionException>(() => ProviderDefinition.Read(DefinitionJson.Read(Encoding.UTF8.GetBytes(json), "words.json"), "words.json", null));

        Assert.Equal($"words.json:{(section == "Paging" ? 2 : 1)}: {problem}", Assert.Single(e.Problems).ToString());
    }
}
