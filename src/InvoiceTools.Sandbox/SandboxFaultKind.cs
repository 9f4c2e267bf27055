namespace InvoiceTools.Sandbox;

/// <summary>
/// The named faults of the reliability matrix. Each can be injected in tests (<see cref="InvoiceSandbox.InjectFault(SandboxFaultKind, int, string?, int)"/>)
/// and in a rehearsal connection (<c>Connect-InvoiceProvider -Sandbox -SandboxFault ...</c>).
/// </summary>
public enum SandboxFaultKind : long
{
    /// <summary>429 Too Many Requests with <c>Retry-After: 2</c> (seconds).</summary>
    RateLimitedRetryAfterSeconds,

    /// <summary>429 with <c>Retry-After</c> as an HTTP date 3 seconds ahead.</summary>
    RateLimitedRetryAfterDate,

    /// <summary>429 with Xendit's <c>Rate-Limit-Reset: 1.5</c> header (seconds).</summary>
    RateLimitedResetHeader,

    /// <summary>429 with no hint at all, as Revolv3 sends it.</summary>
    RateLimitedNoHint,

    /// <summary>500 Internal Server Error.</summary>
    InternalServerError,

    /// <summary>502 Bad Gateway.</summary>
    BadGateway,

    /// <summary>503 Service Unavailable.</summary>
    ServiceUnavailable,

    /// <summary>504 Gateway Timeout.</summary>
    GatewayTimeout,

    /// <summary>The connection drops halfway through the page's body.</summary>
    ResetMidBody,

    /// <summary>The server never answers; the client's per-attempt timeout ends the attempt.</summary>
    NoAnswer,

    /// <summary>200 with the page's JSON cut off halfway.</summary>
    TruncatedJson,

    /// <summary>200 with an HTML maintenance page, as a gateway or a web server in front of the API sends it.</summary>
    HtmlErrorPage,

    /// <summary>The page's JSON labelled <c>text/plain</c>.</summary>
    WrongContentType,

    /// <summary>200 with an empty body.</summary>
    EmptyBody,

    /// <summary>The server ignores the paging position and answers with the previous page again (the same cursor, link or offset).</summary>
    RepeatedPage,

    /// <summary>
    /// The page reports a total 5 higher than the data holds (Revere <c>total_count</c>, Kitchen and Opterius
    /// <c>meta.total</c>, a provider definition's total path).
    /// </summary>
    TotalChanged,

    /// <summary>3 new invoices are created (newest first) just before this page is answered (a provider definition's: copies of its first record).</summary>
    InsertWhilePaging,

    /// <summary>The 3 newest invoices are deleted just before this page is answered.</summary>
    DeleteWhilePaging,

    /// <summary>The page's next link points at another host (Kitchen, and provider definitions paged by NextLink or LinkHeader).</summary>
    ForeignNextLink,

    /// <summary>
    /// 503 Service Unavailable carrying Xendit's usual quota headers with quota left (<c>Rate-Limit-Remaining: 599</c>,
    /// <c>Rate-Limit-Reset: 59.5</c>): a report of the quota window, not a request to wait.
    /// </summary>
    ServiceUnavailableWithQuotaHeaders,

    /// <summary>
    /// 401 whose body, <c>WWW-Authenticate</c> header and message quote the request's credentials back: every
    /// credential header as sent (Authorization, x-revolv3-token, x-api-key, a provider definition's key header), and
    /// each URL-encoded.
    /// </summary>
    EchoCredentials,
}
