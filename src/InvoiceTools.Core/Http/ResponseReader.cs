using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

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
    private const long InitialBufferLimit = 1024 * 1024;

    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content is null)
        {
            return Array.Empty<byte>();
        }

        if (response.Content is BufferedContent buffered)
        {
            return buffered.Bytes;
        }

        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw new ResponseTooLargeException(declared.Value, maxBytes);
        }

        // .NET Framework's stream reads check the token only before they start: disposing the response is what
        // stops a body that stalls halfway, for the per-attempt timeout and for Ctrl+C alike.
        using var stop = cancellationToken.Register(state => ((IDisposable)state!).Dispose(), response);
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var buffer = new MemoryStream(declared is long length and > 0 ? (int)Math.Min(length, InitialBufferLimit) : 16 * 1024);
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new ResponseTooLargeException(null, maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }

            return WithoutByteOrderMark(buffer);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is ObjectDisposedException or IOException or HttpRequestException)
        {
            throw new OperationCanceledException("The response body was abandoned.", ex, cancellationToken);
        }
    }

    /// <summary>The body's bytes without a UTF-8 byte order mark, which JSON (RFC 8259) forbids but some servers send.</summary>
    internal static byte[] WithoutByteOrderMark(MemoryStream buffer)
    {
        var bytes = buffer.GetBuffer();
        var length = (int)buffer.Length;
        var skip = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var body = new byte[length - skip];
        Buffer.BlockCopy(bytes, skip, body, 0, body.Length);
        return body;
    }
}

/// <summary>A body already read into memory by the retry handler (inside the attempt, so a dropped body is retried).</summary>
internal sealed class BufferedContent : ByteArrayContent
{
    public BufferedContent(byte[] bytes)
        : base(bytes) => Bytes = bytes;

    public byte[] Bytes { get; }
}

/// <summary>A body larger than the limit. Not an IOException: it is not retried.</summary>
internal sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException(long? declared, long limit)
        : base("The response body " + (declared is long d ? "declares " + d + " bytes, " : string.Empty) + "exceeds the " + limit + "-byte limit.")
    {
    }
}
