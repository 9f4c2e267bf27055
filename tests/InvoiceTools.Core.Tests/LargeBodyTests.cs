using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// Issue 20 item 6: a large answer (the real Opterius API sends every invoice at once) is held once, as bytes, and
/// its invoices are made as the pipeline takes them; pages of paged providers come from pooled buffers.
/// </summary>
public sealed class LargeBodyTests
{
    private const int Count = 20_000;

    private static async Task<(LoopbackSandbox Host, List<JsonNode> Served)> RealOpterius(Action<JsonArray>? change = null)
    {
        var host = await LoopbackSandbox.StartAsync(new SandboxOptions { OpteriusInvoiceCount = Count });
        host.Sandbox.Opterius.RealShape = true;
        var served = new List<JsonNode>();
        host.Sandbox.InjectFault(SandboxFault.From(context => SandboxPages.RewriteItems(context.Normal(), InvoiceProviderKind.Opterius, list =>
        {
            change?.Invoke(list);
            served.AddRange(list.Select(i => i!));
        })));
        return (host, served);
    }

    [Fact]
    public async Task Every_invoice_of_a_large_answer_comes_once_in_order_with_its_exact_raw_json()
    {
        var (host, served) = await RealOpterius();
        await using var _ = host;
        using var connection = host.ConnectOpterius();

        var observer = new RecordingObserver();
        var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery(), observer).ToListAsync();

        Assert.True(host.Sandbox.Requests.Count == 1, string.Join("\n", observer.All));
        Assert.True(served.Sum(n => Encoding.UTF8.GetByteCount(n.ToJsonString())) >= JsonItems.LazyFrom, "the answer is not large enough to be read lazily");
        Assert.Equal(Count, invoices.Count);
        Assert.Equal(served.Select(i => i["id"]!.ToJsonString().Trim('"')), invoices.Select(i => i.Id));
        for (var i = 0; i < Count; i += 997)
        {
            Assert.Equal(served[i].ToJsonString(), invoices[i].Raw.ToJson());
            Assert.Equal((decimal?)served[i]["total"], invoices[i].Total);
        }
    }

    [Fact]
    public async Task A_large_answer_still_counts_odd_fields_once_and_stops_on_an_invoice_without_id_before_any_is_written()
    {
        var (host, _) = await RealOpterius(list =>
        {
            list[5]!["due_date"] = new JsonObject { ["odd"] = 1 };
            list[Count - 1]!["due_date"] = new JsonArray();
        });
        await using (host)
        {
            using var connection = host.ConnectOpterius();
            var observer = new RecordingObserver();

            var invoices = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery(), observer).ToListAsync();

            Assert.Equal(Count, invoices.Count);
            Assert.Null(invoices[5].DueDate);
            Assert.NotNull(invoices[6].DueDate);
            Assert.Single(observer.Warnings, w => w.EndsWith("due_date (2 invoices).", StringComparison.Ordinal));
        }

        var (broken, _) = await RealOpterius(list => list[Count - 2]!["id"] = null);
        await using (broken)
        {
            using var connection = broken.ConnectOpterius();
            var written = 0;
            var error = await Assert.ThrowsAsync<InvoiceResponseException>(async () =>
            {
                await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery()))
                {
                    written++;
                }
            });

            Assert.Equal(0, written);
            Assert.Contains($"invoice {Count - 1} has no usable id", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task First_and_a_filter_on_a_large_answer_read_only_what_they_need()
    {
        var (host, served) = await RealOpterius();
        await using var _ = host;
        using var connection = host.ConnectOpterius();

        var paid = await InvoiceEngine.GetInvoicesAsync(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Paid }, First = 3 }).ToListAsync();

        Assert.Equal(served.Where(i => (string?)i["status"] == "paid").Take(3).Select(i => i["id"]!.ToJsonString().Trim('"')), paid.Select(i => i.Id));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(10, null)]
    [InlineData(200_000, 200_000L)]
    [InlineData(3_000_000, 3_000_000L)]
    [InlineData(3_000_000, null)]
    [InlineData(5_000, 9_999_999L)]
    public async Task A_body_is_read_whole_whatever_its_size_and_declared_length(int size, long? declared)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)('a' + (i % 26))).ToArray();
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new TrickleContent(bytes, declared) };

        var body = await ResponseReader.ReadAsync(response, ResponseReader.DefaultMaxBytes, CancellationToken.None);

        Assert.Equal(bytes, body.ToArray());
        Assert.Same(body, ((BufferedContent)response.Content).Body);
        Assert.Equal(bytes, body.Retainable().ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' }, "{}")]
    [InlineData(new byte[] { (byte)'{', (byte)'}' }, "{}")]
    [InlineData(new byte[] { 0xEF, 0xBB }, "\uFFFD")]
    public async Task A_byte_order_mark_is_skipped_and_nothing_else(byte[] bytes, string expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };

        var body = await ResponseReader.ReadAsync(response, ResponseReader.DefaultMaxBytes, CancellationToken.None);

        Assert.Equal(expected, Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task A_disposed_response_gives_its_pooled_buffer_back_and_its_body_cannot_be_read()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"data\":[]}")) };
        var body = await ResponseReader.ReadAsync(response, ResponseReader.DefaultMaxBytes, CancellationToken.None);
        var kept = body.Retainable();

        response.Dispose();

        Assert.Throws<ObjectDisposedException>(() => body.Memory);
        Assert.Equal("{\"data\":[]}", Encoding.UTF8.GetString(kept.ToArray()));
    }

    /// <summary>A body sent in small pieces, with any Content-Length (or none).</summary>
    private sealed class TrickleContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly long? _declared;

        public TrickleContent(byte[] bytes, long? declared)
        {
            _bytes = bytes;
            _declared = declared;
            Headers.ContentLength = declared;
        }

        protected override async Task SerializeToStreamAsync(System.IO.Stream stream, TransportContext? context)
        {
            for (var i = 0; i < _bytes.Length; i += 7_919)
            {
                await stream.WriteAsync(_bytes.AsMemory(i, Math.Min(7_919, _bytes.Length - i)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _declared ?? 0;
            return _declared is not null;
        }
    }
}
