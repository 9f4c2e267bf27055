using System;
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
        using var defined = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = "OpteriusAsDefinition",
            BaseUri = host.Server.ApiBase(OpteriusApi.ApiName).AbsoluteUri,
            ApiKey = LoopbackSandbox.Secure(OpteriusApi.Token),
            Retry = new RetryOptions { AttemptTimeout = Timeout.InfiniteTimeSpan },
            TimeProvider = host.Clock,
            Paging = PagingOptions.Sequential,
        });

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
        using var defined = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Defined,
            ProviderName = "OpteriusAsDefinition",
            BaseUri = host.Server.ApiBase(OpteriusApi.ApiName).AbsoluteUri,
            ApiKey = LoopbackSandbox.Secure(OpteriusApi.Token),
            Paging = new PagingOptions { Prefetch = 3, PageConcurrency = 4 },
        });

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

    private sealed class Unregistering : IDisposable
    {
        private readonly string _name;

        public Unregistering(string name) => _name = name;

        public void Dispose() => ProviderCatalog.Unregister(_name);
    }
}
