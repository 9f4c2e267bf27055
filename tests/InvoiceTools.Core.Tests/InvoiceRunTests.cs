using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Requests;
using InvoiceTools.Runs;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Issue 17: a Get-Invoice run over one or more connections, as the cmdlet drives it, over the loopback sandbox.</summary>
public sealed class InvoiceRunTests : IDisposable
{
    private static readonly InvoiceQuery TenPerPage = new() { PageSize = 10 };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "invoicetools-run-" + Guid.NewGuid().ToString("N"));

    public InvoiceRunTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SandboxOptions Thirty() => new() { RevereInvoiceCount = 30, KitchenInvoiceCount = 30, OpteriusInvoiceCount = 30, XenditInvoiceCount = 30, Revolv3InvoiceCount = 30 };

    private static List<string> Alone(InvoiceProviderConnection connection, InvoiceQuery query) =>
        InvoiceEngine.GetInvoices(connection, query).Select(i => i.Id).ToList();

    private static List<string> QueriesTo(LoopbackSandbox host, string api) =>
        host.Sandbox.Requests.Where(r => r.Path.StartsWith("/" + api + "/", StringComparison.Ordinal)).Select(r => r.QueryString).ToList();

    /// <summary>A 400 for a page-numbered API's page 2; every other page as normal.</summary>
    private static SandboxFault PageTwoRefused() => SandboxFault.From(context => context.Request.QueryValue("page") == "2"
        ? new SandboxResponse(400, Encoding.UTF8.GetBytes("{\"message\":\"bad request\"}"), "application/json")
        : context.Normal());

    private static RecordingSink Run(InvoiceRunOptions options, params InvoiceProviderConnection[] connections) => Run(options, TenPerPage, connections);

    private static RecordingSink Run(InvoiceRunOptions options, InvoiceQuery query, params InvoiceProviderConnection[] connections)
    {
        var sink = new RecordingSink();
        var run = new InvoiceRun(options, sink);
        run.Read(connections, query);
        run.End();
        return sink;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Skip_and_First_count_across_connections_and_a_connection_past_First_is_not_asked(int throttleLimit)
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        using var kitchen = host.ConnectKitchen();
        using var opterius = host.ConnectOpterius();
        var all = Alone(revere, TenPerPage).Concat(Alone(kitchen, TenPerPage)).Concat(Alone(opterius, TenPerPage)).ToList();
        host.Sandbox.ClearRequests();

        var sink = Run(new InvoiceRunOptions { Skip = 25, First = 20, ThrottleLimit = throttleLimit }, revere, kitchen, opterius);

        Assert.Equal(all.Skip(25).Take(20), sink.Invoices.Select(i => i.Id));
        Assert.Empty(sink.Errors);
        // Revere is read to its end (-Skip 25 and -First 20 may need all of it); Kitchen only for the 15 still wanted.
        // Pages after the first are read ahead at once, so they reach the server in either order.
        Assert.Equal(new[] { "limit=10&offset=0", "limit=10&offset=10", "limit=10&offset=20" }, QueriesTo(host, RevereApi.ApiName).OrderBy(q => q, StringComparer.Ordinal));
        Assert.Equal(new[] { "per_page=10", "per_page=10&page=2" }, QueriesTo(host, KitchenApi.ApiName).OrderBy(q => q, StringComparer.Ordinal));
        Assert.Empty(QueriesTo(host, OpteriusApi.ApiName));
    }

    [Fact]
    public async Task Skip_without_First_counts_across_connections_read_at_once()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        using var kitchen = host.ConnectKitchen();
        using var opterius = host.ConnectOpterius();
        var all = Alone(revere, TenPerPage).Concat(Alone(kitchen, TenPerPage)).Concat(Alone(opterius, TenPerPage)).ToList();
        host.Sandbox.ClearRequests();

        var sink = Run(new InvoiceRunOptions { Skip = 45 }, revere, kitchen, opterius);

        Assert.Equal(all.Skip(45), sink.Invoices.Select(i => i.Id));
        Assert.Equal("Reading 3 connections, up to 3 at a time (-ThrottleLimit); invoices are written one connection after another, in the order given.", sink.Verbose[0]);
        Assert.All(sink.Verbose.Skip(1), v => Assert.Matches(@"^\[(Revere|Kitchen|Opterius)[^\]]*\] ", v));
        Assert.Equal(3, QueriesTo(host, RevereApi.ApiName).Count);
        Assert.Equal(3, QueriesTo(host, KitchenApi.ApiName).Count);
        Assert.Equal(3, QueriesTo(host, OpteriusApi.ApiName).Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task A_connection_that_fails_midway_keeps_its_earlier_invoices_and_the_others_are_read(int throttleLimit)
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        using var kitchen = host.ConnectKitchen();
        using var opterius = host.ConnectOpterius();
        var revereAll = Alone(revere, TenPerPage);
        var kitchenAll = Alone(kitchen, TenPerPage);
        var opteriusAll = Alone(opterius, TenPerPage);
        host.Sandbox.ClearRequests();

        // Kitchen's page 2 is refused, whichever request asks for it first (page 3 may be read ahead).
        host.Sandbox.InjectFault(PageTwoRefused(), times: 3, api: KitchenApi.ApiName);
        var sink = Run(new InvoiceRunOptions { ThrottleLimit = throttleLimit, IncludeTotalCount = true }, revere, kitchen, opterius);

        Assert.Equal(revereAll.Concat(kitchenAll.Take(10)).Concat(opteriusAll), sink.Invoices.Select(i => i.Id));
        var error = Assert.Single(sink.Errors);
        Assert.Same(kitchen, error.Target);
        Assert.IsType<InvoiceValidationException>(error.Exception);

        // The error stands where Kitchen's invoices end, before Opterius's first.
        Assert.Equal(40, sink.Events.TakeWhile(e => !ReferenceEquals(e, error)).Count(e => e is Invoice));
        Assert.Empty(sink.Stops);
        Assert.Equal(new[] { "per_page=10", "per_page=10&page=2" }, QueriesTo(host, KitchenApi.ApiName).Where(q => !q.EndsWith("page=3", StringComparison.Ordinal)));

        // Kitchen reported its total before failing: the sum counts it, exact because every connection reported one.
        Assert.Equal((30L + kitchenAll.Count + 30, 1.0), Assert.Single(sink.Totals));
    }

    [Fact]
    public async Task A_rejected_key_over_several_connections_is_that_connections_error_and_with_one_it_stops_the_run()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revoked = host.ConnectKitchen(apiKey: "kitchen_revoked_key");
        using var revere = host.ConnectRevere();

        var several = Run(new InvoiceRunOptions { First = 100 }, revoked, revere);
        var one = Run(new InvoiceRunOptions(), revoked);

        Assert.Equal(30, several.Invoices.Count);
        Assert.IsType<InvoiceAuthenticationException>(Assert.Single(several.Errors).Exception);
        Assert.Same(revoked, several.Errors[0].Target);
        Assert.Empty(one.Errors);
        Assert.Empty(one.Invoices);
        var stop = Assert.Single(one.Stops);
        Assert.IsType<InvoiceAuthenticationException>(stop.Exception);
        Assert.Same(revoked, stop.Target);
    }

    [Fact]
    public async Task A_filter_one_provider_cannot_apply_is_its_error_over_several_connections_before_any_request()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var kitchen = host.ConnectKitchen();
        using var revere = host.ConnectRevere();
        using var opterius = host.ConnectOpterius();
        var archived = TenPerPage with { State = KitchenState.All };

        var sink = Run(new InvoiceRunOptions(), archived, revere, kitchen, opterius);

        // Refusals come first, before a request is sent; the connection that can apply the filter is read.
        Assert.Equal(2, sink.Errors.Count);
        Assert.Equal(new object[] { revere, opterius }, sink.Errors.Select(e => e.Target));
        Assert.All(sink.Errors, e => Assert.Equal("State", Assert.IsType<InvoiceConfigurationException>(e.Exception).ParameterName));
        Assert.Same(sink.Errors[1], sink.Events[1]);
        Assert.Equal(30, sink.Invoices.Count);
        Assert.All(sink.Invoices, i => Assert.Equal(kitchen.Name, i.Connection));
        Assert.Empty(QueriesTo(host, RevereApi.ApiName));
        Assert.Empty(QueriesTo(host, OpteriusApi.ApiName));
        Assert.Empty(sink.Stops);
    }

    [Fact]
    public async Task A_filter_the_one_connection_cannot_apply_stops_the_run_before_any_request()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        var sink = new RecordingSink();
        var run = new InvoiceRun(new InvoiceRunOptions { IncludeTotalCount = true }, sink);

        run.Read(new[] { revere }, TenPerPage with { State = KitchenState.All });
        run.End();

        var stop = Assert.Single(sink.Events);
        Assert.Same(revere, Assert.IsType<RecordingSink.Failure>(stop).Target);
        Assert.Equal("State", Assert.IsType<InvoiceConfigurationException>(sink.Stops[0].Exception).ParameterName);
        Assert.Empty(host.Sandbox.Requests);
    }

    [Fact]
    public async Task A_checkpoint_run_saves_after_a_complete_read_and_the_next_run_asks_only_for_what_changed_since()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revolv3 = host.ConnectRevolv3();
        var path = Path.Combine(_directory, "run.json");
        var options = new InvoiceRunOptions { CheckpointPath = path };

        var first = Run(options, revolv3);
        var firstQueries = QueriesTo(host, Revolv3Api.ApiName);
        host.Sandbox.ClearRequests();
        var second = Run(options, revolv3);

        Assert.Equal(30, first.Invoices.Count);
        Assert.Equal($"Checkpoint: no earlier run of this connection and query in {path}; every invoice is returned and recorded.", first.Verbose[0]);
        Assert.Equal($"Checkpoint saved for '{revolv3.Name}': 30 new or changed invoice(s) returned, 0 unchanged passed over.", first.Verbose[^1]);
        Assert.All(firstQueries, q => Assert.DoesNotContain("lastUpdateStartDate", q, StringComparison.Ordinal));
        Assert.True(File.Exists(path));

        Assert.Empty(second.Invoices);
        Assert.StartsWith("Checkpoint: the last successful run of this connection and query began ", second.Verbose[0], StringComparison.Ordinal);
        Assert.EndsWith(" and recorded 30 invoice(s); only new or changed ones are returned.", second.Verbose[0], StringComparison.Ordinal);
        Assert.StartsWith("Checkpoint: asking Revolv3 only for invoices updated since ", second.Verbose[1], StringComparison.Ordinal);
        var query = Assert.Single(QueriesTo(host, Revolv3Api.ApiName));
        Assert.Contains("lastUpdateStartDate=", query, StringComparison.Ordinal);
        Assert.Empty(second.Errors);
    }

    [Fact]
    public async Task A_checkpoint_run_that_fails_does_not_save_and_the_next_run_returns_everything_again()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        using var kitchen = host.ConnectKitchen();
        var path = Path.Combine(_directory, "run.json");
        var options = new InvoiceRunOptions { CheckpointPath = path };
        var kitchenAll = Alone(kitchen, TenPerPage);
        host.Sandbox.InjectFault(PageTwoRefused(), times: 3, api: KitchenApi.ApiName);

        var failed = Run(options, kitchen, revere);
        host.Sandbox.ClearFaults();
        var afterFailure = Run(options, kitchen, revere);
        var again = Run(options, kitchen, revere);

        Assert.Equal(10 + 30, failed.Invoices.Count);
        Assert.Same(kitchen, Assert.Single(failed.Errors).Target);
        Assert.Contains($"Checkpoint not updated: the run for '{kitchen.Name}' failed, so the next run returns the same invoices again.", failed.Verbose);
        Assert.Contains($"Checkpoint saved for '{revere.Name}': 30 new or changed invoice(s) returned, 0 unchanged passed over.", failed.Verbose);

        // Kitchen's scope was not saved, so all of it comes again; Revere's was, so none of it does.
        Assert.Equal(kitchenAll, afterFailure.Invoices.Select(i => i.Id));
        Assert.Empty(again.Invoices);
    }

    [Fact]
    public void A_checkpoint_file_that_is_not_one_stops_the_run_with_the_path_as_target()
    {
        using var revere = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        var path = Path.Combine(_directory, "not-a-checkpoint.json");
        File.WriteAllText(path, "{\"hello\":1}");

        var sink = Run(new InvoiceRunOptions { CheckpointPath = path }, revere);

        Assert.Equal(path, Assert.Single(sink.Stops).Target);
        Assert.Empty(sink.Invoices);
        Assert.Empty(revere.Emulator().Requests);
    }

    [Fact]
    public async Task The_total_over_several_connections_is_their_sum_exact_when_each_reported_one()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        using var opterius = host.ConnectOpterius();
        using var xendit = host.ConnectXendit();
        using var revolv3 = host.ConnectRevolv3();

        var exact = Run(new InvoiceRunOptions { IncludeTotalCount = true }, revere, opterius);
        var estimate = Run(new InvoiceRunOptions { IncludeTotalCount = true }, revere, xendit, opterius);
        var none = Run(new InvoiceRunOptions { IncludeTotalCount = true }, xendit, revolv3);
        host.Sandbox.ClearRequests();
        var cutShort = Run(new InvoiceRunOptions { IncludeTotalCount = true, First = 5 }, revere, opterius);

        Assert.Equal((60L, 1.0), Assert.Single(exact.Totals));
        Assert.IsType<RecordingSink.Total>(exact.Events[^1]);
        Assert.Equal((60L, 0.5), Assert.Single(estimate.Totals));
        Assert.Equal(90, estimate.Invoices.Count);
        Assert.Equal((0L, 0.0), Assert.Single(none.Totals));
        // -First was met on Revere, so Opterius was never asked: the total knows only Revere's.
        Assert.Equal((30L, 0.5), Assert.Single(cutShort.Totals));
        Assert.Empty(QueriesTo(host, OpteriusApi.ApiName));
    }

    [Fact]
    public async Task The_total_of_one_connection_comes_first_and_is_an_estimate_under_a_filter_the_module_applies()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var opterius = host.ConnectOpterius();
        using var kitchen = host.ConnectKitchen();
        using var xendit = host.ConnectXendit();

        var exact = Run(new InvoiceRunOptions { IncludeTotalCount = true }, opterius);
        var filtered = Run(new InvoiceRunOptions { IncludeTotalCount = true }, TenPerPage with { Statuses = new[] { InvoiceStatus.Paid } }, kitchen);
        var unknown = Run(new InvoiceRunOptions { IncludeTotalCount = true }, xendit);

        Assert.Equal((30L, 1.0), Assert.Single(exact.Totals));
        Assert.IsType<RecordingSink.Total>(exact.Events.First(e => e is not string));
        Assert.Equal(0.5, Assert.Single(filtered.Totals).Accuracy);
        Assert.Equal((0L, 0.0), Assert.Single(unknown.Totals));
        Assert.IsType<RecordingSink.Total>(unknown.Events[^1]);
    }

    [Fact]
    public async Task Piped_connections_are_gathered_and_read_at_End()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        using var opterius = host.ConnectOpterius();
        var sink = new RecordingSink();
        var run = new InvoiceRun(new InvoiceRunOptions { FromPipeline = true, IncludeTotalCount = true }, sink);

        run.Read(new[] { revere }, TenPerPage);
        run.Read(new[] { opterius }, TenPerPage);
        var beforeEnd = host.Sandbox.Requests.Count;
        run.End();

        Assert.Equal(0, beforeEnd);
        Assert.Equal(Alone(revere, TenPerPage).Concat(Alone(opterius, TenPerPage)), sink.Invoices.Select(i => i.Id));
        Assert.Equal((60L, 1.0), Assert.Single(sink.Totals));
    }

    [Fact]
    public async Task Ids_are_looked_up_connection_after_connection_and_a_missing_one_names_itself()
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        using var kitchen = host.ConnectKitchen();
        var kitchenId = Alone(kitchen, TenPerPage)[3];
        var revereId = Alone(revere, TenPerPage)[7];
        var sink = new RecordingSink();
        var run = new InvoiceRun(new InvoiceRunOptions(), sink);

        run.LookUpIds(new[] { revere, kitchen }, new[] { kitchenId, " " + revereId, "in_missing" });
        run.LookUpNumbers(new[] { revere }, new[] { "no-such-number" }, pageSize: 10);

        Assert.Equal(new[] { revereId, kitchenId }, sink.Invoices.Select(i => i.Id));
        Assert.Equal(new object[] { "in_missing", "no-such-number" }, sink.Errors.Select(e => e.Target));
        Assert.All(sink.Errors, e => Assert.IsType<InvoiceNotFoundException>(e.Exception));
    }

    [Theory]
    [InlineData(0L, 1L, 1)]
    [InlineData(1L, 1L, 1)]
    [InlineData(2L, null, 1)]
    [InlineData(0L, 2L, 2)]
    [InlineData(3L, null, 0)]
    public async Task Skip_and_First_count_the_invoices_found_by_id_and_by_number(long skip, long? first, int expected)
    {
        await using var host = await LoopbackSandbox.StartAsync(Thirty());
        using var revere = host.ConnectRevere();
        var ids = Alone(revere, TenPerPage).Take(3).ToList();
        var byId = new RecordingSink();
        var byNumber = new RecordingSink();
        var numbers = new List<string>();
        foreach (var id in ids)
        {
            var lookup = new RecordingSink();
            new InvoiceRun(new InvoiceRunOptions(), lookup).LookUpIds(new[] { revere }, new[] { id });
            numbers.Add(Assert.Single(lookup.Invoices).Number!);
        }

        new InvoiceRun(new InvoiceRunOptions { Skip = skip, First = first }, byId).LookUpIds(new[] { revere }, ids);
        new InvoiceRun(new InvoiceRunOptions { Skip = skip, First = first }, byNumber).LookUpNumbers(new[] { revere }, numbers, pageSize: 10);

        Assert.Equal(ids.Skip((int)skip).Take(expected), byId.Invoices.Select(i => i.Id));
        Assert.Equal(numbers.Skip((int)skip).Take(expected), byNumber.Invoices.Select(i => i.Number));
        Assert.Empty(byId.Errors);
        Assert.Empty(byNumber.Errors);
    }

    [Fact]
    public void An_id_that_cannot_be_one_stops_the_run_before_any_request()
    {
        using var revere = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        var sink = new RecordingSink();

        new InvoiceRun(new InvoiceRunOptions(), sink).LookUpIds(new[] { revere }, new[] { ".." });

        Assert.Equal("..", Assert.Single(sink.Stops).Target);
        Assert.Empty(revere.Emulator().Requests);
    }

    [Fact]
    public async Task Every_sink_call_arrives_on_the_thread_that_called_the_run_also_when_connections_are_read_at_once()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 120, KitchenInvoiceCount = 120, OpteriusInvoiceCount = 120, Latency = TimeSpan.FromMilliseconds(5) });
        using var revere = host.ConnectRevere();
        using var kitchen = host.ConnectKitchen();
        using var opterius = host.ConnectOpterius();
        var sink = new RecordingSink();

        var caller = await Task.Run(() =>
        {
            var run = new InvoiceRun(new InvoiceRunOptions { IncludeTotalCount = true }, sink);
            run.Read(new[] { revere, kitchen, opterius }, TenPerPage);
            run.End();
            return Environment.CurrentManagedThreadId;
        });

        Assert.Equal(new[] { caller }, sink.Threads);
        Assert.True(sink.Invoices.Count > 300);
        Assert.Empty(sink.OpenActivities);
    }

    /// <summary>Everything a run yields, in order: invoices, failures, totals and the text of verbose and warning lines.</summary>
    private sealed class RecordingSink : IInvoiceRunSink
    {
        public List<object> Events { get; } = new();

        public List<Invoice> Invoices => Events.OfType<Invoice>().ToList();

        public List<Failure> Errors => Events.OfType<Failure>().Where(f => !f.Stops).ToList();

        public List<Failure> Stops => Events.OfType<Failure>().Where(f => f.Stops).ToList();

        public List<(long Total, double Accuracy)> Totals => Events.OfType<Total>().Select(t => (t.Count, t.Accuracy)).ToList();

        public List<string> Verbose { get; } = new();

        public List<int> OpenActivities { get; } = new();

        /// <summary>The threads the calls arrived on.</summary>
        public HashSet<int> Threads { get; } = new();

        public void OnInvoice(Invoice invoice) => Add(invoice);

        public void OnTotalCount(long total, double accuracy) => Add(new Total(total, accuracy));

        public void OnError(Exception exception, object target) => Add(new Failure(exception, target, false));

        public void OnStop(Exception exception, object target) => Add(new Failure(exception, target, true));

        public void OnCheckpointNotSaved(string path, Exception exception) => Add(new Failure(exception, path, false));

        public void OnVerbose(string message)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            Verbose.Add(message);
        }

        public void OnDebug(string message) => Threads.Add(Environment.CurrentManagedThreadId);

        public void OnWarning(string message) => Add(message);

        public void OnProgress(int activityId, string activity, PageProgress progress)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            if (!OpenActivities.Contains(activityId))
            {
                OpenActivities.Add(activityId);
            }
        }

        public void OnProgressEnd(int activityId)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            Assert.True(OpenActivities.Remove(activityId), $"activity {activityId} ended without a page");
        }

        private void Add(object item)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            Events.Add(item);
        }

        public sealed record Failure(Exception Exception, object Target, bool Stops);

        public sealed record Total(long Count, double Accuracy);
    }
}
