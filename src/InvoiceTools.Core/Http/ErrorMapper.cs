using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using static System.FormattableString;

namespace InvoiceTools.Http;

/// <summary>The one place HTTP failures become typed exceptions: 401/403 authentication, 404 not found, 400/422 validation, 429 rate limit, the rest API errors.</summary>
internal static class ErrorMapper
{
    private static readonly string[] RequestIdHeaders = { "x-request-id", "request-id", "x-correlation-id", "cf-ray", "x-amzn-requestid" };

    /// <summary>The typed exception for a failed answer; <paramref name="mask"/> hides the connection's key in what the provider said (after JSON unescaping, so "\/" or "\u002B" in the body hide nothing).</summary>
    public static InvoiceToolsException FromResponse(IErrorSource provider, HttpResponseMessage response, byte[] body, RequestContext context, DateTimeOffset now, SecretMask? mask = null)
    {
        var d = provider;
        var status = response.StatusCode;
        var error = body.Length == 0 ? ProviderError.None : provider.ParseError(body);
        if (mask is not null)
        {
            error = new ProviderError(mask.Apply(error.Code), mask.Apply(error.Message), error.Details.Select(t => mask.Apply(t)!).ToList());
        }

        string? said = string.Join(": ", new[] { error.Code, error.Message }.Where(t => !string.IsNullOrEmpty(t)));
        if (error.Details.Count > 0 && !string.Equals(error.Details[0], error.Message, StringComparison.Ordinal))
        {
            said = $"{said} ({string.Join("; ", error.Details)})".TrimStart();
        }

        if (said!.Length == 0)
        {
            said = null;
        }

        var statusText = Invariant($"{(int)status} {response.ReasonPhrase}");
        var message = said is null
            ? $"{d.DisplayName} answered {statusText} to GET {context.DisplayUri}{AfterAttempts(context)}."
            : $"{d.DisplayName} answered {statusText} to GET {context.DisplayUri}{AfterAttempts(context)}: {Sanitize(said)}";
        var requestId = RequestIdHeaders.Select(h => response.Headers.TryGetValues(h, out var v) ? v.FirstOrDefault() : null).FirstOrDefault(v => v is not null);

        var loginRedirect = AuthenticationSignals.IsLoginRedirect(response);
        if (loginRedirect || AuthenticationSignals.IsMissingLoginRoute(response, body))
        {
            var why = loginRedirect
                ? $"redirected to a login page ({Redactor.Url(response.Headers.Location)})"
                : "failed looking for its login page (\"Route [login] not defined.\")";
            return Stamp(
                new InvoiceAuthenticationException($"{d.DisplayName} answered {statusText} to GET {context.DisplayUri}: it {why}, which is how a Laravel app turns away a request whose API key it did not accept.")
                {
                    RecommendedAction = $"Check the API key for {d.DisplayName} (a key from another environment, revoked, or without API access), then run Connect-InvoiceProvider again.",
                },
                provider,
                context,
                status,
                error,
                requestId);
        }

        InvoiceToolsException exception = (int)status switch
        {
            401 or 403 => new InvoiceAuthenticationException(message)
            {
                RecommendedAction = $"Check the API key (and its permissions) for {d.DisplayName}, then run Connect-InvoiceProvider again.",
            },
            404 => new InvoiceNotFoundException(message)
            {
                RecommendedAction = "Check the connection's base URI and account settings (for example -GroupId).",
            },
            400 or 422 => new InvoiceValidationException(message)
            {
                RecommendedAction = "Check the filters; the provider's details say which one it rejected.",
            },
            429 => new InvoiceRateLimitException(message)
            {
                RetryAfter = RetryHints.From(response, now),
                RecommendedAction = "Wait and run the command again, or use a smaller query.",
            },
            >= 300 and < 400 => new InvoiceApiException($"{message} The provider redirected to {Redactor.Url(response.Headers.Location)}; redirects are not followed so that credentials never leave the connection's host.")
            {
                RecommendedAction = "Reconnect with the provider's current -BaseUri.",
            },
            _ => new InvoiceApiException(message)
            {
                RecommendedAction = ResilienceHandler.IsRetryableStatus(status) ? "The provider is failing; try again later." : "Check the request; if it looks right, contact the provider with the request id.",
            },
        };

        return Stamp(exception, provider, context, status, error, requestId);
    }

    public static T Stamp<T>(T exception, IErrorSource provider, RequestContext context, HttpStatusCode? status = null, ProviderError? error = null, string? requestId = null)
        where T : InvoiceToolsException
    {
        exception.Provider = provider.Kind;
        exception.RequestUri = context.DisplayUri;
        exception.StatusCode = status;
        exception.ProviderErrorCode = error?.Code;
        exception.ProviderMessage = error?.Message is null ? null : Sanitize(error.Message);
        exception.Details = error?.Details.Select(Sanitize).ToArray() ?? Array.Empty<string>();
        exception.RequestId = requestId;
        exception.Attempts = context.Attempts;
        exception.Elapsed = context.Duration;
        exception.LastResponse = context.LastOutcome;
        return exception;
    }

    /// <summary>" after 5 attempts over 31.2 s (31 s of it waiting)"; empty after a single attempt unless <paramref name="always"/>.</summary>
    public static string AfterAttempts(RequestContext context, bool always = false)
    {
        if (context.Attempts <= 1 && !always)
        {
            return string.Empty;
        }

        return context.Attempts > 1
            ? Invariant($" after {context.Attempts} attempts over {Seconds(context.Duration)} ({Seconds(context.TotalWait)} of it waiting between attempts)")
            : Invariant($" after {context.Attempts} attempt{(context.Attempts == 1 ? string.Empty : "s")}");
    }

    private static string Seconds(TimeSpan value) => Invariant($"{value.TotalSeconds:0.0} s");

    /// <summary>The first <paramref name="bytes"/> bytes of a body as sanitized text, with "…" when there is more.</summary>
    public static string Start(ReadOnlySpan<byte> body, int bytes)
    {
        var text = Encoding.UTF8.GetString(body.Slice(0, Math.Min(body.Length, bytes)).ToArray());
        return Sanitize(text) + (body.Length > bytes ? "…" : string.Empty);
    }

    /// <summary>Provider text goes into messages as data: control characters are removed and the length is capped.</summary>
    public static string Sanitize(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c) || c == ' ').ToArray());
        return clean.Length > 500 ? $"{clean.Substring(0, 500)}…" : clean;
    }
}
