using System;

namespace InvoiceTools;

/// <summary>
/// The one map from the module's exceptions to PowerShell error ids and categories. It lives here, not in the cmdlet
/// assembly, so that tests can check every fault's classification; the category is the name of a
/// System.Management.Automation.ErrorCategory member (a metadata test checks each one exists).
/// </summary>
public static class ErrorClassification
{
    /// <summary>The error id (without the command suffix PowerShell adds) and category name for <paramref name="exception"/>.</summary>
    public static (string ErrorId, string Category) Classify(Exception exception) => exception switch
    {
        InvoiceConfigurationException => ("InvoiceToolsInvalidArgument", "InvalidArgument"),
        InvoiceAuthenticationException => ("InvoiceToolsAuthenticationFailed", "AuthenticationError"),
        InvoiceNotFoundException => ("InvoiceToolsNotFound", "ObjectNotFound"),
        InvoiceValidationException => ("InvoiceToolsRequestRejected", "InvalidArgument"),
        InvoiceRateLimitException => ("InvoiceToolsRateLimited", "LimitsExceeded"),
        InvoiceResponseException => ("InvoiceToolsInvalidResponse", "InvalidData"),
        InvoiceTransportException => ("InvoiceToolsConnectionFailed", "ConnectionError"),
        InvoicePagingException => ("InvoiceToolsPagingFailed", "InvalidResult"),
        InvoiceApiException => ("InvoiceToolsApiError", "ProtocolError"),
        NoConnectionException => ("InvoiceToolsNoConnection", "ConnectionError"),
        _ => ("InvoiceToolsError", "NotSpecified"),
    };

    /// <summary>Every category name <see cref="Classify"/> can return, comma-separated (a constant, so metadata tests can read it).</summary>
    public const string CategoryNames = "InvalidArgument,AuthenticationError,ObjectNotFound,LimitsExceeded,InvalidData,ConnectionError,InvalidResult,ProtocolError,NotSpecified";

    /// <summary>
    /// The message an error record shows. PowerShell 7 prints the recommended action under the message
    /// ("Recommendation: ..."); Windows PowerShell 5.1 never shows it, so there the action is appended to the message,
    /// and every error still says what to do.
    /// </summary>
    /// <param name="exception">The error.</param>
    /// <param name="hostShowsRecommendedAction">False on Windows PowerShell 5.1 (.NET Framework).</param>
    public static string DisplayMessage(Exception exception, bool hostShowsRecommendedAction)
    {
        if (exception is null)
        {
            throw new ArgumentNullException(nameof(exception));
        }

        return DisplayMessage(exception.Message, RecommendedAction(exception), hostShowsRecommendedAction);
    }

    /// <summary>The message an error record shows, from its parts; see <see cref="DisplayMessage(Exception, bool)"/>.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="recommendedAction">What to do about it, or null.</param>
    /// <param name="hostShowsRecommendedAction">False on Windows PowerShell 5.1 (.NET Framework).</param>
    public static string DisplayMessage(string message, string? recommendedAction, bool hostShowsRecommendedAction) =>
        !hostShowsRecommendedAction && recommendedAction is { Length: > 0 }
            ? $"{message} {recommendedAction}"
            : message;

    /// <summary>True where PowerShell shows an error's recommended action: PowerShell 7 (.NET), not 5.1 (.NET Framework).</summary>
    public static bool HostShowsRecommendedAction { get; } =
        !System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    /// <summary>What the user can do about <paramref name="exception"/>, when the module knows.</summary>
    public static string? RecommendedAction(Exception exception) => exception switch
    {
        InvoiceToolsException e => e.RecommendedAction,
        NoConnectionException e => e.RecommendedAction,
        _ => null,
    };
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
