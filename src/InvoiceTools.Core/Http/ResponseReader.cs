using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using static System.FormattableString;

namespace InvoiceTools.Http;

/// <summary>Reads a response body into memory, refusing bodies over a size limit.</summary>
internal static class ResponseReader
{
    /// <summary>64 MiB: far above any real page, far below what would hurt a 400 MB Azure Automation sandbox.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The deepest JSON nesting read, in levels: far beyond any invoice (about 5) and well within the stack.
    /// System.Text.Json's default of 64 made valid bodies look cut short.
    /// </summary>
    public const int MaxJsonDepth = 256;

    /// <summary>How every response body is read: comments skipped, nesting up to <see cref="MaxJsonDepth"/>.</summary>
    public static JsonReaderOptions JsonOptions { get; } = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxJsonDepth };

    /// <summary>A declared length is trusted only this far up front, so a lying header cannot reserve 64 MiB per page.</summary>
    private const long InitialBufferLimit = ResponseBody.PooledLimit;

    /// <summary>
    /// Reads the whole body into a buffer rented from the shared pool, replaces the response's content with it
    /// (<see cref="BufferedContent"/>, so disposing the response returns the buffer) and returns it. A body already
    /// read is returned as it is. Pooled buffers mean no large-object allocation per page in the steady state, and a
    /// big body is held once, not copied while it grows and again when done. A UTF-8 byte order mark is skipped.
    /// Throws <see cref="ResponseTooLargeException"/> past <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<ResponseBody> ReadAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content is BufferedContent buffered)
        {
            return buffered.Body;
        }

        if (response.Content is null)
        {
            response.Content = new BufferedContent(ResponseBody.Empty);
            return ResponseBody.Empty;
        }

        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw new ResponseTooLargeException(declared.Value, maxBytes);
        }

        // .NET Framework's stream reads check the token only before they start: disposing the response is what
        // stops a body that stalls halfway, for the per-attempt timeout and for Ctrl+C alike.
        using var stop = cancellationToken.Register(state => ((IDisposable)state!).Dispose(), response);
        var body = new ResponseBody(declared is long length and > 0 ? (int)Math.Min(length, InitialBufferLimit) : ResponseBody.FirstSize, declared);
        try
        {
            using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                int read;

                // With a Content-Length, HTTP's framing ends the body: stop there instead of growing for an end-of-stream read.
                while (!(declared is long expected && body.WriteOffset >= expected)
                    && (read = await stream.ReadAsync(body.FreeSpace(), body.WriteOffset, body.FreeCount, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    body.Advance(read);
                    if (body.Length > maxBytes)
                    {
                        throw new ResponseTooLargeException(null, maxBytes);
                    }
                }
            }

            body.Complete();
            var content = new BufferedContent(body);
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content.Dispose();
            response.Content = content;
            return body;
        }
        catch (Exception ex)
        {
            body.Dispose();
            if (cancellationToken.IsCancellationRequested && ex is ObjectDisposedException or IOException or HttpRequestException)
            {
                throw new OperationCanceledException("The response body was abandoned.", ex, cancellationToken);
            }

            throw;
        }
    }

    /// <summary>Replaces the response's body with <paramref name="bytes"/> (a masked copy) and returns it.</summary>
    public static ResponseBody Replace(HttpResponseMessage response, byte[] bytes)
    {
        var body = ResponseBody.Wrap(bytes);
        var content = new BufferedContent(body);
        if (response.Content is { } original)
        {
            foreach (var header in original.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            original.Dispose();
        }

        response.Content = content;
        return body;
    }
}

/// <summary>
/// A response body in a buffer rented from <see cref="ArrayPool{T}.Shared"/>. Its owner (the response's
/// <see cref="BufferedContent"/>) returns the buffer when the response is disposed; nothing may read it after that,
/// so whatever outlives the response (an invoice's raw JSON, an error's text) is copied out first.
/// </summary>
internal sealed class ResponseBody : IDisposable
{
    /// <summary>
    /// Buffers up to 4 MiB come from the shared pool: every page of a paged provider (1,000 Revere invoices are about
    /// 1.9 MB), so the steady state allocates no large object per page. A larger body gets an array of its own, sized
    /// from its Content-Length once that much has arrived: the pool would keep it for the life of the process, and a
    /// large list's page keeps it (<see cref="Retainable"/>).
    /// </summary>
    public const int PooledLimit = 4 * 1024 * 1024;

    /// <summary>The first buffer of a body that declares no length, and the least a buffer grows by.</summary>
    internal const int FirstSize = 16 * 1024;

    private readonly long? _declared;
    private bool _pooled;
    private byte[]? _buffer;
    private int _start;
    private int _end;

    /// <summary>A buffer of at least <paramref name="capacity"/> bytes, for a body that declares <paramref name="declared"/> bytes.</summary>
    public ResponseBody(int capacity, long? declared = null)
    {
        _declared = declared;
        _pooled = capacity is > 0 and <= PooledLimit;
        _buffer = capacity == 0 ? Array.Empty<byte>() : _pooled ? ArrayPool<byte>.Shared.Rent(capacity) : new byte[capacity];
    }

    private ResponseBody(byte[] bytes)
    {
        _buffer = bytes;
        _end = bytes.Length;
    }

    /// <summary>A body over <paramref name="bytes"/> as they are (not pooled).</summary>
    public static ResponseBody Wrap(byte[] bytes) => new(bytes ?? throw new ArgumentNullException(nameof(bytes)));

    /// <summary>A body with no bytes, never returned to the pool.</summary>
    public static ResponseBody Empty { get; } = new(0);

    /// <summary>The body's length in bytes, without a byte order mark.</summary>
    public int Length => _end - _start;

    /// <summary>The body's bytes; valid until the response is disposed.</summary>
    public ReadOnlyMemory<byte> Memory => new(Buffer, _start, _end - _start);

    /// <summary>The body's bytes as a span; valid until the response is disposed.</summary>
    public ReadOnlySpan<byte> Span => new(Buffer, _start, _end - _start);

    internal int FreeCount => Buffer.Length - _end;

    internal int WriteOffset => _end;

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(ResponseBody), "The response body was read after its response was disposed.");

    /// <summary>A copy of the bytes that outlives the response.</summary>
    public byte[] ToArray() => Span.ToArray();

    /// <summary>The bytes, valid after the response is disposed: the body's own array when it is not pooled, else a copy.</summary>
    public ReadOnlyMemory<byte> Retainable() => _pooled ? ToArray() : Memory;

    /// <summary>The buffer to read into next, growing it when it is full.</summary>
    internal byte[] FreeSpace()
    {
        var buffer = Buffer;
        if (_end < buffer.Length)
        {
            return buffer;
        }

        // Twice the size; once past the pooled limit, what the body declares (data has arrived to back the claim).
        var size = Math.Max(FirstSize, buffer.Length * 2L);
        if (size > PooledLimit && _declared is long declared && declared > _end)
        {
            size = Math.Max(declared, _end + FirstSize);
        }

        var size32 = (int)Math.Min(size, int.MaxValue - 64);
        var pooled = size32 <= PooledLimit;
        var larger = pooled ? ArrayPool<byte>.Shared.Rent(size32) : new byte[size32];
        System.Buffer.BlockCopy(buffer, 0, larger, 0, _end);
        if (_pooled)
        {
            Return(buffer);
        }

        _buffer = larger;
        _pooled = pooled;
        return larger;
    }

    internal void Advance(int count) => _end += count;

    /// <summary>Skips a UTF-8 byte order mark, which JSON (RFC 8259) forbids but some servers send.</summary>
    internal void Complete()
    {
        var buffer = Buffer;
        if (_end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
        {
            _start = 3;
        }
    }

    /// <summary>Returns a pooled buffer to the pool; the body cannot be read afterwards.</summary>
    public void Dispose()
    {
        if (!ReferenceEquals(this, Empty) && Interlocked.Exchange(ref _buffer, null) is { } buffer && _pooled)
        {
            Return(buffer);
        }
    }

    private static void Return(byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A body already read into a pooled buffer by the retry handler (inside the attempt, so a dropped body is retried).</summary>
internal sealed class BufferedContent : HttpContent
{
    public BufferedContent(ResponseBody body) => Body = body;

    /// <summary>The body; it goes back to the pool when this content is disposed.</summary>
    public ResponseBody Body { get; }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        var segment = Body.ToArray();
        return stream.WriteAsync(segment, 0, segment.Length);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Body.Length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Body.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A body larger than the limit. Not an IOException: it is not retried.</summary>
internal sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException(long? declared, long limit)
        : base(declared is long d ? Invariant($"The response body declares {d} bytes, exceeds the {limit}-byte limit.") : Invariant($"The response body exceeds the {limit}-byte limit."))
    {
    }
}
