using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Issue 21: several connections read at once, written in the order of reading them one after another.</summary>
public sealed class ManyConnectionsTests
{
    private static async Task<List<string>> Alone(InvoiceProviderConnection connection, InvoiceQuery query) =>
        (await InvoiceEngine.GetInvoicesAsync(connection, query).ToListAsync()).Select(i => i.Id).ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    public async Task Every_connections_invoices_come_whole_and_in_order_one_connection_after_another(int throttleLimit)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 230, KitchenInvoiceCount = 140, OpteriusInvoiceCount = 90, XenditInvoiceCount = 120, Revolv3InvoiceCount = 75, Latency = TimeSpan.FromMilliseconds(5) });
        var connections = new[] { host.ConnectRevere(), host.ConnectKitchen(), host.ConnectOpterius(), host.ConnectXendit(), host.ConnectRevolv3() };
        var query = new InvoiceQuery { PageSize = 50 };
        var expected = new List<List<string>>();
        foreach (var connection in connections)
        {
            expected.Add(await Alone(connection, query));
        }

        var parts = connections.Select(c => new ConnectionRead(c, query)).ToList();
        var items = ManyConnections.Read(parts, throttleLimit).ToList();

        var position = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var mine = items.Skip(position).TakeWhile(item => !item.IsEnd).ToList();
            Assert.All(mine, item => Assert.Same(parts[i], item.Part));
            Assert.Equal(expected[i], mine.Select(item => item.Invoice!.Id));
            var end = items[position + mine.Count];
            Assert.True(end.IsEnd);
            Assert.Same(parts[i], end.Part);
            Assert.Null(end.Failure);
            position += mine.Count + 1;
        }

        Assert.Equal(items.Count, position);
        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }

    [Fact]
    public async Task Later_connections_are_read_while_the_first_is_written()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { KitchenInvoiceCount = 300, Latency = TimeSpan.FromMilliseconds(20) });
        var connections = Enumerable.Range(0, 4).Select(_ => host.ConnectKitchen()).ToList();
        var parts = connections.Select(c => new ConnectionRead(c, new InvoiceQuery { PageSize = 100 })).ToList();
        var requestsWhenFirstEnded = -1;

        foreach (var item in ManyConnections.Read(parts, throttleLimit: 4))
        {
            if (item.IsEnd && item.Part == parts[0])
            {
                requestsWhenFirstEnded = host.Sandbox.Requests.Count;
            }
        }

        // The first connection alone takes 3 requests; the others' first pages were already asked for.
        Assert.True(requestsWhenFirstEnded > 3, $"{requestsWhenFirstEnded} requests when the first connection ended");
        Assert.Equal(12, host.Sandbox.Requests.Count);
        connections.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_failing_connection_ends_its_own_part_with_its_error_and_the_others_complete()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { KitchenInvoiceCount = 150, RevereInvoiceCount = 150 });
        using var good = host.ConnectKitchen();
        using var revoked = host.ConnectKitchen(apiKey: "kitchen_revoked_key");
        using var other = host.ConnectRevere();
        var parts = new[] { good, revoked, other }.Select(c => new ConnectionRead(c, new InvoiceQuery { PageSize = 100 })).ToList();
        var goodAlone = await Alone(good, new InvoiceQuery { PageSize = 100 });

        var items = ManyConnections.Read(parts, throttleLimit: 3).ToList();

        var ends = items.Where(i => i.IsEnd).ToList();
        Assert.Equal(parts, ends.Select(e => e.Part));
        Assert.Null(ends[0].Failure);
        Assert.IsType<InvoiceAuthenticationException>(ends[1].Failure);
        Assert.Null(ends[2].Failure);
        Assert.Equal(goodAlone, items.Where(i => i.Part == parts[0] && !i.IsEnd).Select(i => i.Invoice!.Id));
        Assert.Equal(150, items.Count(i => i.Part == parts[2] && !i.IsEnd));
        Assert.DoesNotContain(items, i => i.Part == parts[1] && !i.IsEnd);
    }

    [Fact]
    public async Task Stopping_early_cancels_every_read_in_flight()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 2000, Latency = TimeSpan.FromMilliseconds(30) });
        var connections = Enumerable.Range(0, 6).Select(_ => host.ConnectRevere()).ToList();
        var parts = connections.Select(c => new ConnectionRead(c, new InvoiceQuery { PageSize = 100 })).ToList();

        var taken = ManyConnections.Read(parts, throttleLimit: 4).Take(5).ToList();

        // A request already on the wire when the reads stop may still reach the server a moment later; what must not
        // happen is a request started after that, so count once the server has gone quiet, then wait for more.
        var afterStop = await QuietCountAsync(host.Sandbox);
        await Task.Delay(200);

        Assert.Equal(5, taken.Count);
        Assert.Equal(0, host.Sandbox.InFlight);
        Assert.Equal(afterStop, host.Sandbox.Requests.Count);
        connections.ForEach(c => c.Dispose());
    }

    /// <summary>The number of requests the sandbox has seen once none is in flight and none arrived for 100 ms (at most 2 s).</summary>
    private static async Task<int> QuietCountAsync(InvoiceSandbox sandbox)
    {
        var deadline = DateTime.UtcNow.AddSeconds(2);
        var count = sandbox.Requests.Count;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            var now = sandbox.Requests.Count;
            if (now == count && sandbox.InFlight == 0)
            {
                break;
            }

            count = now;
        }

        return sandbox.Requests.Count;
    }

    [Fact]
    public async Task Each_connection_reports_to_its_own_observer_on_the_enumerating_thread()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250, XenditInvoiceCount = 120 });
        using var revere = host.ConnectRevere();
        using var xendit = host.ConnectXendit();
        var observers = new[] { new RecordingObserver(), new RecordingObserver() };
        var parts = new[] { new ConnectionRead(revere, new InvoiceQuery { PageSize = 100 }, observers[0]), new ConnectionRead(xendit, new InvoiceQuery { PageSize = 100 }, observers[1]) };

        var count = await Task.Run(() => (Thread: Environment.CurrentManagedThreadId, Items: ManyConnections.Read(parts).Count()));

        Assert.Equal(250 + 120 + 2, count.Items);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(new[] { count.Thread }, observers[i].Threads);
            Assert.StartsWith($"{parts[i].Connection.Implementation.Descriptor.DisplayName} via connection '{parts[i].Connection.Name}'", observers[i].Verbose[0], StringComparison.Ordinal);
            Assert.DoesNotContain(observers[i].Verbose, v => v.Contains(parts[1 - i].Connection.Name, StringComparison.Ordinal));
            Assert.NotEmpty(observers[i].Pages);
        }
    }

    [Fact]
    public void A_query_a_connection_cannot_run_fails_before_any_request()
    {
        using var kitchen = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true });
        using var revere = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        var parts = new[] { new ConnectionRead(kitchen, InvoiceQuery.All), new ConnectionRead(revere, new InvoiceQuery { State = KitchenState.All }) };

        var error = Assert.Throws<InvoiceConfigurationException>(() => ManyConnections.Read(parts));

        Assert.Equal("State", error.ParameterName);
        Assert.Empty(kitchen.Emulator().Requests);
    }
}
