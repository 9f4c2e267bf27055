using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace InvoiceTools.Sandbox;

/// <summary>Serves an <see cref="InvoiceSandbox"/> in-process, behind <see cref="HttpClient"/>: no socket, no network.</summary>
public sealed class SandboxHttpHandler : HttpMessageHandler
{
    private readonly InvoiceSandbox _sandbox;

    /// <summary>Creates a handler over <paramref name="sandbox"/>.</summary>
    public SandboxHttpHandler(InvoiceSandbox sandbox) => _sandbox = sandbox ?? throw new ArgumentNullException(nameof(sandbox));

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();
        var sandboxRequest = new SandboxRequest(request.Method.Method, request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request)), headers);
        var answer = await _sandbox.HandleAsync(sandboxRequest, cancellationToken).ConfigureAwait(false);
        if (answer.NeverAnswer)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        var body = answer.ResetAfterBytes is int cut
            ? (HttpContent)new StreamContent(new ResettingStream(answer.Body, cut))
            : new ByteArrayContent(answer.Body);
        if (answer.ContentType is not null)
        {
            body.Headers.TryAddWithoutValidation("Content-Type", answer.ContentType);
        }

        var response = new HttpResponseMessage((HttpStatusCode)answer.StatusCode) { Content = body, RequestMessage = request };
        foreach (var header in answer.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                body.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return response;
    }

    /// <summary>A body stream that fails like a dropped connection after some bytes.</summary>
    private sealed class ResettingStream : MemoryStream
    {
        private readonly int _cut;

        public ResettingStream(byte[] body, int cut)
            : base(body, 0, Math.Min(body.Length, cut), writable: false) => _cut = cut;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read == 0 ? throw new IOException("The sandbox reset the connection after " + _cut + " bytes of the body.") : read;
        }
    }
}
