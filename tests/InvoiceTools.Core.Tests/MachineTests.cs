using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using InvoiceTools.Engine;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Tests that change the process's time zone run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MachineZoneTests
{
    public const string Name = "Machine time zone";
}

/// <summary>
/// Issue 19, items 1 and 2: the same answer is read the same way, and the same query is sent the same way, on a
/// machine in any time zone and any culture. The zone is the process's own (TZ, then TimeZoneInfo.ClearCachedData),
/// so these tests exercise exactly what a Jakarta or New York machine does.
/// </summary>
[Collection(MachineZoneTests.Name)]
public sealed class MachineTests
{
    public static IEnumerable<object[]> Zones() => new[]
    {
        new object[] { "Asia/Jakarta", 7.0 },
        new object[] { "America/New_York", -5.0 },
        new object[] { "UTC", 0.0 },
        new object[] { "Pacific/Chatham", 12.75 },
    };

    public static IEnumerable<object[]> Cultures() => new[] { "th-TH", "fa-IR", "ar-SA", "de-DE", "tr-TR", "ja-JP" }.Select(c => new object[] { c });

    /// <summary>Per provider: the invoice's date fields, with a value without an offset, and the instant it means.</summary>
    private static readonly (InvoiceProviderKind Provider, string Field, string Value, Func<Invoice, DateTimeOffset?> Read, DateTimeOffset Expected)[] Unzoned =
    {
        (InvoiceProviderKind.Revere, "created_at", "2024-12-16T09:30:00.123", i => i.CreatedAt, new DateTimeOffset(2024, 12, 16, 9, 30, 0, 123, TimeSpan.Zero)),
        (InvoiceProviderKind.Revere, "due_date", "2026-11-12", i => i.DueDate, new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero)),
        (InvoiceProviderKind.Revolv3, "created_at", "2024-12-16 09:30:00", i => i.CreatedAt, new DateTimeOffset(2024, 12, 16, 9, 30, 0, TimeSpan.Zero)),
        (InvoiceProviderKind.Revolv3, "due_date", "2026-11-12", i => i.DueDate, new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero)),
        (InvoiceProviderKind.Opterius, "due_date", "2026-11-12", i => i.DueDate, new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero)),
        (InvoiceProviderKind.Opterius, "created_at", "2024-12-16T09:30:00", i => i.CreatedAt, new DateTimeOffset(2024, 12, 16, 9, 30, 0, TimeSpan.Zero)),
        (InvoiceProviderKind.Kitchen, "due_date", "2026-11-12", i => i.DueDate, new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero)),
        (InvoiceProviderKind.Kitchen, "created_at", "2024-12-16 09:30:00", i => i.CreatedAt, new DateTimeOffset(2024, 12, 16, 9, 30, 0, TimeSpan.Zero)),
        (InvoiceProviderKind.Xendit, "created", "2024-12-16T09:30:00.123", i => i.CreatedAt, new DateTimeOffset(2024, 12, 16, 9, 30, 0, 123, TimeSpan.Zero)),
        (InvoiceProviderKind.Xendit, "expiry_date", "2026-11-12", i => i.ExpiresAt, new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.Zero)),
        (InvoiceProviderKind.Xendit, "updated", "2026-11-12T10:00:00+07:00", i => i.UpdatedAt, new DateTimeOffset(2026, 11, 12, 3, 0, 0, TimeSpan.Zero)),
    };

    [Theory]
    [MemberData(nameof(Zones))]
    public async Task Dates_without_an_offset_are_utc_whatever_the_machines_zone(string zone, double hours)
    {
        using var machine = MachineZone.Set(zone);
        Assert.Equal(TimeSpan.FromHours(hours), TimeZoneInfo.Local.BaseUtcOffset);
        foreach (var provider in Unzoned.GroupBy(u => u.Provider))
        {
            await using var host = await LoopbackSandbox.StartAsync();
            host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.Rewrite(context.Normal(), page =>
            {
                var invoice = SandboxPages.Items(provider.Key, page)[0]!;
                foreach (var field in provider)
                {
                    invoice[field.Field] = field.Value;
                }

                return page;
            })));
            using var connection = host.Connect(provider.Key);

            var invoice = (await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 5, First = 1 }).ToListAsync())[0];

            foreach (var field in provider)
            {
                var read = field.Read(invoice);
                Assert.True(read == field.Expected && read.Value.Offset == TimeSpan.Zero, $"{provider.Key} {field.Field} '{field.Value}' in {zone}: read {read:o}, expected {field.Expected:o}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public async Task The_sandboxs_opterius_due_dates_are_their_calendar_day_in_every_zone(string zone, double hours)
    {
        using var machine = MachineZone.Set(zone);
        Assert.Equal(TimeSpan.FromHours(hours), TimeZoneInfo.Local.BaseUtcOffset);
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectOpterius();
        var served = new List<string?>();
        host.Sandbox.InjectFault(SandboxFault.From(context =>
        {
            var normal = context.Normal();
            served.AddRange(JsonNode.Parse(normal.Body)!["data"]!.AsArray().Select(i => (string?)i!["due_date"]));
            return normal;
        }));

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = 20, First = 20 }).ToListAsync();

        Assert.Equal(20, invoices.Count);
        Assert.All(served, d => Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", d));
        Assert.Equal(served, invoices.Select(i => i.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.All(invoices, i => Assert.Equal(TimeSpan.Zero, i.DueDate!.Value.TimeOfDay));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public async Task Every_provider_sends_the_same_queries_and_reads_the_same_invoices_in_any_culture(string culture)
    {
        var expected = await QueriesAndInvoices(CultureInfo.InvariantCulture);
        var actual = await QueriesAndInvoices(CultureInfo.GetCultureInfo(culture));

        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var provider in expected.Keys)
        {
            Assert.Equal(expected[provider].Queries, actual[provider].Queries);
            Assert.Equal(expected[provider].Invoices, actual[provider].Invoices);
        }

        // The dates really are there, and Gregorian: 2025, not 1482 (th-TH) or 1403 (fa-IR).
        Assert.All(actual[InvoiceProviderKind.Xendit].Queries, q => Assert.StartsWith("created_after=2025-03-01T00:00:00.000Z&created_before=2026-10-15T12:30:00.000Z", q, StringComparison.Ordinal));
        Assert.All(actual[InvoiceProviderKind.Revere].Queries, q => Assert.StartsWith("start=2025-03-01T00:00:00Z&end=2026-10-15T12:30:00Z", q, StringComparison.Ordinal));
    }

    private static async Task<Dictionary<InvoiceProviderKind, (List<string> Queries, List<string> Invoices)>> QueriesAndInvoices(CultureInfo culture)
    {
        var (savedCulture, savedUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            var result = new Dictionary<InvoiceProviderKind, (List<string>, List<string>)>();
            foreach (var provider in ProviderKinds.BuiltIn)
            {
                await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Clock = () => new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) });
                using var connection = host.Connect(provider);
                var query = new InvoiceQuery
                {
                    PageSize = 25,
                    CreatedAfter = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero),
                    CreatedBefore = new DateTimeOffset(2026, 10, 15, 12, 30, 0, TimeSpan.Zero),
                };
                var invoices = await InvoiceEngine.GetInvoicesAsync(connection, query).ToListAsync();
                result[provider] = (
                    host.Queries.OrderBy(q => q, StringComparer.Ordinal).ToList(), // pages read in parallel arrive in any order
                    invoices.Select(i => string.Join("|", i.Id, i.Total?.ToString(CultureInfo.InvariantCulture), i.CreatedAt?.ToString("o", CultureInfo.InvariantCulture), i.DueDate?.ToString("o", CultureInfo.InvariantCulture), i.Status)).ToList());
            }

            return result;
        }
        finally
        {
            CultureInfo.CurrentCulture = savedCulture;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    /// <summary>Sets the process's time zone for a test, and restores it.</summary>
    private sealed class MachineZone : IDisposable
    {
        private readonly string? _saved;

        private MachineZone(string zone)
        {
            _saved = Environment.GetEnvironmentVariable("TZ");
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
        }

        public static MachineZone Set(string zone) => new(zone);

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("TZ", _saved);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
