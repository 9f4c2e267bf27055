using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;

namespace InvoiceTools.Http;

/// <summary>Reads how long a provider asked us to wait: <c>Retry-After</c> (seconds or HTTP date), or Xendit's <c>Rate-Limit-Reset</c>.</summary>
internal static class RetryHints
{
    /// <summary>The wait the response asks for, or null when it gives no hint.</summary>
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

        if (response.Headers.TryGetValues("Rate-Limit-Reset", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }
}
