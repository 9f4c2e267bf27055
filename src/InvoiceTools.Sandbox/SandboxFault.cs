using System;
using System.Globalization;
using System.Text;

namespace InvoiceTools.Sandbox;

/// <summary>A failure the emulator can inject in place of (or on top of) a normal answer.</summary>
public abstract class SandboxFault
{
    /// <summary>
    /// Changes the emulated account before the answer (adds or removes invoices). It runs while no other request is
    /// being answered, so concurrent page requests see the data either before or after the change, never halfway.
    /// </summary>
    public virtual void Prepare(SandboxFaultContext context)
    {
    }

    /// <summary>Produces the faulty answer; <see cref="SandboxFaultContext.Normal"/> computes the answer the API would have given.</summary>
    public abstract SandboxResponse Apply(SandboxFaultContext context);

    /// <summary>A bare HTTP status with an optional JSON body and Retry-After.</summary>
    public static SandboxFault Status(int statusCode, string? retryAfter = null, string? body = null) =>
        new StatusFault(statusCode, retryAfter, body);

    /// <summary>429 Too Many Requests with an optional Retry-After value (seconds or an HTTP date).</summary>
    public static SandboxFault RateLimited(string? retryAfter = null) =>
        new StatusFault(429, retryAfter, "{\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded. Slow down.\"}");

    /// <summary>429 with a Retry-After given as an HTTP date.</summary>
    public static SandboxFault RateLimitedUntil(DateTimeOffset until) =>
        RateLimited(until.ToString("r", CultureInfo.InvariantCulture));

    /// <summary>A 200 answer with this body and content type instead of the page.</summary>
    public static SandboxFault Body(string body, string? contentType) => new Answer(_ => new SandboxResponse(200, Encoding.UTF8.GetBytes(body ?? string.Empty), contentType!));

    /// <summary>A fault computed from the request and the normal answer.</summary>
    public static SandboxFault From(Func<SandboxFaultContext, SandboxResponse> answer) => new Answer(answer ?? throw new ArgumentNullException(nameof(answer)));

    private sealed class Answer : SandboxFault
    {
        private readonly Func<SandboxFaultContext, SandboxResponse> _answer;

        public Answer(Func<SandboxFaultContext, SandboxResponse> answer) => _answer = answer;

        public override SandboxResponse Apply(SandboxFaultContext context) => _answer(context);
    }

    private sealed class StatusFault : SandboxFault
    {
        private readonly int _statusCode;
        private readonly string? _retryAfter;
        private readonly string? _body;

        public StatusFault(int statusCode, string? retryAfter, string? body)
        {
            _statusCode = statusCode;
            _retryAfter = retryAfter;
            _body = body;
        }

        public override SandboxResponse Apply(SandboxFaultContext context)
        {
            var response = _body is null
                ? SandboxResponse.JsonObject(_statusCode, ("error", "Injected fault: HTTP " + _statusCode.ToString(CultureInfo.InvariantCulture)))
                : new SandboxResponse(_statusCode, Encoding.UTF8.GetBytes(_body));
            if (_retryAfter is not null)
            {
                response.Headers["Retry-After"] = _retryAfter;
            }

            return response;
        }
    }
}

/// <summary>What a fault knows about the request it answers.</summary>
public sealed class SandboxFaultContext
{
    private readonly Func<SandboxRequest, SandboxResponse> _answer;

    internal SandboxFaultContext(SandboxRequest request, SandboxRequest? previous, SandboxApi api, DateTimeOffset now, Func<SandboxRequest, SandboxResponse> answer)
    {
        Request = request;
        Previous = previous;
        Api = api;
        Now = now;
        _answer = answer;
    }

    /// <summary>The request being answered.</summary>
    public SandboxRequest Request { get; }

    /// <summary>The request to the same API received just before this one, if any.</summary>
    public SandboxRequest? Previous { get; }

    /// <summary>The provider API the request is for.</summary>
    public SandboxApi Api { get; }

    /// <summary>The emulator's clock (<see cref="SandboxOptions.Clock"/>).</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The answer the API gives to <paramref name="request"/> without any fault.</summary>
    public SandboxResponse AnswerTo(SandboxRequest request) => _answer(request);

    /// <summary>The answer the API gives to this request without any fault.</summary>
    public SandboxResponse Normal() => _answer(Request);
}
