using System;
using System.Management.Automation;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>The one map from engine exceptions to PowerShell error ids and categories.</summary>
internal static class ErrorRecords
{
    public static (string ErrorId, ErrorCategory Category) Classify(Exception exception) => exception switch
    {
        InvoiceConfigurationException => ("InvoiceToolsInvalidArgument", ErrorCategory.InvalidArgument),
        InvoiceAuthenticationException => ("InvoiceToolsAuthenticationFailed", ErrorCategory.AuthenticationError),
        InvoiceNotFoundException => ("InvoiceToolsNotFound", ErrorCategory.ObjectNotFound),
        InvoiceValidationException => ("InvoiceToolsRequestRejected", ErrorCategory.InvalidArgument),
        InvoiceRateLimitException => ("InvoiceToolsRateLimited", ErrorCategory.LimitsExceeded),
        InvoiceResponseException => ("InvoiceToolsInvalidResponse", ErrorCategory.InvalidData),
        InvoiceTransportException => ("InvoiceToolsConnectionFailed", ErrorCategory.ConnectionError),
        InvoicePagingException => ("InvoiceToolsPagingFailed", ErrorCategory.InvalidResult),
        InvoiceApiException => ("InvoiceToolsApiError", ErrorCategory.ProtocolError),
        NoConnectionException => ("InvoiceToolsNoConnection", ErrorCategory.ConnectionError),
        _ => ("InvoiceToolsError", ErrorCategory.NotSpecified),
    };

    /// <summary>An error record whose target is the connection or query, never the cmdlet.</summary>
    public static ErrorRecord Create(Exception exception, object? target)
    {
        var (id, category) = Classify(exception);
        var record = new ErrorRecord(exception, id, category, target);
        var action = exception switch
        {
            InvoiceToolsException e => e.RecommendedAction,
            NoConnectionException e => e.RecommendedAction,
            _ => null,
        };
        if (action is not null)
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = action };
        }

        return record;
    }
}

/// <summary>Get-Invoice was run with no connection given and no default connection.</summary>
public sealed class NoConnectionException : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public NoConnectionException()
        : base("There is no invoice provider connection in this session. Run Connect-InvoiceProvider first, for example: Connect-InvoiceProvider -Provider Revere -Sandbox")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public NoConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and cause.</summary>
    public NoConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What to do about it.</summary>
    public string RecommendedAction { get; } = "Run Connect-InvoiceProvider (add -Sandbox to try the module without an account), or pass -Connection.";
}
