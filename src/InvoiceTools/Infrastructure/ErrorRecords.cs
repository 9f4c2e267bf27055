using System;
using System.Management.Automation;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Turns engine exceptions into error records, using the one map in <see cref="ErrorClassification"/>.</summary>
internal static class ErrorRecords
{
    /// <summary>An error record whose target is the connection or query, never the cmdlet.</summary>
    public static ErrorRecord Create(Exception exception, object? target)
    {
        var (id, category) = ErrorClassification.Classify(exception);
        var record = new ErrorRecord(exception, id, (ErrorCategory)Enum.Parse(typeof(ErrorCategory), category), target);
        if (ErrorClassification.RecommendedAction(exception) is { } action)
        {
            record.ErrorDetails = Details(exception.Message, action);
        }

        return record;
    }

    /// <summary>The message and recommended action a record shows; on Windows PowerShell 5.1 the action joins the message.</summary>
    public static ErrorDetails Details(string message, string recommendedAction) =>
        new(ErrorClassification.DisplayMessage(message, recommendedAction, ErrorClassification.HostShowsRecommendedAction)) { RecommendedAction = recommendedAction };
}
