using System;
using System.Net.Http;

namespace InvoiceTools.Http;

/// <summary>Per-request bookkeeping shared by the engine and the handlers: where to tell about retries, and what happened.</summary>
internal sealed class RequestContext
{
    private const string PropertyName = "InvoiceTools.RequestContext";

    /// <param name="verbose">Where retry decisions are told (the engine's observer, for -Verbose).</param>
    /// <param name="displayUri">The URL with secrets removed.</param>
    public RequestContext(Action<string> verbose, string displayUri)
    {
        Verbose = verbose;
        DisplayUri = displayUri;
    }

    /// <summary>Tells a retry decision under -Verbose.</summary>
    public Action<string> Verbose { get; }

    /// <summary>The URL with secrets removed, for messages.</summary>
    public string DisplayUri { get; }

    public int Attempts { get; set; }

    public TimeSpan TotalWait { get; set; }

    public DateTimeOffset? FirstAttemptAt { get; set; }

    /// <summary>When the last attempt's outcome was known.</summary>
    public DateTimeOffset? LastOutcomeAt { get; set; }

    /// <summary>From the first attempt to the last outcome, waits included.</summary>
    public TimeSpan Duration => FirstAttemptAt is DateTimeOffset first && LastOutcomeAt is DateTimeOffset last && last > first ? last - first : TimeSpan.Zero;

    /// <summary>What the last attempt ended with, in words ("429 Too Many Requests", "connection reset").</summary>
    public string? LastOutcome { get; set; }

    /// <summary>True once any attempt was answered 429: the caller should ask for less at a time.</summary>
    public bool Throttled { get; set; }

    public static RequestContext? Of(HttpRequestMessage request) =>
        request.Properties.TryGetValue(PropertyName, out var value) ? value as RequestContext : null;

    public void AttachTo(HttpRequestMessage request) => request.Properties[PropertyName] = this;
}
