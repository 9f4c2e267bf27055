using System;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Shell;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Reads objects that reach a cmdlet through the pipeline: real invoices, deserialized ones, and anything else.</summary>
internal static class PipelineObjects
{
    /// <summary>The type name of an invoice that came back from Export-Clixml/Import-Clixml, Start-Job or Invoke-Command.</summary>
    public const string DeserializedInvoice = "Deserialized.InvoiceTools.Invoice";

    /// <summary>The object's properties as <see cref="InvoiceFields.Read"/> takes them.</summary>
    public static Func<string, PropertyValue?> Properties(PSObject item) => name =>
        item.Properties[name] is { } property && TryValue(property) is var (found, value) && found
            ? new PropertyValue(value is PSObject wrapped ? wrapped.BaseObject : value, value?.ToString())
            : null;

    /// <summary>True for an invoice that was serialized and came back as a property bag.</summary>
    public static bool IsDeserializedInvoice(PSObject item) => item.TypeNames.Contains(DeserializedInvoice);

    /// <summary>How the object is named in an error: its first type name.</summary>
    public static string Describe(PSObject item)
    {
        var name = item.TypeNames.FirstOrDefault() ?? item.BaseObject.GetType().FullName ?? "object";
        return name.StartsWith("Deserialized.", StringComparison.Ordinal) ? name : name.Substring(name.LastIndexOf('.') + 1);
    }

    /// <summary>A deserialized line item as the type it was: missing values stay null (PowerShell's own conversion would make "" of them).</summary>
    public static InvoiceLineItem ToLineItem(PSObject line)
    {
        object? Value(string name) => line.Properties[name]?.Value is { } value ? (value is PSObject wrapped ? wrapped.BaseObject : value) : null;
        string? Text(string name) => Value(name)?.ToString();
        decimal? Amount(string name) => Value(name) is { } value ? LanguagePrimitives.ConvertTo<decimal>(value) : null;
        return new InvoiceLineItem
        {
            Provider = Text(nameof(InvoiceLineItem.Provider)) ?? string.Empty,
            InvoiceId = Text(nameof(InvoiceLineItem.InvoiceId)) ?? string.Empty,
            InvoiceNumber = Text(nameof(InvoiceLineItem.InvoiceNumber)),
            Id = Text(nameof(InvoiceLineItem.Id)),
            Name = Text(nameof(InvoiceLineItem.Name)),
            Description = Text(nameof(InvoiceLineItem.Description)),
            Quantity = Amount(nameof(InvoiceLineItem.Quantity)),
            Unit = Text(nameof(InvoiceLineItem.Unit)),
            UnitPrice = Amount(nameof(InvoiceLineItem.UnitPrice)),
            Amount = Amount(nameof(InvoiceLineItem.Amount)),
            Tax = Amount(nameof(InvoiceLineItem.Tax)),
            Currency = Text(nameof(InvoiceLineItem.Currency)),
        };
    }

    private static (bool Found, object? Value) TryValue(PSPropertyInfo property)
    {
        try
        {
            return (true, property.Value);
        }
        catch (GetValueException)
        {
            return (false, null);
        }
    }
}
