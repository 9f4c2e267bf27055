using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using static System.FormattableString;

namespace InvoiceTools.Http;

/// <summary>
/// The one place requests are retried: a Polly v8 pipeline around each idempotent request. It retries connection
/// failures, timeouts, 408, 429 and 5xx with exponential backoff and jitter; a provider's own wait hint always wins.
/// It stops at the attempt cap, or when the next wait would exceed the total-wait budget.
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private readonly RetryOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ResiliencePipeline<HttpResponseMessage> _once;
    private readonly SecretMask? _mask;

    public ResilienceHandler(RetryOptions options, TimeProvider time, HttpMessageHandler inner, SecretMask? mask = null)
        : base(inner)
    {
        _options = options;
        _mask = mask;
        _time = time;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result is { } response ? RetryHints.From(response, _time.GetUtcNow()) : null),
                OnRetry = args =>
                {
                    Report(args.Context, args.Outcome, args.RetryDelay, args.AttemptNumber);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        var once = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.AttemptTimeout > TimeSpan.Zero && options.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.AttemptTimeout);
            once.AddTimeout(options.AttemptTimeout);
        }

        _pipeline = builder.Build();

        // One attempt (retries off, or a request that is not idempotent) still gets the per-attempt timeout.
        _once = once.Build();
    }

    internal static bool IsRetryableStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or (HttpStatusCode)429 or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var tracking = RequestContext.Of(request);
        var retrying = _options.MaxAttempts > 1 && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TrackingKey, tracking);
        try
        {
            return await (retrying ? _pipeline : _once).ExecuteAsync(
                async (ctx, state) =>
                {
                    var attemptTracking = ctx.Properties.GetValue(TrackingKey, null);
                    if (attemptTracking is not null)
                    {
                        attemptTracking.FirstAttemptAt ??= state.Handler._time.GetUtcNow();
                        attemptTracking.Attempts++;
                    }

                    using var attempt = Clone(state.Request);
                    try
                    {
                        var response = await state.Handler.SendAndReadAsync(attempt, ctx.CancellationToken).ConfigureAwait(false);
                        state.Handler.Record(attemptTracking, Outcome.FromResult(response));
                        return response;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        state.Handler.Record(attemptTracking, Outcome.FromException<HttpResponseMessage>(ex));
                        throw;
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Record(tracking, Outcome.FromException<HttpResponseMessage>(ex));
            throw new HttpRequestException($"The request timed out after {Seconds(_options.AttemptTimeout)} (per-attempt timeout).", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Record(RequestContext? tracking, Outcome<HttpResponseMessage> outcome)
    {
        if (tracking is not null)
        {
            tracking.LastOutcome = Describe(outcome);
            tracking.LastOutcomeAt = _time.GetUtcNow();
        }
    }

    /// <summary>
    /// One attempt: the status line, then the whole body, inside the attempt's timeout, so that a connection dropped
    /// mid-body or a success answer that is not JSON counts as a failed attempt and is retried like any other.
    /// </summary>
    private async Task<HttpResponseMessage> SendAndReadAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await ResponseReader.ReadAsync(response, _options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            var mediaType = response.Content?.Headers.ContentType?.MediaType;
            if (_mask is not null)
            {
                // Everything a message can quote from a failed answer; an invoice page's data is left as it came.
                response.ReasonPhrase = _mask.Apply(response.ReasonPhrase);
                _mask.Apply(response.Headers);
                _mask.Apply(response.Content!.Headers);
                if (!response.IsSuccessStatusCode)
                {
                    var original = body.ToArray();
                    var masked = _mask.Apply(original);
                    if (!ReferenceEquals(masked, original))
                    {
                        body = ResponseReader.Replace(response, masked);
                    }
                }
            }

            if (response.IsSuccessStatusCode && request.Method != HttpMethod.Head && response.StatusCode != HttpStatusCode.NoContent
                && MalformedResponseException.Check(response.StatusCode, response.ReasonPhrase, mediaType, body.Memory) is { } malformed)
            {
                // The message quotes the start of the body: quote it masked.
                throw _mask is null ? malformed : MalformedResponseException.Check(response.StatusCode, response.ReasonPhrase, mediaType, _mask.Apply(body.ToArray())) ?? malformed;
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static readonly ResiliencePropertyKey<RequestContext?> TrackingKey = new("InvoiceTools.Tracking");

    private static string Seconds(TimeSpan value) => Invariant($"{value.TotalSeconds:0.###} s");

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null when outcome.Result is { } r => Invariant($"{(int)r.StatusCode} {r.ReasonPhrase}"),
        TimeoutRejectedException => "no answer within the per-attempt timeout",
        MalformedResponseException e => e.Message,
        ResponseTooLargeException e => e.Message,
        HttpRequestException e => $"network error: {e.InnerException?.Message ?? e.Message}",
        IOException e => $"connection dropped: {e.Message}",
        { } e => $"{e.GetType().Name}: {e.Message}",
        _ => "unknown outcome",
    };

    private static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var property in request.Properties)
        {
            clone.Properties[property.Key] = property.Value;
        }

        return clone;
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var tracking = context.Properties.GetValue(TrackingKey, null);
        Record(tracking, outcome);
        if (tracking is not null)
        {
            tracking.Throttled |= outcome.Result is { StatusCode: (HttpStatusCode)429 };
        }

        if (context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var retryable = outcome.Exception switch
        {
            null => outcome.Result is { } response && IsRetryableStatus(response.StatusCode) && !AuthenticationSignals.IsMissingLoginRoute(response),
            HttpRequestException or IOException or TimeoutRejectedException or MalformedResponseException => true,
            _ => false,
        };
        if (!retryable || tracking is null)
        {
            return retryable;
        }

        var hint = outcome.Result is { } r ? RetryHints.From(r, _time.GetUtcNow()) : null;
        var waited = tracking.TotalWait;
        if (hint is TimeSpan wait && waited + wait > _options.MaxTotalWait)
        {
            tracking.Verbose($"Not retrying: the provider asked to wait {Seconds(wait)}, which would exceed the {Seconds(_options.MaxTotalWait)} total-wait budget.");
            return false;
        }

        return waited < _options.MaxTotalWait;
    }

    private void Report(ResilienceContext context, Outcome<HttpResponseMessage> outcome, TimeSpan delay, int attemptNumber)
    {
        var tracking = context.Properties.GetValue(TrackingKey, null);
        if (tracking is null)
        {
            return;
        }

        tracking.TotalWait += delay;
        var hinted = outcome.Result is { } r && RetryHints.From(r, _time.GetUtcNow()) is not null;
        tracking.Verbose(
            Invariant($"Retry {attemptNumber + 1} of {_options.MaxAttempts - 1} for GET {tracking.DisplayUri} after {Describe(outcome)}; waiting {Seconds(delay)}{(hinted ? " as the provider asked." : " (exponential backoff with jitter).")}"));
    }
}
