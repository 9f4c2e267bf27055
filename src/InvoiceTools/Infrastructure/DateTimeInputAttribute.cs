using System;
using System.Globalization;
using System.Management.Automation;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Reads a string given to a DateTime parameter the same way on every machine (<see cref="DateInput"/>). Without it,
/// PowerShell binds the string with the session's culture and calendar: under th-TH, -CreatedAfter 2025-03-01 was sent
/// as 1482-03-01. A DateTimeOffset (an invoice's own CreatedAt) is taken as its UTC time; other values ([datetime],
/// Get-Date) pass through unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DateTimeInputAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is DateTimeOffset instant)
        {
            // An invoice's own time ($invoice.CreatedAt) is a DateTimeOffset, which PowerShell will not bind to DateTime.
            return instant.UtcDateTime;
        }

        if (value is not string text)
        {
            return inputData;
        }

        if (DateInput.TryParse(text, CultureInfo.CurrentCulture, out DateTime typed))
        {
            return typed;
        }

        throw new ArgumentTransformationMetadataException(DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? $"'{text}' is outside the years {DateInput.FirstYear}-{DateInput.LastYear} that typed dates are read in. Pass a [datetime] for another year, such as [datetime]::new(1899, 12, 31)."
            : $"'{text}' is not a date. Use ISO 8601, such as 2025-03-01 or 2025-03-01T10:00:00Z (no offset means UTC), or a [datetime] such as (Get-Date).AddDays(-7).");
    }
}
