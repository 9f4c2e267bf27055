using System;
using System.Globalization;

namespace InvoiceTools.Sandbox;

/// <summary>A failure the emulator can inject in place of (or on top of) a normal answer.</summary>
public abstract class SandboxFault
{
    /// <summary>Produces the faulty answer; <paramref name="normal"/> computes the answer the API would have given.</summary>
    public abstract SandboxResponse Apply(SandboxRequest request, Func<SandboxResponse> normal);

    /// <summary>A bare HTTP status with an optional JSON body and Retry-After.</summary>
    public static SandboxFault Status(int statusCode, string? retryAfter = null, string? body = null) =>
        new StatusFault(statusCode, retryAfter, body);

    /// <summary>429 Too Many Requests with an optional Retry-After value (seconds or an HTTP date).</summary>
    public static SandboxFault RateLimited(string? retryAfter = null) =>
        new StatusFault(429, retryAfter, "{\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded. Slow down.\"}");

    /// <summary>429 with a Retry-After given as an HTTP date.</summary>
    public static SandboxFault RateLimitedUntil(DateTimeOffset until) =>
        RateLimited(until.ToString("r", CultureInfo.InvariantCulture));

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

        public override SandboxResponse Apply(SandboxRequest request, Func<SandboxResponse> normal)
        {
            var response = _body is null
                ? SandboxResponse.JsonObject(_statusCode, ("error", "Injected fault: HTTP " + _statusCode.ToString(CultureInfo.InvariantCulture)))
                : new SandboxResponse(_statusCode, System.Text.Encoding.UTF8.GetBytes(_body));
            if (_retryAfter is not null)
            {
                response.Headers["Retry-After"] = _retryAfter;
            }

            return response;
        }
    }
}
