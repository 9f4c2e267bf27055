using System;
using System.Linq;
using System.Management.Automation;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Accepts only names of an enum (case-insensitive), for a parameter typed string[] so that its own argument
/// completer is used: PowerShell completes an enum-typed parameter with every value and ignores a completer.
/// The help builder lists the enum's names as the accepted values.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateEnumNamesAttribute : ValidateEnumeratedArgumentsAttribute
{
    /// <summary>Accepts the names of <paramref name="enumType"/>.</summary>
    public ValidateEnumNamesAttribute(Type enumType) => EnumType = enumType;

    /// <summary>The enum whose names are accepted.</summary>
    public Type EnumType { get; }

    /// <inheritdoc />
    protected override void ValidateElement(object element)
    {
        var text = (element is PSObject wrapped ? wrapped.BaseObject : element)?.ToString();
        if (text is null || !Enum.GetNames(EnumType).Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            throw new ValidationMetadataException($"'{text}' is not one of {string.Join(", ", Enum.GetNames(EnumType))}.");
        }
    }
}
