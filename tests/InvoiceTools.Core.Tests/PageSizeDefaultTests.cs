using System;
using System.Linq;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// Issue 21: without -PageSize a connection asks for the largest page its provider accepts, so a run takes as few
/// round trips as it can; Connect-InvoiceProvider -PageSize sets another default, Get-Invoice -PageSize wins for a run.
/// </summary>
public sealed class PageSizeDefaultTests
{
    [Theory]
    [InlineData(InvoiceProviderKind.Revere, 1000)]
    [InlineData(InvoiceProviderKind.Revolv3, 100)]
    [InlineData(InvoiceProviderKind.Opterius, 100)]
    [InlineData(InvoiceProviderKind.Kitchen, 100)]
    [InlineData(InvoiceProviderKind.Xendit, 100)]
    public void The_default_page_is_the_largest_the_provider_accepts_and_says_where_that_comes_from(InvoiceProviderKind kind, int largest)
    {
        var descriptor = ProviderCatalog.Descriptors.Single(d => d.Kind == kind);
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = kind, Sandbox = true });

        Assert.Equal(largest, descriptor.MaxPageSize);
        Assert.Equal(largest, descriptor.DefaultPageSize);
        Assert.Equal(largest, connection.PageSize);
        Assert.Equal(largest, InvoiceEngine.Plan(connection, InvoiceQuery.All).PageSize);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.PageSizeSource));
    }

    [Fact]
    public async Task Revere_reads_1200_invoices_in_two_requests_by_default()
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Revere,
            BaseUri = host.Server.ApiBase(RevereApi.ApiName).AbsoluteUri,
            GroupId = RevereApi.GroupId.ToString(),
            ApiKey = LoopbackSandbox.Secure(RevereApi.ApiKey),
        });

        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All).ToListAsync();

        Assert.Equal(1200, invoices.Count);
        Assert.Equal(new[] { "limit=1000&offset=0", "limit=1000&offset=1000" }, host.Queries.OrderBy(q => q, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(250, null, null, "limit=250&offset=0")]
    [InlineData(250, 40, null, "limit=40&offset=0")]
    [InlineData(null, null, 150L, "limit=150&offset=0")]
    [InlineData(250, null, 10L, "limit=10&offset=0")]
    [InlineData(null, 300, 10L, "limit=300&offset=0")]
    public async Task The_connections_page_size_is_the_default_and_a_runs_page_size_wins(int? connectPageSize, int? queryPageSize, long? first, string firstQuery)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = host.ConnectRevere(paging: PagingOptions.Sequential with { PageSize = connectPageSize ?? 1000 });

        _ = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { PageSize = queryPageSize, First = first }).ToListAsync();

        Assert.Equal(firstQuery, host.Queries[0]);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Kitchen, 101)]
    [InlineData(InvoiceProviderKind.Xendit, 500)]
    [InlineData(InvoiceProviderKind.Revere, 1001)]
    [InlineData(InvoiceProviderKind.Opterius, 0)]
    public void A_connection_page_size_the_provider_cannot_serve_is_refused_at_connect(InvoiceProviderKind kind, int pageSize)
    {
        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = kind, Sandbox = true, Paging = new PagingOptions { PageSize = pageSize } }));

        Assert.Equal("PageSize", error.ParameterName);
        Assert.Contains("accepts a page size from 1 to", error.Message, StringComparison.Ordinal);
        Assert.Contains("leave it out for the largest", error.RecommendedAction, StringComparison.Ordinal);
    }
}
