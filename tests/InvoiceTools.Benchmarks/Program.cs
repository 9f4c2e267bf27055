using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;
using InvoiceTools.Sandbox.Host;

namespace InvoiceTools.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/InvoiceTools.Benchmarks -- --out docs/performance-results.md
/// Every figure of docs/performance.md, each next to its baselines, measured in one run.
/// </summary>
internal static class Program
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static async Task<int> Main(string[] args)
    {
        InvoiceTools.Commands.Infrastructure.EmulatorServer.Register();
        if (args.Length >= 1 && args[0] == "--serve")
        {
            return await ServeAsync(args).ConfigureAwait(false);
        }

        if (args.Length == 3 && args[0] == "--memory-client")
        {
            return MemoryClient(new Uri(args[1]), long.Parse(args[2], Invariant));
        }

        if (args.Length == 3 && args[0] == "--gc-client")
        {
            return GcClient(new Uri(args[1]), long.Parse(args[2], Invariant));
        }

        if (args.Length == 3 && args[0] == "--big-body-client")
        {
            return BigBodyClient(new Uri(args[1]), long.Parse(args[2], Invariant));
        }

        if (args.Length == 1 && args[0] == "--many-connections")
        {
            var benchmark = new Benchmark(quick: false);
            await benchmark.ManyConnectionsOnlyAsync().ConfigureAwait(false);
            return 0;
        }

        if (args.Length == 2 && args[0] == "--big-body")
        {
            return await Benchmark.BigBodyAsync(int.Parse(args[1], Invariant)).ConfigureAwait(false) is { } line ? Print(line) : 1;
        }

        string? output = null;
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--quick":
                    quick = true;
                    break;
                default:
                    Console.Error.WriteLine("Usage: InvoiceTools.Benchmarks [--out FILE.md] [--quick]");
                    return 2;
            }
        }

        var report = await new Benchmark(quick).RunAsync().ConfigureAwait(false);
        Console.WriteLine(report);
        if (output is not null)
        {
            File.WriteAllText(output, report);
            Console.WriteLine("Written to " + Path.GetFullPath(output));
        }

        return 0;
    }

    private static int Print(string line)
    {
        Console.WriteLine(line);
        return 0;
    }

    /// <summary>
    /// Child process: serves a sandbox so that its data does not count towards the client's memory. With
    /// "opterius" as the third argument it serves Opterius's real shape: every invoice in one answer.
    /// </summary>
    private static async Task<int> ServeAsync(string[] args)
    {
        var count = int.Parse(args[1], Invariant);
        var opterius = args.Length > 2 && args[2] == "opterius";
        var latency = args.Length > 2 && args[2].StartsWith("latency=", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(int.Parse(args[2].AsSpan(8), NumberStyles.Integer, Invariant)) : TimeSpan.Zero;
        var options = opterius ? new SandboxOptions { OpteriusInvoiceCount = count } : new SandboxOptions { RevereInvoiceCount = count, Latency = latency };
        var sandbox = new InvoiceSandbox(options);
        sandbox.Opterius.RealShape = opterius;
        await using var server = await SandboxServer.StartAsync(sandbox).ConfigureAwait(false);
        Console.WriteLine(server.ApiBase(opterius ? OpteriusApi.ApiName : RevereApi.ApiName).AbsoluteUri);
        await Console.In.ReadLineAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Child process: reads one Opterius answer holding every invoice (the real API is unpaginated) into a counting
    /// sink and reports its peak working set, the managed heap's peak and the body size.
    /// </summary>
    private static int BigBodyClient(Uri opterius, long expected)
    {
        using var connection = Benchmark.Connect("Opterius", opterius, PagingOptions.Default);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var before = self.PeakWorkingSet64;
        long count = 0;
        foreach (var invoice in InvoiceEngine.GetInvoices(connection, new InvoiceQuery()))
        {
            count++;
        }

        self.Refresh();
        Console.WriteLine(string.Join(" ", count, before, self.PeakWorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes, GC.CollectionCount(2)));
        return count == expected ? 0 : 1;
    }

    /// <summary>
    /// Child process: reads every Revere invoice with default settings and reports the garbage collector's pauses
    /// against the wall time, with the server (and its allocations) in another process: "count wall-ms pause-ms gen0 gen1 gen2".
    /// </summary>
    private static int GcClient(Uri revere, long expected)
    {
        using var connection = Benchmark.Connect("Revere", revere, PagingOptions.Default);
        _ = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 2000 }).LongCount();
        var (pause, gen0, gen1, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var watch = Stopwatch.StartNew();
        var count = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All).LongCount();
        watch.Stop();
        Console.WriteLine(string.Join(" ", count, (long)watch.Elapsed.TotalMilliseconds, (long)(GC.GetTotalPauseDuration() - pause).TotalMilliseconds, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2));
        return count == expected ? 0 : 1;
    }

    /// <summary>Child process: streams every invoice into a counting sink and reports its own peak working set.</summary>
    private static int MemoryClient(Uri revere, long expected)
    {
        using var connection = Benchmark.Connect("Revere", revere, PagingOptions.Default);
        using var self = Process.GetCurrentProcess();
        long count = 0;
        long peakAt10k = 0;
        foreach (var invoice in InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 100 }))
        {
            if (++count == 10_000)
            {
                self.Refresh();
                peakAt10k = self.PeakWorkingSet64;
            }
        }

        self.Refresh();
        Console.WriteLine(string.Join(" ", count, peakAt10k, self.PeakWorkingSet64, GC.GetTotalMemory(false), GC.CollectionCount(0), GC.CollectionCount(2)));
        return count == expected ? 0 : 1;
    }
}

internal sealed class Benchmark
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly string[] KnownTotal = { "Revere", "Opterius", "Kitchen" };
    private readonly List<string[]> _rows = new();
    private readonly int _invoices;
    private readonly int _cursorInvoices;
    private readonly long _memoryInvoices;

    public Benchmark(bool quick)
    {
        _invoices = quick ? 4_000 : 20_000;
        _cursorInvoices = quick ? 1_500 : 5_000;
        _memoryInvoices = quick ? 100_000 : 1_000_000;
    }

    public static InvoiceProviderConnection Connect(string provider, Uri apiBase, PagingOptions paging)
    {
        var (kind, key) = provider switch
        {
            "Revere" => (InvoiceProviderKind.Revere, RevereApi.ApiKey),
            "Opterius" => (InvoiceProviderKind.Opterius, OpteriusApi.Token),
            "Kitchen" => (InvoiceProviderKind.Kitchen, KitchenApi.ApiKey),
            "Xendit" => (InvoiceProviderKind.Xendit, XenditApi.SecretKey),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
        return InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = kind,
            BaseUri = apiBase.AbsoluteUri,
            GroupId = kind == InvoiceProviderKind.Revere ? RevereApi.GroupId.ToString() : null,
            ApiKey = Secure(key),
            Paging = paging,
            Retry = new RetryOptions { AttemptTimeout = Timeout.InfiniteTimeSpan },
        });
    }

    private static SecureString Secure(string key)
    {
        var secure = new SecureString();
        foreach (var c in key)
        {
            secure.AppendChar(c);
        }

        return secure;
    }

    public async Task<string> RunAsync()
    {
        var started = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        await FirstInvoiceAsync().ConfigureAwait(false);
        await KnownTotalThroughputAsync(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        await CpuBoundThroughputAsync().ConfigureAwait(false);
        await CursorThroughputAsync().ConfigureAwait(false);
        Requests();
        await ParseAndMapAsync().ConfigureAwait(false);
        await MemoryAsync().ConfigureAwait(false);
        await LargeAnswerAsync().ConfigureAwait(false);
        await ManyConnectionsAsync().ConfigureAwait(false);
        await CreationWindowsAsync().ConfigureAwait(false);
        await GarbageCollectionAsync().ConfigureAwait(false);
        return Render(started, total.Elapsed);
    }

    private static async Task<SandboxServer> ServeAsync(int invoices, TimeSpan latency, bool cacheAnswers = false) =>
        await SandboxServer.StartAsync(new InvoiceSandbox(new SandboxOptions
        {
            Latency = latency,
            CacheAnswers = cacheAnswers,
            RevereInvoiceCount = invoices,
            OpteriusInvoiceCount = invoices,
            KitchenInvoiceCount = invoices * 7 / 6 + 7,
            XenditInvoiceCount = invoices,
            Revolv3InvoiceCount = invoices,
        })).ConfigureAwait(false);

    /// <summary>Streams with the engine through the synchronous bridge PowerShell uses; returns the count, total time and time to the first invoice.</summary>
    private static Task<(long Count, TimeSpan Elapsed, TimeSpan First)> EngineAsync(SandboxServer server, string provider, PagingOptions paging, Action<Invoice>? consume = null, InvoiceQuery? query = null) =>
        Task.Run(() =>
        {
            using var connection = Connect(provider, Api(server, provider), paging);
            var watch = Stopwatch.StartNew();
            var first = TimeSpan.Zero;
            long count = 0;
            foreach (var invoice in InvoiceEngine.GetInvoices(connection, query ?? new InvoiceQuery { PageSize = 100 }))
            {
                if (count++ == 0)
                {
                    first = watch.Elapsed;
                }

                consume?.Invoke(invoice);
            }

            return (count, watch.Elapsed, first);
        });

    private static async Task<(long Count, TimeSpan Elapsed)> DictionaryAsync(SandboxServer server, string provider, Action<Dictionary<string, object?>>? consume = null)
    {
        using var http = new HttpClient();
        var watch = Stopwatch.StartNew();
        var count = await DictionaryLoop.RunAsync(http, provider, Api(server, provider), 100, consume).ConfigureAwait(false);
        return (count, watch.Elapsed);
    }

    private static Uri Api(SandboxServer server, string provider) => new(server.ApiBase(ApiName(provider)).AbsoluteUri.TrimEnd('/') + "/");

    private static string ApiName(string provider) => provider switch
    {
        "Revere" => RevereApi.ApiName,
        "Opterius" => OpteriusApi.ApiName,
        "Kitchen" => KitchenApi.ApiName,
        "Xendit" => XenditApi.DirectApiName,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private async Task FirstInvoiceAsync()
    {
        await using var server = await ServeAsync(_invoices, TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        using var http = new HttpClient();
        var uri = new Uri(Api(server, "Revere"), "api/v1/groups/" + RevereApi.GroupId + "/invoices?limit=100&offset=0");
        await DictionaryLoop.GetBytesAsync(http, "Revere", uri).ConfigureAwait(false);
        var roundTrips = new List<double>();
        var firsts = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await DictionaryLoop.GetBytesAsync(http, "Revere", uri).ConfigureAwait(false);
            roundTrips.Add(watch.Elapsed.TotalMilliseconds);
            var run = await EngineAsync(server, "Revere", PagingOptions.Default, query: new InvoiceQuery { PageSize = 100, First = 1 }).ConfigureAwait(false);
            firsts.Add(run.First.TotalMilliseconds);
        }

        var roundTrip = Median(roundTrips);
        var first = Median(firsts);
        Row("Time to first invoice (Revere, 50 ms latency, page of 100)", "≤ 1 round trip + 5 ms", Ms(first), "one page round trip (HttpClient, bytes only): " + Ms(roundTrip), first <= roundTrip + 5,
            "+" + Ms(first - roundTrip) + " over the round trip; median of 5, new connection each time");
    }

    private async Task KnownTotalThroughputAsync(TimeSpan latency)
    {
        await using var server = await ServeAsync(_invoices, latency).ConfigureAwait(false);
        foreach (var provider in KnownTotal)
        {
            await EngineAsync(server, provider, PagingOptions.Default, query: new InvoiceQuery { PageSize = 100, First = 500 }).ConfigureAwait(false);
            var parallel = await EngineAsync(server, provider, PagingOptions.Default).ConfigureAwait(false);
            var eight = await EngineAsync(server, provider, PagingOptions.Default with { PageConcurrency = 8 }).ConfigureAwait(false);
            var sequential = await EngineAsync(server, provider, PagingOptions.Sequential).ConfigureAwait(false);
            var dictionary = await DictionaryAsync(server, provider).ConfigureAwait(false);
            Check(provider, parallel.Count, eight.Count, sequential.Count, dictionary.Count);
            var ratio = sequential.Elapsed.TotalSeconds / parallel.Elapsed.TotalSeconds;
            Row(
                provider + ": " + Count(parallel.Count) + " invoices, 100 per page, 50 ms latency",
                "≥ 4× baseline (a)",
                Rate(parallel) + " (" + Times(ratio) + " (a); -PageConcurrency 8: " + Times(sequential.Elapsed.TotalSeconds / eight.Elapsed.TotalSeconds) + ")",
                "(a) " + Rate(sequential) + "; (b) " + Rate(dictionary),
                ratio >= 4,
                Times(dictionary.Elapsed.TotalSeconds / parallel.Elapsed.TotalSeconds) + " (b)");

            // Issue 21: the default page (the largest the provider accepts) against the best sequential loop, which
            // uses that page too; and what the garbage collector costs during the run.
            var largest = Connect(provider, Api(server, provider), PagingOptions.Default).PageSize;
            var pauseBefore = GC.GetTotalPauseDuration();
            var gen2Before = GC.CollectionCount(2);
            var defaults = await EngineAsync(server, provider, PagingOptions.Default, query: InvoiceQuery.All).ConfigureAwait(false);
            var pause = GC.GetTotalPauseDuration() - pauseBefore;
            var gen2 = GC.CollectionCount(2) - gen2Before;
            using var http = new HttpClient();
            var loopWatch = Stopwatch.StartNew();
            var loopCount = await DictionaryLoop.RunAsync(http, provider, Api(server, provider), largest).ConfigureAwait(false);
            var loop = (Count: loopCount, Elapsed: loopWatch.Elapsed);
            Check(provider, defaults.Count, loop.Count);
            var best = loop.Elapsed.TotalSeconds / defaults.Elapsed.TotalSeconds;
            Row(
                provider + ": same data, default settings (page of " + Count(largest) + "), 50 ms latency",
                "≥ 4× the best sequential loop (same page)",
                Rate(defaults) + " (" + Times(best) + ")",
                "loop with pages of " + Count(largest) + ": " + Rate(loop),
                best >= 4,
                "GC pauses " + (100 * pause.TotalSeconds / defaults.Elapsed.TotalSeconds).ToString("0.0", Invariant) + " % of wall (target < 5 %), " + gen2 + " gen2 collection(s)");
        }
    }

    private async Task CpuBoundThroughputAsync()
    {
        // The emulator answers repeated requests from memory, so its own JSON writing does not eat the CPU being measured.
        await using var server = await ServeAsync(_invoices, TimeSpan.Zero, cacheAnswers: true).ConfigureAwait(false);
        foreach (var provider in KnownTotal)
        {
            // Warm both paths, then keep the best of three: at 0 ms the figure is CPU time, which the first run inflates with JIT.
            await EngineAsync(server, provider, PagingOptions.Default).ConfigureAwait(false);
            await DictionaryAsync(server, provider).ConfigureAwait(false);
            var parallel = Best(await Repeat(() => EngineAsync(server, provider, PagingOptions.Default).ContinueWith(t => (t.Result.Count, t.Result.Elapsed), TaskScheduler.Default)).ConfigureAwait(false));
            var sequential = Best(await Repeat(() => EngineAsync(server, provider, PagingOptions.Sequential).ContinueWith(t => (t.Result.Count, t.Result.Elapsed), TaskScheduler.Default)).ConfigureAwait(false));
            var dictionary = Best(await Repeat(() => DictionaryAsync(server, provider)).ConfigureAwait(false));
            Check(provider, parallel.Count, sequential.Count, dictionary.Count);
            var ratio = dictionary.Elapsed.TotalSeconds / parallel.Elapsed.TotalSeconds;
            Row(
                provider + ": same data, 0 ms latency (CPU bound; answers replayed from memory by the in-process loopback server)",
                "≥ 3× baseline (b)",
                Rate(parallel) + " (" + Times(ratio) + " (b))",
                "(a) " + Rate(sequential) + "; (b) " + Rate(dictionary),
                ratio >= 3,
                Times(sequential.Elapsed.TotalSeconds / parallel.Elapsed.TotalSeconds) + " (a); best of 3 after a warm-up run");
        }
    }

    private async Task CursorThroughputAsync()
    {
        await using var server = await ServeAsync(_cursorInvoices, TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        var perInvoice = TimeSpan.FromMilliseconds(0.5);
        var prefetched = await EngineAsync(server, "Xendit", PagingOptions.Default, _ => Spin(perInvoice)).ConfigureAwait(false);
        var sequential = await EngineAsync(server, "Xendit", PagingOptions.Sequential, _ => Spin(perInvoice)).ConfigureAwait(false);
        var dictionary = await DictionaryAsync(server, "Xendit", _ => Spin(perInvoice)).ConfigureAwait(false);
        var bare = await EngineAsync(server, "Xendit", PagingOptions.Default).ConfigureAwait(false);
        var bareSequential = await EngineAsync(server, "Xendit", PagingOptions.Sequential).ConfigureAwait(false);
        Check("Xendit", prefetched.Count, sequential.Count, dictionary.Count, bare.Count, bareSequential.Count);
        var ratio = sequential.Elapsed.TotalSeconds / prefetched.Elapsed.TotalSeconds;
        Row(
            "Xendit cursor: " + Count(prefetched.Count) + " invoices, 50 ms latency, consumer spends 0.5 ms per invoice",
            "≥ 1.8× sequential",
            Rate(prefetched) + " (" + Times(ratio) + " (a))",
            "(a) " + Rate(sequential) + "; (b) " + Rate(dictionary),
            ratio >= 1.8,
            "with a consumer that does nothing: " + Times(bareSequential.Elapsed.TotalSeconds / bare.Elapsed.TotalSeconds) + " (" + Rate(bare) + " vs " + Rate(bareSequential) + ")");
    }

    private void Requests()
    {
        foreach (var provider in new[] { InvoiceProviderKind.Revere, InvoiceProviderKind.Opterius, InvoiceProviderKind.Kitchen, InvoiceProviderKind.Xendit, InvoiceProviderKind.Revolv3 })
        {
            var counts = new List<int>();
            foreach (var first in new[] { 1L, 150L })
            {
                var sandbox = new InvoiceSandbox();
                using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = provider, Sandbox = true, SandboxInstance = new InvoiceTools.Commands.Infrastructure.EmulatorServer(sandbox) });
                var got = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = first, PageSize = 100 }).Count();
                counts.Add(got == first ? sandbox.Requests.Count : -1);
            }

            Row("Requests for -First 1 / -First 150, page size 100: " + provider, "1 / 2", counts[0] + " / " + counts[1], "default -Prefetch 1 -PageConcurrency 4", counts[0] == 1 && counts[1] == 2, string.Empty);
        }
    }

    private static double DefinedParseRate(byte[] body, Uri apiBase)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "opterius.definition.json");
        var definition = Providers.Defined.ProviderDefinition.Read(Providers.Defined.DefinitionJson.Read(File.ReadAllBytes(file), "opterius.definition.json"), "opterius.definition.json", null);
        Providers.ProviderCatalog.Register(definition, file);
        try
        {
            using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
            {
                Provider = InvoiceProviderKind.Defined,
                ProviderName = definition.Name,
                BaseUri = apiBase.AbsoluteUri,
                ApiKey = Secure(OpteriusApi.Token),
                Retry = new RetryOptions { AttemptTimeout = Timeout.InfiniteTimeSpan },
            });
            var parse = connection.Implementation;
            return Measure(() => parse.ParsePage(body, connection).Items.Count);
        }
        finally
        {
            Providers.ProviderCatalog.Unregister(definition.Name);
        }
    }

    private async Task ParseAndMapAsync()
    {
        await using var server = await ServeAsync(1000, TimeSpan.Zero).ConfigureAwait(false);
        using var http = new HttpClient();
        foreach (var provider in new[] { "Revere", "Opterius", "Kitchen", "Xendit" })
        {
            var apiBase = Api(server, provider);
            var uri = provider switch
            {
                "Revere" => new Uri(apiBase, "api/v1/groups/" + RevereApi.GroupId + "/invoices?limit=100&offset=0"),
                "Opterius" => new Uri(apiBase, "api/v1/invoices?page=1&per_page=100"),
                "Kitchen" => new Uri(apiBase, "api/invoices?per_page=100"),
                _ => new Uri(apiBase, "v2/invoices?limit=100"),
            };
            var body = await DictionaryLoop.GetBytesAsync(http, provider, uri).ConfigureAwait(false);
            using var connection = Connect(provider, apiBase, PagingOptions.Default);
            var parse = connection.Implementation;
            var typed = Measure(() =>
            {
                var page = parse.ParsePage(body, connection);
                return page.Items.Count;
            });
            var tree = Measure(() => ((System.Collections.ICollection)(DictionaryLoop.ToTree(body) switch
            {
                List<object?> list => list,
                Dictionary<string, object?> root => (List<object?>)(root.TryGetValue("items", out var items) ? items : root["data"])!,
                _ => throw new InvalidOperationException(),
            })).Count);
            Row("Parse and map, " + provider + " (" + Count(body.Length / 100) + " bytes per invoice), one thread", "≥ 100,000 invoices/s", Count((long)typed) + " invoices/s", "dictionary trees: " + Count((long)tree) + " invoices/s", typed >= 100_000, Times(typed / tree) + " (b)");
            if (provider == "Opterius")
            {
                // Issue 22: the same page read by Opterius re-expressed as a definition file (JSON paths instead of DTOs).
                var defined = DefinedParseRate(body, apiBase);
                Row("Parse and map, Opterius as a definition file, one thread", "≥ 0.5× the built-in provider", Count((long)defined) + " invoices/s", "built-in: " + Count((long)typed) + " invoices/s", defined >= typed * 0.5, Times(defined / typed) + " of the built-in rate");
            }

            // The retry handler checks that a 2xx body is complete JSON before the page is parsed (docs/reliability.md).
            var checkedRate = Measure(() => Http.MalformedResponseException.Check(System.Net.HttpStatusCode.OK, "OK", "application/json", body) is null ? 100 : 0);
            Row("JSON completeness check in the retry handler, " + provider + " page, one thread", "≤ 0.5× the time of parse and map", Count((long)checkedRate) + " invoices/s", "parse and map: " + Count((long)typed) + " invoices/s", typed / checkedRate <= 0.5, "adds " + Times(typed / checkedRate) + " of parse-and-map time per page");

            // Issue 21: what a table or a CSV cell shows for Raw ("19 fields"), on records nobody opened yet.
            var raws = parse.ParsePage(body, connection).Items.Select(i => i.Raw.ToUtf8Bytes()).ToList();
            var shown = Measure(() => raws.Sum(r => new RawRecord(r).ToString().Length > 0 ? 1 : 0));
            var opened = Measure(() => raws.Sum(r => new RawRecord(r).Keys.Count > 0 ? 1 : 0));
            Row("Raw shown in a table or CSV cell, " + provider + ", per invoice", "≤ 5 µs", Micro(shown), "opening the record (what it cost before): " + Micro(opened), 1e6 / shown <= 5, Times(shown / opened) + " of the time of opening it");
        }
    }

    /// <summary>
    /// Issue 20: the peak working set of a client that reads <paramref name="invoices"/> Opterius invoices from one
    /// answer (server in another process). One line: "count start-peak end-peak heap gen2".
    /// </summary>
    public static async Task<string?> BigBodyAsync(int invoices) =>
        await WithServerAsync(invoices.ToString(Invariant) + " opterius", async opterius =>
        {
            var (exitCode, line) = await RunChildAsync("--big-body-client " + opterius + " " + invoices.ToString(Invariant)).ConfigureAwait(false);
            return exitCode == 0 ? line : null;
        }).ConfigureAwait(false);

    /// <summary>This program as a child process (under dotnet when it runs as a DLL), with its output read.</summary>
    private static Process StartChild(string arguments, bool input)
    {
        var self = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? "\"" + typeof(Program).Assembly.Location + "\" " : string.Empty;
        return Process.Start(new ProcessStartInfo(self, prefix + arguments) { RedirectStandardOutput = true, RedirectStandardInput = input, UseShellExecute = false })!;
    }

    /// <summary>Runs a client child to its end: its exit code and its output line.</summary>
    private static async Task<(int ExitCode, string Line)> RunChildAsync(string arguments)
    {
        using var client = StartChild(arguments, input: false);
        var line = (await client.StandardOutput.ReadToEndAsync().ConfigureAwait(false)).Trim();
        await client.WaitForExitAsync().ConfigureAwait(false);
        return (client.ExitCode, line);
    }

    /// <summary>Serves a sandbox in a child process (--serve <paramref name="serveArguments"/>) while <paramref name="use"/> runs with its API base.</summary>
    private static async Task<T> WithServerAsync<T>(string serveArguments, Func<string, Task<T>> use)
    {
        using var server = StartChild("--serve " + serveArguments, input: true);
        try
        {
            var apiBase = (await server.StandardOutput.ReadLineAsync().ConfigureAwait(false))!.Trim();
            return await use(apiBase).ConfigureAwait(false);
        }
        finally
        {
            await server.StandardInput.WriteLineAsync().ConfigureAwait(false);
            await server.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs and prints only the many-connections and creation-window rows.</summary>
    public async Task ManyConnectionsOnlyAsync()
    {
        await ManyConnectionsAsync().ConfigureAwait(false);
        Console.WriteLine(string.Join(" | ", _rows[^1]));
        await CreationWindowsAsync().ConfigureAwait(false);
        Console.WriteLine(string.Join(" | ", _rows[^1]));
        await GarbageCollectionAsync().ConfigureAwait(false);
        Console.WriteLine(string.Join(" | ", _rows[^1]));
    }

    /// <summary>Issue 21: Xendit's cursor with -CreatedAfter, read as creation-time windows at once, against one cursor.</summary>
    private async Task CreationWindowsAsync()
    {
        var invoices = _invoices / 2;
        await using var server = await SandboxServer.StartAsync(new InvoiceSandbox(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(50), XenditInvoiceCount = invoices })).ConfigureAwait(false);
        // A runbook's -CreatedAfter: just before the oldest invoice, so that the range is the data's own.
        DateTimeOffset oldest;
        using (var probe = Connect("Xendit", Api(server, "Xendit"), PagingOptions.Sequential))
        {
            oldest = InvoiceEngine.GetInvoices(probe, InvoiceQuery.All).Min(i => i.CreatedAt!.Value);
        }

        var query = new InvoiceQuery { CreatedAfter = oldest.AddMinutes(-1) };
        (long Count, TimeSpan Elapsed) Run(PagingOptions paging)
        {
            using var connection = Connect("Xendit", Api(server, "Xendit"), paging);
            var watch = Stopwatch.StartNew();
            var count = InvoiceEngine.GetInvoices(connection, query).LongCount();
            return (count, watch.Elapsed);
        }

        _ = await Task.Run(() => Run(PagingOptions.Default)).ConfigureAwait(false);
        var windows = new List<(long Count, TimeSpan Elapsed)>();
        var cursor = new List<(long Count, TimeSpan Elapsed)>();
        for (var i = 0; i < 3; i++)
        {
            windows.Add(await Task.Run(() => Run(PagingOptions.Default)).ConfigureAwait(false));
            cursor.Add(await Task.Run(() => Run(PagingOptions.Sequential)).ConfigureAwait(false));
        }

        var w = windows.OrderBy(r => r.Elapsed).ElementAt(1);
        var c = cursor.OrderBy(r => r.Elapsed).ElementAt(1);
        var ratio = c.Elapsed.TotalSeconds / w.Elapsed.TotalSeconds;
        Row(
            "Xendit cursor, " + Count(invoices) + " invoices with -CreatedAfter, 50 ms latency (median of 3, interleaved)",
            "≥ 2× one cursor",
            Count(w.Count) + " invoices in " + w.Elapsed.TotalSeconds.ToString("0.00", Invariant) + " s as 4 creation-time windows at once (" + Times(ratio) + ")",
            "one cursor: " + c.Elapsed.TotalSeconds.ToString("0.00", Invariant) + " s",
            ratio >= 2 && w.Count == c.Count,
            "same invoices, same order (CreationWindowTests)");
    }

    /// <summary>Issue 21: ten Kitchen connections at 50 ms in one run, read at once (-ThrottleLimit 5, the default) and one after another.</summary>
    private async Task ManyConnectionsAsync()
    {
        const int connections = 10;
        var each = _invoices / 10;
        await using var server = await SandboxServer.StartAsync(new InvoiceSandbox(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(50), KitchenInvoiceCount = each })).ConfigureAwait(false);
        (long Count, TimeSpan Elapsed) Run(int throttleLimit)
        {
            var open = Enumerable.Range(0, connections).Select(_ => Connect("Kitchen", Api(server, "Kitchen"), PagingOptions.Default)).ToList();
            try
            {
                var watch = Stopwatch.StartNew();
                var count = ManyConnections.Read(open.Select(c => new ConnectionRead(c, new InvoiceQuery { State = KitchenState.All })).ToList(), throttleLimit).LongCount(i => !i.IsEnd);
                return (count, watch.Elapsed);
            }
            finally
            {
                open.ForEach(c => c.Dispose());
            }
        }

        _ = await Task.Run(() => Run(ManyConnections.DefaultThrottleLimit)).ConfigureAwait(false);
        var together = new List<(long Count, TimeSpan Elapsed)>();
        var alone = new List<(long Count, TimeSpan Elapsed)>();
        for (var i = 0; i < 3; i++)
        {
            together.Add(await Task.Run(() => Run(ManyConnections.DefaultThrottleLimit)).ConfigureAwait(false));
            alone.Add(await Task.Run(() => Run(1)).ConfigureAwait(false));
        }

        var t = together.OrderBy(r => r.Elapsed).ElementAt(1);
        var a = alone.OrderBy(r => r.Elapsed).ElementAt(1);
        var ratio = a.Elapsed.TotalSeconds / t.Elapsed.TotalSeconds;
        Row(
            "Ten Kitchen connections of " + Count(each) + " invoices each in one run, 50 ms latency (median of 3, interleaved)",
            "≥ 3× one after another",
            Count(t.Count) + " invoices in " + t.Elapsed.TotalSeconds.ToString("0.00", Invariant) + " s with -ThrottleLimit " + ManyConnections.DefaultThrottleLimit.ToString(Invariant) + " (the default; " + Times(ratio) + ")",
            "-ThrottleLimit 1: " + a.Elapsed.TotalSeconds.ToString("0.00", Invariant) + " s",
            ratio >= 3 && t.Count == a.Count,
            "written in the same order either way");
    }

    /// <summary>Issue 21: GC pauses while a client in its own process reads 20,000 Revere invoices at 50 ms, defaults.</summary>
    private async Task GarbageCollectionAsync()
    {
        var runs = await WithServerAsync(_invoices.ToString(Invariant) + " latency=50", async revere =>
        {
            var lines = new List<long[]>();
            for (var i = 0; i < 3; i++)
            {
                var (_, line) = await RunChildAsync("--gc-client " + revere + " " + _invoices.ToString(Invariant)).ConfigureAwait(false);
                lines.Add(line.Split(' ').Select(p => long.Parse(p, Invariant)).ToArray());
            }

            return lines;
        }).ConfigureAwait(false);

        var median = runs.OrderBy(r => (double)r[2] / r[1]).ElementAt(1);
        var share = 100.0 * median[2] / median[1];
        Row(
            "GC pauses while reading " + Count(median[0]) + " Revere invoices at 50 ms with default settings (client in its own process, median of 3)",
            "< 5 % of wall time",
            share.ToString("0.0", Invariant) + " % (" + median[2] + " ms of " + median[1] + " ms)",
            "all runs: " + string.Join(", ", runs.Select(r => (100.0 * r[2] / r[1]).ToString("0.0", Invariant) + " %")),
            share < 5,
            "collections: gen0 " + median[3] + ", gen1 " + median[4] + ", gen2 " + median[5]);
    }

    private async Task LargeAnswerAsync()
    {
        const int invoices = 100_000;
        var line = await BigBodyAsync(invoices).ConfigureAwait(false);
        var parts = (line ?? throw new InvalidOperationException("the large-answer client failed")).Split(' ').Select(p => long.Parse(p, Invariant)).ToArray();
        Row(
            "Peak working set reading one Opterius answer of " + Count(parts[0]) + " invoices (the real API is unpaginated; client in its own process)",
            "< 150 MB",
            Mb(parts[2]) + " (" + Mb(parts[1]) + " before the request)",
            "was 208–220 MB (body held while growing, copied, and every invoice parsed at once)",
            parts[2] < 150L * 1024 * 1024,
            "managed heap at the end " + Mb(parts[3]) + "; gen2 " + parts[4] + " collections");
    }

    private async Task MemoryAsync()
    {
        var (exitCode, line, elapsed) = await WithServerAsync(_memoryInvoices.ToString(Invariant), async revere =>
        {
            var watch = Stopwatch.StartNew();
            var (code, output) = await RunChildAsync("--memory-client " + revere + " " + _memoryInvoices.ToString(Invariant)).ConfigureAwait(false);
            return (code, output, watch.Elapsed);
        }).ConfigureAwait(false);
        var parts = line.Split(' ').Select(p => long.Parse(p, Invariant)).ToArray();
        var growth = parts[2] - parts[1];
        Row(
            "Peak working set streaming " + Count(parts[0]) + " Revere invoices into a counting sink (client in its own process)",
            "grows < 50 MB from 10,000 to 1,000,000",
            "+" + Mb(growth) + " (" + Mb(parts[1]) + " at 10,000 → " + Mb(parts[2]) + " at the end)",
            "managed heap at the end " + Mb(parts[3]) + "; gen0 " + parts[4] + ", gen2 " + parts[5] + " collections",
            growth < 50L * 1024 * 1024 && exitCode == 0,
            Count((long)(parts[0] / elapsed.TotalSeconds)) + " invoices/s at 0 ms latency, server in another process");
    }

    private static double Measure(Func<int> parseOnce)
    {
        for (var i = 0; i < 50; i++)
        {
            parseOnce();
        }

        long items = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(2))
        {
            items += parseOnce();
        }

        return items / watch.Elapsed.TotalSeconds;
    }

    private static async Task<List<(long Count, TimeSpan Elapsed)>> Repeat(Func<Task<(long Count, TimeSpan Elapsed)>> run)
    {
        var results = new List<(long, TimeSpan)>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await run().ConfigureAwait(false));
        }

        return results;
    }

    private static (long Count, TimeSpan Elapsed) Best(List<(long Count, TimeSpan Elapsed)> runs) => runs.OrderBy(r => r.Elapsed).First();

    private static void Spin(TimeSpan duration)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
        }
    }

    private static double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);

    private static void Check(string provider, params long[] counts)
    {
        if (counts.Distinct().Count() != 1)
        {
            throw new InvalidOperationException(provider + ": the runs returned different numbers of invoices: " + string.Join(", ", counts));
        }
    }

    private static string Rate((long Count, TimeSpan Elapsed, TimeSpan First) run) => Rate((run.Count, run.Elapsed));

    private static string Rate((long Count, TimeSpan Elapsed) run) =>
        Count((long)(run.Count / run.Elapsed.TotalSeconds)) + "/s in " + run.Elapsed.TotalSeconds.ToString("0.00", Invariant) + " s";

    private static string Count(long value) => value.ToString("N0", Invariant);

    private static string Times(double ratio) => ratio.ToString("0.00", Invariant) + "×";

    private static string Ms(double value) => value.ToString("0.0", Invariant) + " ms";

    private static string Micro(double perSecond) => (1e6 / perSecond).ToString("0.00", Invariant) + " µs";

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", Invariant) + " MB";

    private void Row(string figure, string target, string measured, string baselines, bool met, string note)
    {
        _rows.Add(new[] { figure, target, measured, baselines, met ? "yes" : "**no**", note });
        Console.Error.WriteLine((met ? "met     " : "MISSED  ") + figure + ": " + measured + " | " + baselines + " | " + note);
    }

    private string Render(DateTimeOffset started, TimeSpan took)
    {
        var text = new StringBuilder();
        text.AppendLine("| Figure | Target | Measured | Baselines: (a) sequential, same parser; (b) sequential, dictionary trees | Met | Notes |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        text.AppendLine();
        text.AppendLine("Measured " + started.ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC in " + took.TotalSeconds.ToString("0", Invariant) + " s on " + Machine() + ".");
        return text.ToString();
    }

    private static string Machine()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return cpu + ", " + Environment.ProcessorCount + " logical cores, " + RuntimeInformation.OSDescription + ", " + RuntimeInformation.FrameworkDescription;
    }
}
