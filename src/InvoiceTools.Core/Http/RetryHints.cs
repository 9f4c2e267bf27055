using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;

namespace InvoiceTools.Http;

/// <summary>
/// Reads how long a provider asked us to wait: <c>Retry-After</c> (seconds or HTTP date) on any answer, or Xendit's
/// <c>Rate-Limit-Reset</c> when it is a wait order, not just a quota report.
/// </summary>
internal static class RetryHints
{
    /// <summary>
    /// The wait the response asks for, or null when it gives no hint. <c>Rate-Limit-Reset</c> (seconds, fractions kept)
    /// counts only on a 429 or when <c>Rate-Limit-Remaining</c> is 0: Xendit sends both headers on every answer, and a
    /// 503 with quota left says when the quota window ends, not when the server will be back.
    /// </summary>
    public static TimeSpan? From(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response is null)
        {
            return null;
        }

        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is TimeSpan delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is DateTimeOffset date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        if ((response.StatusCode == (HttpStatusCode)429 || QuotaExhausted(response))
            && Number(response, "Rate-Limit-Reset") is double seconds
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    private static bool QuotaExhausted(HttpResponseMessage response) => Number(response, "Rate-Limit-Remaining") is double remaining && remaining <= 0;

    private static double? Number(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && !double.IsNaN(value)
            ? value
            : null;
}
