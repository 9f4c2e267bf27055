using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using InvoiceTools.Engine;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// Issue 19, item 3: a field of an unexpected JSON type never costs the page. Every mapped field of every provider
/// (found from the DTOs by reflection, so a new field is covered without editing this file) gets every kind of wrong
/// value on the first invoice of a real emulator page, read through the whole engine over loopback.
/// </summary>
public sealed class LenientFieldTests
{
    public enum Wrong
    {
        Number,
        NumericString,
        Text,
        Boolean,
        JsonObject,
        Array,
        Null,
    }

    private enum Expect
    {
        Read,
        Coerced,
        Dropped,
    }

    private static readonly Dictionary<InvoiceProviderKind, (Type Dto, string IdPath)> Shapes = new()
    {
        [InvoiceProviderKind.Revere] = (typeof(RevereInvoiceDto), "id"),
        [InvoiceProviderKind.Revolv3] = (typeof(Revolv3InvoiceDto), "invoiceId"),
        [InvoiceProviderKind.Opterius] = (typeof(OpteriusInvoiceDto), "id"),
        [InvoiceProviderKind.Kitchen] = (typeof(KitchenInvoiceDto), "id"),
        [InvoiceProviderKind.Xendit] = (typeof(XenditInvoiceDto), "id"),
    };

    public static IEnumerable<object[]> Providers() => Shapes.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Every_mapped_field_of_every_wrong_type_keeps_the_page(InvoiceProviderKind provider)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var shape = Shapes[provider];
        var fields = Fields(shape.Dto, string.Empty).ToList();
        Assert.True(fields.Count >= 8, $"{provider}: only {fields.Count} fields found");
        var failures = new List<string>();
        foreach (var (path, type) in fields)
        {
            foreach (var wrong in Enum.GetValues<Wrong>())
            {
                var failure = await TryCase(host, provider, shape.IdPath, path, type, wrong);
                if (failure is not null)
                {
                    failures.Add($"{path} = {wrong}: {failure}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Kitchen, "{\"a\":1}")]
    [InlineData(InvoiceProviderKind.Kitchen, "[1]")]
    [InlineData(InvoiceProviderKind.Kitchen, "null")]
    [InlineData(InvoiceProviderKind.Kitchen, "\"  \"")]
    [InlineData(InvoiceProviderKind.Revere, "true")]
    [InlineData(InvoiceProviderKind.Xendit, "{}")]
    [InlineData(InvoiceProviderKind.Opterius, "[]")]
    public async Task An_unusable_invoice_id_stops_the_page_with_a_classified_error(InvoiceProviderKind provider, string id)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.RewriteItems(context.Normal(), provider, items => items[1]!["id"] = JsonNode.Parse(id))));
        using var connection = host.Connect(provider);

        var error = await Assert.ThrowsAsync<InvoiceResponseException>(() => InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5 }).ToListAsync());

        Assert.Contains("invoice 2 has no usable id", error.Message, StringComparison.Ordinal);
        Assert.Equal(provider, error.Provider);
    }

    [Fact]
    public async Task Kitchen_quantity_as_a_number_reads_the_page_and_a_dropped_field_is_one_warning_with_its_count()
    {
        // The reported case: items[0].quantity is 2, not "2.00"; then due_date as an object on three invoices.
        await using var host = await LoopbackSandbox.StartAsync();
        host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.RewriteItems(context.Normal(), InvoiceProviderKind.Kitchen, items =>
        {
            items[0]!["items"]![0]!["quantity"] = 2;
            foreach (var i in new[] { 0, 2, 4 })
            {
                items[i]!["due_date"] = new JsonObject { ["date"] = "2026-01-01" };
            }
        })));
        using var connection = host.ConnectKitchen();
        var observer = new RecordingObserver();

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5, First = 5 }, observer).ToListAsync();

        Assert.Equal(5, invoices.Count);
        Assert.Equal(2m, invoices[0].LineItems[0].Quantity);
        Assert.Null(invoices[0].DueDate);
        Assert.Contains("\"date\":\"2026-01-01\"", invoices[0].Raw.ToJson(), StringComparison.Ordinal);
        var warning = Assert.Single(observer.Warnings);
        Assert.Equal($"Kitchen connection '{connection.Name}': some invoices had a field of an unexpected type, which was left empty (its value is kept in the Raw property): due_date (3 invoices).", warning);
        Assert.Contains(observer.Verbose, v => v.Contains("items[].quantity (1 invoice)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Field_counts_add_up_over_the_pages_of_a_run_and_are_reported_before_a_later_failure()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        var pages = 0;
        host.Sandbox.InjectFault(
            SandboxFault.From(context =>
            {
                pages++;
                return pages < 3 ? SandboxPages.RewriteItems(context.Normal(), InvoiceProviderKind.Revere, items => items[0]!["amount"] = "lots") : new SandboxResponse(400, Encoding.UTF8.GetBytes("{\"message\":\"no\"}"));
            }),
            times: 3);
        // One page at a time, so that the three answers land on pages 1, 2 and 3.
        using var connection = host.ConnectRevere(paging: PagingOptions.Sequential);
        var observer = new RecordingObserver();
        var received = new List<Invoice>();

        await Assert.ThrowsAsync<InvoiceValidationException>(async () =>
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 10 }, observer))
            {
                received.Add(invoice);
            }
        });

        Assert.Equal(20, received.Count);
        Assert.Null(received[0].Total);
        Assert.Null(received[10].Total);
        Assert.Contains(observer.Warnings, w => w.EndsWith("amount (2 invoices).", StringComparison.Ordinal));
    }

    private static async Task<string?> TryCase(LoopbackSandbox host, InvoiceProviderKind provider, string idPath, string path, Type type, Wrong wrong)
    {
        var value = ValueOf(wrong);
        host.Sandbox.ClearFaults();
        host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.RewriteItems(context.Normal(), provider, list => Set(list[0]!.AsObject(), path, value))));
        using var connection = host.Connect(provider);
        var observer = new RecordingObserver();
        // Revolv3's dates are strings in three formats, parsed after reading: any other value is left empty (issue_date is read only without a billingDate).
        var expect = provider == InvoiceProviderKind.Revolv3 && path is "billingDate" or "due_date" && wrong != Wrong.Null ? Expect.Dropped : Expected(type, wrong);
        var idLost = path == idPath && (expect == Expect.Dropped || wrong == Wrong.Null);
        List<Invoice> invoices;
        try
        {
            invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5, First = 5 }, observer).ToListAsync();
        }
        catch (InvoiceResponseException ex) when (idLost && ex.Message.Contains("invoice 1 has no usable id", StringComparison.Ordinal))
        {
            return null;
        }
        catch (Exception ex)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }

        if (idLost && provider != InvoiceProviderKind.Revolv3)
        {
            return "the invoice without an id was returned";
        }

        if (invoices.Count != 5 || invoices.Any(i => string.IsNullOrEmpty(i.Id)))
        {
            return $"{invoices.Count} invoices, ids {string.Join(",", invoices.Select(i => i.Id))}";
        }

        var raw = invoices[0].Raw.ToJson();
        var written = value?.ToJsonString() ?? "null";
        if (!raw.Contains(written, StringComparison.Ordinal))
        {
            return $"Raw lacks {written}";
        }

        // An array of wrong elements in a list is reported as the list's elements: items[].
        var reported = path.Replace("[0]", "[]", StringComparison.Ordinal) + (wrong == Wrong.Array && IsList(type) ? "[]" : string.Empty);
        var warned = observer.Warnings.Where(w => w.Contains(reported + " (1 invoice)", StringComparison.Ordinal)).ToList();
        var noted = observer.Verbose.Where(v => v.Contains("another JSON type", StringComparison.Ordinal) && v.Contains(reported + " (1 invoice)", StringComparison.Ordinal)).ToList();
        return expect switch
        {
            Expect.Dropped when warned.Count != 1 || !warned[0].Contains(connection.Implementation.Descriptor.DisplayName, StringComparison.Ordinal) => $"expected one warning naming {reported}; warnings: {string.Join(" | ", observer.Warnings)}",
            Expect.Coerced when noted.Count != 1 || warned.Count != 0 => $"expected one verbose note naming {reported}; warnings: {string.Join(" | ", observer.Warnings)}",
            Expect.Read when observer.Warnings.Count != 0 => $"expected no warning; got {string.Join(" | ", observer.Warnings)}",
            _ => null,
        };
    }

    private static JsonNode? ValueOf(Wrong wrong) => wrong switch
    {
        Wrong.Number => JsonValue.Create(2),
        Wrong.NumericString => JsonValue.Create("12"),
        Wrong.Text => JsonValue.Create("not-a-value"),
        Wrong.Boolean => JsonValue.Create(true),
        Wrong.JsonObject => new JsonObject { ["odd"] = 1 },
        Wrong.Array => new JsonArray(1),
        _ => null,
    };

    /// <summary>What the lenient reader must do with <paramref name="wrong"/> in a field declared as <paramref name="type"/>.</summary>
    private static Expect Expected(Type type, Wrong wrong)
    {
        if (wrong == Wrong.Null)
        {
            return Expect.Read;
        }

        if (type == typeof(System.Text.Json.JsonElement))
        {
            // Opterius ids: a string or a number.
            return wrong is Wrong.Number or Wrong.NumericString or Wrong.Text ? Expect.Read : Expect.Dropped;
        }

        if (type == typeof(string))
        {
            return wrong switch { Wrong.Number => Expect.Coerced, Wrong.Boolean or Wrong.JsonObject or Wrong.Array => Expect.Dropped, _ => Expect.Read };
        }

        if (type == typeof(decimal?) || type == typeof(int?) || type == typeof(long?))
        {
            // A number written as text ("12") is how Laravel's decimal casts send amounts: read as usual, no note.
            return wrong switch { Wrong.Number or Wrong.NumericString => Expect.Read, _ => Expect.Dropped };
        }

        if (type == typeof(DateTimeOffset?))
        {
            // A whole number is Unix time; "12" is not a date.
            return wrong == Wrong.Number ? Expect.Coerced : Expect.Dropped;
        }

        if (IsList(type))
        {
            return Expect.Dropped;
        }

        // A nested record: an object is read (its unknown member ignored), anything else is dropped.
        return wrong == Wrong.JsonObject ? Expect.Read : Expect.Dropped;
    }

    private static bool IsList(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);

    /// <summary>Every JSON path the DTO maps, with the declared type; list elements as <c>items[0].quantity</c>.</summary>
    private static IEnumerable<(string Path, Type Type)> Fields(Type dto, string prefix)
    {
        foreach (var property in dto.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is not { } name)
            {
                continue;
            }

            var path = prefix + name.Name;
            var type = property.PropertyType;
            yield return (path, type);
            var nested = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : type;
            if (nested.IsClass && nested != typeof(string) && nested.Namespace == typeof(InvoiceProvider).Namespace)
            {
                var inner = nested == type ? path + "." : path + "[0].";
                foreach (var field in Fields(nested, inner))
                {
                    yield return field;
                }
            }
        }
    }

    private static void Set(JsonObject invoice, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonObject target = invoice;
        foreach (var part in parts.Take(parts.Length - 1))
        {
            if (part.EndsWith("[0]", StringComparison.Ordinal))
            {
                var name = part[..^3];
                if (target[name] is not JsonArray { Count: > 0 } list || list[0] is not JsonObject)
                {
                    target[name] = list = new JsonArray(new JsonObject());
                }

                target = list[0]!.AsObject();
            }
            else
            {
                if (target[part] is not JsonObject next)
                {
                    target[part] = next = new JsonObject();
                }

                target = next;
            }
        }

        target[parts[^1]] = value;
    }
}
