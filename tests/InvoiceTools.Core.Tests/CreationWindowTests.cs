using System;
using System.Linq;
using System.Threading.Tasks;
using InvoiceTools.Engine;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Issue 21: a cursor provider with a known creation range is read as windows at once, newest first.</summary>
public sealed class CreationWindowTests
{
    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Windows_return_exactly_what_one_cursor_returns_in_the_same_order()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 750, Latency = TimeSpan.FromMilliseconds(2) });
        using var single = host.ConnectXendit(paging: PagingOptions.Sequential);
        var expected = InvoiceEngine.GetInvoices(single, new InvoiceQuery { PageSize = 50, CreatedAfter = Start }).Select(i => i.Id).ToList();
        host.Sandbox.ClearRequests();
        using var windowed = host.ConnectXendit();
        var observer = new RecordingObserver();

        var ids = InvoiceEngine.GetInvoices(windowed, new InvoiceQuery { PageSize = 50, CreatedAfter = Start }, observer).Select(i => i.Id).ToList();

        Assert.Equal(750, expected.Count);
        Assert.Equal(expected, ids);
        var ranges = host.Sandbox.Requests.Select(r => r.QueryValue("created_after") + ".." + r.QueryValue("created_before")).Distinct().ToList();
        Assert.Equal(4, ranges.Count);
        Assert.Contains(observer.Verbose, v => v.Contains("read as 4 creation-time windows at once", StringComparison.Ordinal));
        Assert.All(Enumerable.Range(1, 4), k => Assert.Contains(observer.Verbose, v => v.StartsWith($"Window {k} of 4: GET ", StringComparison.Ordinal)));

        // Progress adds up over the windows: pages 1, 2, 3, ... and invoices so far only ever grow, to all of them.
        Assert.Equal(Enumerable.Range(1, observer.Pages.Count), observer.Pages.Select(p => p.PageNumber));
        Assert.True(observer.Pages.Zip(observer.Pages.Skip(1)).All(p => p.First.InvoicesSoFar <= p.Second.InvoicesSoFar));
        Assert.Equal(750, observer.Pages[^1].InvoicesSoFar);
    }

    [Theory]
    [InlineData(null, 0L, 1)]
    [InlineData(10L, 0L, 1)]
    [InlineData(null, 5L, 1)]
    public async Task First_or_Skip_or_no_range_keeps_one_cursor(long? first, long skip, int ranges)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 300 });
        using var connection = host.ConnectXendit();
        var query = new InvoiceQuery { PageSize = 50, First = first, Skip = skip, CreatedAfter = first is null && skip == 0 ? null : Start };

        _ = InvoiceEngine.GetInvoices(connection, query).ToList();

        Assert.Equal(ranges, host.Sandbox.Requests.Select(r => r.QueryValue("created_after") + ".." + r.QueryValue("created_before")).Distinct().Count());
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(2, 2)]
    [InlineData(16, 4)]
    public void The_windows_cover_the_range_newest_first_and_overlap_by_a_millisecond(int pageConcurrency, int windows)
    {
        using var connection = Connections.InvoiceConnectionFactory.Connect(new Requests.ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Sandbox = true, Paging = new PagingOptions { PageConcurrency = pageConcurrency } });
        var before = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var plan = InvoiceEngine.Plan(connection, new InvoiceQuery { CreatedAfter = Start, CreatedBefore = before });

        var list = InvoiceEngine.CreationWindows(connection, plan)!;

        Assert.Equal(windows, list.Count);
        Assert.Equal(before, list[0].CreatedBefore);
        Assert.Equal(Start, list[^1].CreatedAfter);
        for (var i = 0; i < list.Count - 1; i++)
        {
            Assert.True(list[i].CreatedBefore > list[i + 1].CreatedBefore);
            Assert.Equal(list[i + 1].CreatedBefore!.Value, list[i].CreatedAfter!.Value + TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public void Only_a_provider_that_filters_by_creation_time_with_a_cursor_is_split()
    {
        using var kitchen = Connections.InvoiceConnectionFactory.Connect(new Requests.ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true });
        using var sequential = Connections.InvoiceConnectionFactory.Connect(new Requests.ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Sandbox = true, Paging = PagingOptions.Sequential });
        var query = new InvoiceQuery { CreatedAfter = Start };

        Assert.Null(InvoiceEngine.CreationWindows(kitchen, InvoiceEngine.Plan(kitchen, query)));
        Assert.Null(InvoiceEngine.CreationWindows(sequential, InvoiceEngine.Plan(sequential, query)));
    }
}
