using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// One test per row of the reliability matrix (docs/reliability.md), over the loopback sandbox on an injected clock.
/// Each run reads the same data set twice: once clean for the expected list, once with the fault on the second request.
/// Paging is sequential so that the requests and the prefix before an error are exact.
/// </summary>
public sealed class FaultMatrixTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(17);

    /// <summary>Retries with a real per-attempt timeout; the clock holds that timeout's timers until a test fires them.</summary>
    private static RetryOptions Retry(LoopbackSandbox host, int attempts = 5)
    {
        host.Clock.Hold = AttemptTimeout;
        return new() { MaxAttempts = attempts, AttemptTimeout = AttemptTimeout };
    }

    [Fact]
    public async Task Added_latency_slows_each_answer_and_changes_nothing_else()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250, Latency = TimeSpan.FromMilliseconds(30) });
        var expected = await Baseline(host, () => host.ConnectRevere(paging: PagingOptions.Sequential));
        using var connection = host.ConnectRevere(retry: Retry(host), paging: PagingOptions.Sequential);
        var started = DateTimeOffset.UtcNow;

        var run = await Run(connection);

        Assert.Null(run.Error);
        Assert.Equal(expected, run.Ids);
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=200" }, host.Queries);
        Assert.Empty(host.Clock.Delays);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(90), "three answers of 30 ms each");
    }

    [Fact]
    public async Task Rate_limit_with_retry_after_seconds_waits_exactly_that_long()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.RateLimitedRetryAfterSeconds);

        run.AssertRecovered();
        Assert.Equal(new[] { TimeSpan.FromSeconds(2) }, run.Host.Clock.Delays);
        Assert.Contains(run.Observer.Verbose, m => m.Contains("Retry 1 of 4 for GET", StringComparison.Ordinal) && m.Contains("after 429 Too Many Requests; waiting 2 s as the provider asked.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rate_limit_with_retry_after_date_waits_until_that_date()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.RateLimitedRetryAfterDate);

        run.AssertRecovered();
        Assert.Equal(new[] { TimeSpan.FromSeconds(3) }, run.Host.Clock.Delays);
        Assert.Contains(run.Observer.Verbose, m => m.Contains("waiting 3 s as the provider asked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rate_limit_with_xendit_rate_limit_reset_waits_as_the_header_says()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 250 });
        var query = new InvoiceQuery { PageSize = 100 };
        var expected = await Baseline(host, () => host.ConnectXendit(paging: PagingOptions.Sequential), query);
        using var connection = host.ConnectXendit(paging: PagingOptions.Sequential);
        host.Sandbox.InjectFault(SandboxFaultKind.RateLimitedResetHeader, api: XenditApi.DirectApiName, afterRequests: 1);
        var observer = new RecordingObserver();

        var run = await Run(connection, query, observer);

        Assert.Null(run.Error);
        Assert.Equal(expected, run.Ids);
        Assert.Equal(4, host.Queries.Count);
        Assert.Equal(host.Queries[1], host.Queries[2]);
        Assert.Equal(new[] { TimeSpan.FromSeconds(1.5) }, host.Clock.Delays);
        Assert.Contains(observer.Verbose, m => m.Contains("waiting 1.5 s as the provider asked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quota_headers_on_a_503_with_quota_left_are_not_a_wait_order()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 250 });
        var query = new InvoiceQuery { PageSize = 100 };
        var expected = await Baseline(host, () => host.ConnectXendit(paging: PagingOptions.Sequential), query);
        using var connection = host.ConnectXendit(paging: PagingOptions.Sequential);
        host.Sandbox.InjectFault(SandboxFaultKind.ServiceUnavailableWithQuotaHeaders, api: XenditApi.DirectApiName, afterRequests: 1);
        var observer = new RecordingObserver();

        var run = await Run(connection, query, observer);

        Assert.Null(run.Error);
        Assert.Equal(expected, run.Ids);
        Assert.Equal(4, host.Queries.Count);
        Assert.Equal(host.Queries[1], host.Queries[2]);
        var wait = Assert.Single(host.Clock.Delays);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), RetryOptions.Default.MaxDelay);
        Assert.Contains(observer.Verbose, m => m.Contains("after 503 Service Unavailable", StringComparison.Ordinal) && m.Contains("(exponential backoff with jitter)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quota_headers_on_a_persisting_503_use_every_attempt_instead_of_the_wait_budget()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { XenditInvoiceCount = 250 });
        var query = new InvoiceQuery { PageSize = 100 };
        var expected = await Baseline(host, () => host.ConnectXendit(paging: PagingOptions.Sequential), query);
        using var connection = host.ConnectXendit(paging: PagingOptions.Sequential, retry: new RetryOptions { AttemptTimeout = System.Threading.Timeout.InfiniteTimeSpan });
        host.Sandbox.InjectFault(SandboxFaultKind.ServiceUnavailableWithQuotaHeaders, times: 10, api: XenditApi.DirectApiName, afterRequests: 1);

        var run = await Run(connection, query);

        // Read as wait orders, the 59.5 s resets spent the 120 s budget in two waits and stopped after 3 attempts.
        Assert.Equal(expected.Take(100), run.Ids);
        var error = Assert.IsType<InvoiceApiException>(run.Error);
        Assert.Equal(5, error.Attempts);
        Assert.Equal(6, host.Queries.Count);
        Assert.Equal(4, host.Clock.Delays.Count);
        Assert.All(host.Clock.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), RetryOptions.Default.MaxDelay));
        Assert.Equal("503 Service Unavailable", error.LastResponse);
    }

    /// <summary>Status, Retry-After, Rate-Limit-Remaining, Rate-Limit-Reset, and the wait expected in seconds (null: backoff with jitter).</summary>
    public static TheoryData<int, string?, string?, string?, double?> RateLimitHeaderCases => new()
    {
        { 503, null, "599", "59.5", null },
        { 502, null, "12", "45", null },
        { 500, null, null, "31.25", null },
        { 504, null, "not a number", "40", null },
        { 503, null, "0", "2.5", 2.5 },
        { 500, null, "0.0", "4", 4 },
        { 429, null, "599", "1.5", 1.5 },
        { 429, null, null, "0.25", 0.25 },
        { 503, "2", "599", "59.5", 2 },
    };

    [Theory]
    [MemberData(nameof(RateLimitHeaderCases))]
    public async Task Rate_limit_reset_is_a_wait_only_on_a_429_or_with_no_quota_left(int status, string? retryAfter, string? remaining, string? reset, double? expectedSeconds)
    {
        var headers = new List<(string, string)>();
        foreach (var (name, value) in new[] { ("Retry-After", retryAfter), ("Rate-Limit-Remaining", remaining), ("Rate-Limit-Reset", reset) })
        {
            if (value is not null)
            {
                headers.Add((name, value));
            }
        }

        await using var run = await RevereWithFault(SandboxFaultMatrix.WithHeaders(status, headers.ToArray()));

        run.AssertRecovered();
        var wait = Assert.Single(run.Host.Clock.Delays);
        if (expectedSeconds is double seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
            Assert.Contains(run.Observer.Verbose, m => m.Contains("as the provider asked.", StringComparison.Ordinal));
        }
        else
        {
            Assert.InRange(wait, TimeSpan.FromMilliseconds(1), RetryOptions.Default.MaxDelay);
            Assert.Contains(run.Observer.Verbose, m => m.Contains("(exponential backoff with jitter).", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Rate_limit_with_no_hint_backs_off_with_jitter()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { Revolv3InvoiceCount = 250 });
        var expected = await Baseline(host, () => host.ConnectRevolv3(paging: PagingOptions.Sequential));
        using var connection = host.ConnectRevolv3(retry: Retry(host), paging: PagingOptions.Sequential);
        host.Sandbox.InjectFault(SandboxFaultKind.RateLimitedNoHint, api: Revolv3Api.ApiName, afterRequests: 1);
        var observer = new RecordingObserver();

        var run = await Run(connection, observer: observer);

        Assert.Null(run.Error);
        Assert.Equal(expected, run.Ids);
        Assert.Equal(4, host.Queries.Count);
        Assert.Equal(host.Queries[1], host.Queries[2]);
        var wait = Assert.Single(host.Clock.Delays);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), RetryOptions.Default.MaxDelay);
        Assert.Contains(observer.Verbose, m => m.Contains("after 429 Too Many Requests", StringComparison.Ordinal) && m.Contains("(exponential backoff with jitter)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SandboxFaultKind.InternalServerError, "500 Internal Server Error")]
    [InlineData(SandboxFaultKind.BadGateway, "502 Bad Gateway")]
    [InlineData(SandboxFaultKind.ServiceUnavailable, "503 Service Unavailable")]
    [InlineData(SandboxFaultKind.GatewayTimeout, "504 Gateway Timeout")]
    public async Task Server_error_once_is_retried_after_a_backoff(SandboxFaultKind kind, string status)
    {
        await using var run = await RevereWithFault(kind);

        run.AssertRecovered();
        var wait = Assert.Single(run.Host.Clock.Delays);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), RetryOptions.Default.MaxDelay);
        Assert.Contains(run.Observer.Verbose, m => m.Contains("Retry 1 of 4", StringComparison.Ordinal) && m.Contains("after " + status + ";", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connection_reset_mid_body_is_retried()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.ResetMidBody);

        run.AssertRecovered();
        Assert.Single(run.Host.Clock.Delays);
        Assert.Contains(run.Observer.Verbose, m => m.Contains("Retry 1 of 4", StringComparison.Ordinal) && (m.Contains("connection dropped", StringComparison.Ordinal) || m.Contains("network error", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Server_that_never_answers_times_out_per_attempt_and_is_retried()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250 });
        var expected = await Baseline(host, () => host.ConnectRevere(paging: PagingOptions.Sequential));
        using var connection = host.ConnectRevere(retry: Retry(host), paging: PagingOptions.Sequential);
        host.Sandbox.InjectFault(SandboxFaultKind.NoAnswer, api: RevereApi.ApiName, afterRequests: 1);
        var observer = new RecordingObserver();

        var running = Run(connection, observer: observer);
        await Eventually(() => host.Sandbox.Requests.Count >= 2 && host.Clock.HeldCount == 1, () => "requests " + host.Sandbox.Requests.Count + ", held " + host.Clock.HeldCount);
        Assert.Equal(1, host.Clock.FireHeld());
        var run = await running;

        Assert.Null(run.Error);
        Assert.Equal(expected, run.Ids);
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=100", "limit=100&offset=200" }, host.Queries);
        Assert.Single(host.Clock.Delays);
        Assert.Contains(observer.Verbose, m => m.Contains("Retry 1 of 4", StringComparison.Ordinal) && m.Contains("no answer within the per-attempt timeout", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SandboxFaultKind.TruncatedJson, "not complete JSON")]
    [InlineData(SandboxFaultKind.HtmlErrorPage, "'text/html'")]
    [InlineData(SandboxFaultKind.EmptyBody, "an empty body")]
    public async Task Success_status_with_a_body_that_is_not_json_is_retried(SandboxFaultKind kind, string reason)
    {
        await using var run = await RevereWithFault(kind);

        run.AssertRecovered();
        Assert.Single(run.Host.Clock.Delays);
        Assert.Contains(run.Observer.Verbose, m => m.Contains("Retry 1 of 4", StringComparison.Ordinal) && m.Contains("200 OK with", StringComparison.Ordinal) && m.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SandboxFaultKind.TruncatedJson, "not complete JSON")]
    [InlineData(SandboxFaultKind.HtmlErrorPage, "('text/html', ")]
    [InlineData(SandboxFaultKind.EmptyBody, "an empty body")]
    public async Task Body_that_stays_broken_ends_with_the_prefix_and_an_invalid_data_error(SandboxFaultKind kind, string reason)
    {
        await using var run = await RevereWithFault(kind, times: 10, attempts: 3);

        Assert.Equal(run.Expected.Take(100), run.Ids);
        var error = Assert.IsType<InvoiceResponseException>(run.Error);
        AssertClassified(error, "InvoiceToolsInvalidResponse", "InvalidData");
        Assert.Equal(3, error.Attempts);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Equal(2, run.Host.Clock.Delays.Count);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("Revere Payments sent a response that is not a valid invoice page for GET http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts over", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("200 OK with", error.LastResponse, StringComparison.Ordinal);
        Assert.Equal(run.Host.Clock.Delays.Aggregate(TimeSpan.Zero, (a, b) => a + b), error.Elapsed);
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=100", "limit=100&offset=100" }, run.Host.Queries);
    }

    [Fact]
    public async Task Json_labelled_with_the_wrong_content_type_is_read_with_a_verbose_note()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.WrongContentType);

        Assert.Null(run.Error);
        Assert.Equal(run.Expected, run.Ids);
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=200" }, run.Host.Queries);
        Assert.Empty(run.Host.Clock.Delays);
        Assert.Contains(run.Observer.Verbose, m => m.Contains("labelled the answer to GET", StringComparison.Ordinal) && m.Contains("'text/plain'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere)]
    [InlineData(InvoiceProviderKind.Revolv3)]
    [InlineData(InvoiceProviderKind.Opterius)]
    [InlineData(InvoiceProviderKind.Kitchen)]
    [InlineData(InvoiceProviderKind.Xendit)]
    public async Task Page_that_repeats_the_previous_one_is_requested_again_and_nothing_is_lost(InvoiceProviderKind provider)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250, Revolv3InvoiceCount = 250, OpteriusInvoiceCount = 250, KitchenInvoiceCount = 250, XenditInvoiceCount = 250 });
        var query = new InvoiceQuery { PageSize = 50 };
        var (expected, baselineRequests) = await BaselineWithRequests(host, () => host.Connect(provider, PagingOptions.Sequential), query);
        using var connection = host.Connect(provider, PagingOptions.Sequential);
        host.Sandbox.InjectFault(SandboxFaultKind.RepeatedPage, api: LoopbackSandbox.ApiName(provider), afterRequests: 1);
        var observer = new RecordingObserver();

        var run = await Run(connection, query, observer);

        Assert.Null(run.Error);
        Assert.Equal(expected, run.Ids);
        Assert.Equal(baselineRequests + 1, host.Queries.Count);
        Assert.Equal(host.Queries[1], host.Queries[2]);
        Assert.Contains(observer.Verbose, m => m.Contains("returned only invoices of the previous page for page 2; requesting it once more", StringComparison.Ordinal));
        Assert.Empty(observer.Warnings);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, 3, 0)]
    [InlineData(InvoiceProviderKind.Revolv3, 5, 1)]
    public async Task Server_that_ignores_the_paging_position_stops_paging_instead_of_looping(InvoiceProviderKind provider, int requests, int warnings)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250, Revolv3InvoiceCount = 250 });
        var query = new InvoiceQuery { PageSize = 50 };
        var expected = await Baseline(host, () => host.Connect(provider, PagingOptions.Sequential), query);
        using var connection = host.Connect(provider, PagingOptions.Sequential);
        SandboxRequest? first = null;
        host.Sandbox.BeforeAnswer = r => first ??= r;
        host.Sandbox.InjectFault(SandboxFault.From(c => c.AnswerTo(first!)), times: 100, api: LoopbackSandbox.ApiName(provider), afterRequests: 1);
        var observer = new RecordingObserver();

        var run = await Run(connection, query, observer);

        // Revere reports an unchanged total, so one repeat is enough; Revolv3 reports none, so it warns and gives the next page a chance.
        Assert.Equal(expected.Take(50), run.Ids);
        var error = Assert.IsType<InvoicePagingException>(run.Error);
        AssertClassified(error, "InvoiceToolsPagingFailed", "InvalidResult");
        Assert.Contains("also when asked again", error.Message, StringComparison.Ordinal);
        Assert.Contains("paging stopped instead of looping", error.Message, StringComparison.Ordinal);
        Assert.Contains("The 50 invoice(s) already returned are kept.", error.Message, StringComparison.Ordinal);
        Assert.Equal(requests, host.Queries.Count);
        Assert.Equal(warnings, observer.Warnings.Count);
    }

    [Fact]
    public async Task Total_that_changes_between_pages_warns_with_both_counts()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.TotalChanged);

        Assert.Null(run.Error);
        Assert.Equal(run.Expected, run.Ids);
        Assert.Equal(3, run.Host.Queries.Count);
        var warning = Assert.Single(run.Observer.Warnings);
        Assert.Contains("Revere Payments connection 'Revere-8059f5c6'", warning, StringComparison.Ordinal);
        Assert.Contains("changed from 250 to 255", warning, StringComparison.Ordinal);
        Assert.Contains("may be incomplete", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoices_inserted_while_paging_cause_no_duplicate_and_a_warning()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.InsertWhilePaging);

        Assert.Null(run.Error);
        Assert.Equal(run.Expected, run.Ids);
        Assert.Equal(run.Ids.Count, run.Ids.Distinct().Count());
        Assert.Equal(3, run.Observer.Verbose.Count(m => m.StartsWith("Skipped invoice ", StringComparison.Ordinal)));
        Assert.Contains("changed from 250 to 253", Assert.Single(run.Observer.Warnings), StringComparison.Ordinal);
        Assert.Equal(253, run.Host.Sandbox.Revere.Count);
    }

    [Fact]
    public async Task Invoices_deleted_while_paging_leave_a_gap_that_is_warned_about()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.DeleteWhilePaging);

        Assert.Null(run.Error);
        // Offset paging over a list that shrank by 3 skips the 3 invoices that moved onto page 1: the warning is the only signal.
        Assert.Equal(run.Expected.Take(100).Concat(run.Expected.Skip(103)), run.Ids);
        Assert.Contains("changed from 250 to 247", Assert.Single(run.Observer.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_link_to_a_foreign_host_is_not_followed()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { KitchenInvoiceCount = 250 });
        var query = new InvoiceQuery { PageSize = 50 };
        var expected = await Baseline(host, () => host.ConnectKitchen(paging: PagingOptions.Sequential), query);
        using var connection = host.ConnectKitchen(paging: PagingOptions.Sequential);
        host.Sandbox.InjectFault(SandboxFaultKind.ForeignNextLink, api: KitchenApi.ApiName, afterRequests: 1);

        var run = await Run(connection, query);

        Assert.Equal(expected.Take(100), run.Ids);
        var error = Assert.IsType<InvoicePagingException>(run.Error);
        AssertClassified(error, "InvoiceToolsPagingFailed", "InvalidResult");
        Assert.Contains(SandboxFaultMatrix.ForeignHost, error.Message, StringComparison.Ordinal);
        Assert.Contains("was not followed", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RecommendedAction);
        Assert.Equal(2, host.Queries.Count);
        Assert.All(host.Sandbox.Requests, r => Assert.Equal("127.0.0.1", r.Uri.Host));
    }

    [Theory]
    [InlineData(SandboxFaultKind.InternalServerError, typeof(InvoiceApiException), "InvoiceToolsApiError", "ProtocolError", "500 Internal Server Error")]
    [InlineData(SandboxFaultKind.BadGateway, typeof(InvoiceApiException), "InvoiceToolsApiError", "ProtocolError", "502 Bad Gateway")]
    [InlineData(SandboxFaultKind.GatewayTimeout, typeof(InvoiceApiException), "InvoiceToolsApiError", "ProtocolError", "504 Gateway Timeout")]
    [InlineData(SandboxFaultKind.RateLimitedNoHint, typeof(InvoiceRateLimitException), "InvoiceToolsRateLimited", "LimitsExceeded", "429 Too Many Requests")]
    [InlineData(SandboxFaultKind.ResetMidBody, typeof(InvoiceTransportException), "InvoiceToolsConnectionFailed", "ConnectionError", null)]
    public async Task Fault_that_persists_ends_with_the_prefix_and_a_classified_error(SandboxFaultKind kind, Type type, string id, string category, string? last)
    {
        await using var run = await RevereWithFault(kind, times: 10, attempts: 2);

        Assert.Equal(run.Expected.Take(100), run.Ids);
        Assert.IsType(type, run.Error);
        AssertClassified(run.Error!, id, category);
        var error = (InvoiceToolsException)run.Error!;
        Assert.Equal(2, error.Attempts);
        Assert.Single(run.Host.Clock.Delays);
        Assert.Contains("after 2 attempts over", error.Message, StringComparison.Ordinal);
        if (last is not null)
        {
            Assert.Equal(last, error.LastResponse);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(error.LastResponse));
        }
    }

    [Fact]
    public async Task With_retries_off_the_timeout_still_ends_the_attempt_and_the_error_says_so()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250 });
        using var connection = host.ConnectRevere(retry: Retry(host, attempts: 1), paging: PagingOptions.Sequential);
        host.Sandbox.InjectFault(SandboxFaultKind.NoAnswer, api: RevereApi.ApiName, afterRequests: 1);

        var running = Run(connection);
        await Eventually(() => host.Sandbox.Requests.Count >= 2 && host.Clock.HeldCount == 1, () => "requests " + host.Sandbox.Requests.Count + ", held " + host.Clock.HeldCount);
        Assert.Equal(1, host.Clock.FireHeld());
        var run = await running;

        Assert.Equal(100, run.Ids.Count);
        var error = Assert.IsType<InvoiceTransportException>(run.Error);
        Assert.Equal(1, error.Attempts);
        Assert.Equal("no answer within the per-attempt timeout", error.LastResponse);
        Assert.Contains("failed after 1 attempt: no answer within the per-attempt timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, host.Queries.Count);
    }

    [Fact]
    public async Task With_retries_off_a_server_error_is_reported_with_its_status_as_the_last_response()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.ServiceUnavailable, attempts: 1);

        var error = Assert.IsType<InvoiceApiException>(run.Error);
        Assert.Equal(1, error.Attempts);
        Assert.Equal("503 Service Unavailable", error.LastResponse);
        Assert.Empty(run.Host.Clock.Delays);
        Assert.Equal(2, run.Host.Queries.Count);
    }

    [Fact]
    public async Task Oversized_body_is_refused_once_and_not_retried()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250 });
        using var connection = host.ConnectRevere(retry: new RetryOptions { MaxResponseBytes = 4096, AttemptTimeout = System.Threading.Timeout.InfiniteTimeSpan }, paging: PagingOptions.Sequential);

        var run = await Run(connection);

        Assert.Empty(run.Ids);
        var error = Assert.IsType<InvoiceResponseException>(run.Error);
        AssertClassified(error, "InvoiceToolsInvalidResponse", "InvalidData");
        Assert.Contains("too large to accept", error.Message, StringComparison.Ordinal);
        Assert.Contains("4096-byte limit", error.Message, StringComparison.Ordinal);
        Assert.Single(host.Queries);
        Assert.Empty(host.Clock.Delays);
    }

    [Fact]
    public async Task Exhausted_retries_say_how_many_attempts_over_how_long_and_the_last_response()
    {
        await using var run = await RevereWithFault(SandboxFaultKind.ServiceUnavailable, times: 10);

        Assert.Equal(run.Expected.Take(100), run.Ids);
        var error = Assert.IsType<InvoiceApiException>(run.Error);
        AssertClassified(error, "InvoiceToolsApiError", "ProtocolError");
        Assert.Equal(5, error.Attempts);
        Assert.Equal(4, run.Host.Clock.Delays.Count);
        var waited = run.Host.Clock.Delays.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Assert.Equal(waited, error.Elapsed);
        Assert.Equal("503 Service Unavailable", error.LastResponse);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("answered 503 Service Unavailable to GET http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 5 attempts over " + waited.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s", error.Message, StringComparison.Ordinal);
        Assert.Equal("Injected fault: HTTP 503", error.ProviderMessage);
        Assert.Equal("The provider is failing; try again later.", error.RecommendedAction);
        Assert.Equal(4, run.Observer.Verbose.Count(m => m.StartsWith("Retry ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Exhausted_timeouts_end_with_a_connection_error_naming_the_timeout()
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250 });
        var expected = await Baseline(host, () => host.ConnectRevere(paging: PagingOptions.Sequential));
        using var connection = host.ConnectRevere(retry: Retry(host, attempts: 2), paging: PagingOptions.Sequential);
        host.Sandbox.InjectFault(SandboxFaultKind.NoAnswer, times: 2, api: RevereApi.ApiName, afterRequests: 1);

        var running = Run(connection);
        for (var attempt = 2; attempt <= 3; attempt++)
        {
            var seen = attempt;
            await Eventually(() => host.Sandbox.Requests.Count >= seen && host.Clock.HeldCount == 1);
            Assert.Equal(1, host.Clock.FireHeld());
        }

        var run = await running;

        Assert.Equal(expected.Take(100), run.Ids);
        var error = Assert.IsType<InvoiceTransportException>(run.Error);
        AssertClassified(error, "InvoiceToolsConnectionFailed", "ConnectionError");
        Assert.Equal(2, error.Attempts);
        Assert.Equal("no answer within the per-attempt timeout", error.LastResponse);
        Assert.Contains("failed after 2 attempts over", error.Message, StringComparison.Ordinal);
        Assert.Contains("no answer within the per-attempt timeout", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
    }

    private static void AssertClassified(Exception error, string id, string category)
    {
        Assert.Equal((id, category), ErrorClassification.Classify(error));
        Assert.False(string.IsNullOrEmpty(ErrorClassification.RecommendedAction(error)));
        var tools = Assert.IsAssignableFrom<InvoiceToolsException>(error);
        Assert.NotNull(tools.Provider);
        Assert.StartsWith("http://127.0.0.1:", tools.RequestUri, StringComparison.Ordinal);
    }

    private static Task<FaultRun> RevereWithFault(SandboxFaultKind kind, int times = 1, int attempts = 5) =>
        RevereWithFault(SandboxFaultMatrix.Create(kind), times, attempts);

    private static async Task<FaultRun> RevereWithFault(SandboxFault fault, int times = 1, int attempts = 5)
    {
        var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 250 });
        try
        {
            host.Sandbox.Options.Clock = host.Clock.GetUtcNow;
            var expected = await Baseline(host, () => host.ConnectRevere(paging: PagingOptions.Sequential));
            using var connection = host.ConnectRevere(retry: Retry(host, attempts), paging: PagingOptions.Sequential);
            host.Sandbox.InjectFault(fault, times, RevereApi.ApiName, afterRequests: 1);
            var observer = new RecordingObserver();
            var run = await Run(connection, observer: observer);
            return new FaultRun(host, expected, run.Ids, run.Error, observer);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<string>> Baseline(LoopbackSandbox host, Func<InvoiceProviderConnection> connect, InvoiceQuery? query = null) =>
        (await BaselineWithRequests(host, connect, query)).Ids;

    private static async Task<(List<string> Ids, int Requests)> BaselineWithRequests(LoopbackSandbox host, Func<InvoiceProviderConnection> connect, InvoiceQuery? query = null)
    {
        using var clean = connect();
        var ids = (await InvoiceEngine.GetInvoicesAsync(clean, query ?? InvoiceQuery.All).ToListAsync()).Select(i => i.Id).ToList();
        var requests = host.Sandbox.Requests.Count;
        host.Sandbox.ClearRequests();
        Assert.NotEmpty(ids);
        return (ids, requests);
    }

    private static async Task<(List<string> Ids, Exception? Error)> Run(InvoiceProviderConnection connection, InvoiceQuery? query = null, RecordingObserver? observer = null)
    {
        var ids = new List<string>();
        try
        {
            await foreach (var invoice in InvoiceEngine.GetInvoicesAsync(connection, query ?? InvoiceQuery.All, observer ?? new RecordingObserver()))
            {
                ids.Add(invoice.Id);
            }

            return (ids, null);
        }
        catch (InvoiceToolsException ex)
        {
            return (ids, ex);
        }
    }

    private static async Task Eventually(Func<bool> condition, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, describe?.Invoke() ?? "condition not met in 20 s");
            await Task.Delay(10);
        }
    }

    private sealed record FaultRun(LoopbackSandbox Host, List<string> Expected, List<string> Ids, Exception? Error, RecordingObserver Observer) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host.DisposeAsync();

        public void AssertRecovered()
        {
            Assert.Null(Error);
            Assert.Equal(Expected, Ids);
            Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=100", "limit=100&offset=200" }, Host.Queries);
        }
    }
}
