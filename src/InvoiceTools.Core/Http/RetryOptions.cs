using System;

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

    /// <summary>The first backoff delay; later ones double, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest single backoff delay when the provider gives no hint.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}
