using System;
using System.Collections.Generic;
using System.Net;

namespace InvoiceTools;

/// <summary>
/// Base of every error the engine raises. It carries what a user or script needs to act on a failure:
/// the provider, the request URL (secrets removed), the HTTP status, the provider's error code and message,
/// the request id, and a recommended action.
/// </summary>
public class InvoiceToolsException : Exception
{
    /// <summary>Creates an error with a message.</summary>
    public InvoiceToolsException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The provider involved, when known.</summary>
    public InvoiceProviderKind? Provider { get; internal set; }

    /// <summary>The request URL with secrets removed.</summary>
    public string? RequestUri { get; internal set; }

    /// <summary>The HTTP status of the last response, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; internal set; }

    /// <summary>The provider's machine-readable error code (for example <c>API_VALIDATION_ERROR</c>).</summary>
    public string? ProviderErrorCode { get; internal set; }

    /// <summary>The provider's human-readable error message.</summary>
    public string? ProviderMessage { get; internal set; }

    /// <summary>Every field-level detail the provider returned.</summary>
    public IReadOnlyList<string> Details { get; internal set; } = Array.Empty<string>();

    /// <summary>The provider's request id header, for support tickets.</summary>
    public string? RequestId { get; internal set; }

    /// <summary>What the user can do about it.</summary>
    public string? RecommendedAction { get; internal set; }

    /// <summary>How many HTTP attempts were made before giving up.</summary>
    public int? Attempts { get; internal set; }

    /// <summary>How long the attempts took in total, from the first attempt to the last answer, waits included.</summary>
    public TimeSpan? Elapsed { get; internal set; }

    /// <summary>What the last attempt ended with, in words (for example "503 Service Unavailable" or "connection dropped: ...").</summary>
    public string? LastResponse { get; internal set; }
}

/// <summary>A parameter or connection setting is wrong; raised before any request is sent.</summary>
public sealed class InvoiceConfigurationException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoiceConfigurationException(string message, string? recommendedAction = null)
        : base(message) => RecommendedAction = recommendedAction;

    /// <summary>The parameter at fault, when one is.</summary>
    public string? ParameterName { get; internal set; }
}

/// <summary>The provider refused the credentials (401 or 403).</summary>
public sealed class InvoiceAuthenticationException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoiceAuthenticationException(string message)
        : base(message)
    {
    }
}

/// <summary>The provider answered 404.</summary>
public sealed class InvoiceNotFoundException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoiceNotFoundException(string message)
        : base(message)
    {
    }
}

/// <summary>The provider rejected the request as invalid (400 or 422).</summary>
public sealed class InvoiceValidationException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoiceValidationException(string message)
        : base(message)
    {
    }
}

/// <summary>The provider kept throttling (429) after every retry.</summary>
public sealed class InvoiceRateLimitException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoiceRateLimitException(string message)
        : base(message)
    {
    }

    /// <summary>How long the provider asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; internal set; }
}

/// <summary>Any other HTTP failure (5xx after retries, unexpected 3xx/4xx).</summary>
public sealed class InvoiceApiException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoiceApiException(string message)
        : base(message)
    {
    }
}

/// <summary>The response could not be read as the provider's documented shape (truncated JSON, HTML, wrong type, too large).</summary>
public sealed class InvoiceResponseException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoiceResponseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The network failed (connection refused or reset, DNS, TLS, timeout) after every retry.</summary>
public sealed class InvoiceTransportException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoiceTransportException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>Paging could not go on safely: a cursor that does not advance, or a next link to another host.</summary>
public sealed class InvoicePagingException : InvoiceToolsException
{
    /// <summary>Creates the error.</summary>
    public InvoicePagingException(string message)
        : base(message)
    {
    }
}
