using System;
using System.Globalization;
using static System.FormattableString;

namespace InvoiceTools.Http;

/// <summary>How hard the module tries before it gives up on a request.</summary>
public sealed record RetryOptions
{
    /// <summary>5 attempts, at most 2 minutes of waiting, 100 seconds per attempt.</summary>
    public static readonly RetryOptions Default = new();

    /// <summary>Attempts per request, the first included (1 turns retries off).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The most time spent waiting between attempts of one request.</summary>
    public TimeSpan MaxTotalWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one attempt may take before it counts as a timeout.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The largest response body accepted; larger ones are refused, not retried.</summary>
    public long MaxResponseBytes { get; init; } = ResponseReader.DefaultMaxBytes;

    /// <summary>The first backoff delay; later ones double, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest single backoff delay when the provider gives no hint.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The session-wide default for attempts per request (whole number, 1–10).</summary>
    public const string MaxAttemptsVariable = "INVOICETOOLS_MAX_ATTEMPTS";

    /// <summary>The session-wide default for the total wait between attempts, in seconds (0–3600).</summary>
    public const string MaxRetryWaitVariable = "INVOICETOOLS_MAX_RETRY_WAIT_SECONDS";

    /// <summary>The session-wide default for the per-attempt timeout, in seconds (1–3600).</summary>
    public const string TimeoutVariable = "INVOICETOOLS_TIMEOUT_SECONDS";

    /// <summary>The longest per-attempt timeout accepted, in seconds.</summary>
    public const int MostTimeoutSeconds = 3600;

    /// <summary>The largest number of attempts accepted.</summary>
    public const int MostAttempts = 10;

    /// <summary>The largest total wait accepted, in seconds.</summary>
    public const int MostRetryWaitSeconds = 3600;

    /// <summary>
    /// These options with the connection's own limits applied, or, where the connection gives none, the session's
    /// environment variables (<see cref="MaxAttemptsVariable"/>, <see cref="MaxRetryWaitVariable"/>). A value out of
    /// range fails with the accepted range, naming where it came from.
    /// </summary>
    public RetryOptions With(int? maxAttempts, int? maxRetryWaitSeconds, Func<string, string?> environment, int? timeoutSeconds = null)
    {
        if (environment is null)
        {
            throw new ArgumentNullException(nameof(environment));
        }

        var attempts = Resolve(maxAttempts, "-MaxAttempts", MaxAttemptsVariable, 1, MostAttempts, environment) ?? MaxAttempts;
        var wait = Resolve(maxRetryWaitSeconds, "-MaxRetryWaitSeconds", MaxRetryWaitVariable, 0, MostRetryWaitSeconds, environment);
        var timeout = Resolve(timeoutSeconds, "-TimeoutSeconds", TimeoutVariable, 1, MostTimeoutSeconds, environment);
        return this with
        {
            MaxAttempts = attempts,
            MaxTotalWait = wait is int seconds ? TimeSpan.FromSeconds(seconds) : MaxTotalWait,
            AttemptTimeout = timeout is int limit ? TimeSpan.FromSeconds(limit) : AttemptTimeout,
        };
    }

    private static int? Resolve(int? given, string parameter, string variable, int min, int max, Func<string, string?> environment)
    {
        var range = Invariant($"{min} to {max}");
        if (given is int value)
        {
            return value >= min && value <= max
                ? value
                : throw new InvoiceConfigurationException(Invariant($"{parameter} {value} is out of range."), $"Use {range}.") { ParameterName = parameter.TrimStart('-') };
        }

        var text = environment(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        throw new InvoiceConfigurationException(
            $"The environment variable {variable} is '{text}', which is not a whole number from {range}.",
            $"Set {variable} to a whole number from {range}, or remove it to use the default.") { ParameterName = parameter.TrimStart('-') };
    }
}
