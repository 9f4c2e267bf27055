using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InvoiceTools.Sandbox.Host;

/// <summary>Hosts an <see cref="InvoiceSandbox"/> on a real loopback socket with Kestrel.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, InvoiceSandbox sandbox, Uri baseUri)
    {
        _app = app;
        Sandbox = sandbox;
        BaseUri = baseUri;
    }

    /// <summary>The emulator being served.</summary>
    public InvoiceSandbox Sandbox { get; }

    /// <summary>The server root, for example http://127.0.0.1:5080/.</summary>
    public Uri BaseUri { get; }

    /// <summary>The base URI of one provider's API on this server (for example http://127.0.0.1:5080/revere).</summary>
    public Uri ApiBase(string apiName) => new(BaseUri, apiName);

    /// <summary>Starts serving <paramref name="sandbox"/> on 127.0.0.1:<paramref name="port"/> (0 picks a free port).</summary>
    public static async Task<SandboxServer> StartAsync(InvoiceSandbox sandbox, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(context => ServeAsync(sandbox, context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxServer(app, sandbox, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task ServeAsync(InvoiceSandbox sandbox, HttpContext context)
    {
        var request = context.Request;
        var uri = new Uri(request.Scheme + "://" + request.Host + request.PathBase + request.Path + request.QueryString);
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty)));
        SandboxResponse answer;
        try
        {
            answer = await sandbox.HandleAsync(new SandboxRequest(request.Method, uri, headers), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (answer.NeverAnswer)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        var response = context.Response;
        response.StatusCode = answer.StatusCode;
        if (answer.ContentType is not null)
        {
            response.ContentType = answer.ContentType;
        }

        foreach (var header in answer.Headers)
        {
            response.Headers[header.Key] = header.Value;
        }

        if (answer.ResetAfterBytes is int cut)
        {
            response.ContentLength = answer.Body.Length;
            await response.Body.WriteAsync(answer.Body.AsMemory(0, Math.Min(cut, answer.Body.Length))).ConfigureAwait(false);
            await response.Body.FlushAsync().ConfigureAwait(false);
            context.Features.Get<IHttpResetFeature>()?.Reset(0);
            context.Abort();
            return;
        }

        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body).ConfigureAwait(false);
    }
}
