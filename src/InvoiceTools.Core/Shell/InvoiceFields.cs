using System;
using System.Globalization;

namespace InvoiceTools.Shell;

/// <summary>One property of an object as PowerShell holds it: the value (unwrapped) and the object's own text for it.</summary>
/// <param name="Value">The property's value, unwrapped from PSObject; a deserialized enum arrives as its number.</param>
/// <param name="Text">The value as text; a deserialized enum arrives as its name ("Overdue").</param>
public readonly record struct PropertyValue(object? Value, string? Text);

/// <summary>
/// What Measure-Invoice measures of one object: an invoice, an invoice that came back deserialized (Import-Clixml,
/// Start-Job, Invoke-Command), or any object with a Total or an AmountDue property (Import-Csv rows, hand-made
/// objects). A field the object does not have stays null: nothing is made up.
/// </summary>
public sealed class InvoiceFields
{
    /// <summary>The fields read: Total and AmountDue are required (at least one), the others optional.</summary>
    public static readonly string[] Names = { "Currency", "Total", "AmountDue", "Status", "DueDate", "Provider" };

    /// <summary>ISO 4217 code, or null.</summary>
    public string? Currency { get; init; }

    /// <summary>The total in major units, or null.</summary>
    public decimal? Total { get; init; }

    /// <summary>What is still owed in major units, or null.</summary>
    public decimal? AmountDue { get; init; }

    /// <summary>The normalized status, or null when the object has none.</summary>
    public InvoiceStatus? Status { get; init; }

    /// <summary>When payment is due, or null.</summary>
    public DateTimeOffset? DueDate { get; init; }

    /// <summary>The provider's name, or null when the object does not say.</summary>
    public string? Provider { get; init; }

    /// <summary>The fields of a real invoice.</summary>
    public static InvoiceFields From(Invoice invoice)
    {
        if (invoice is null)
        {
            throw new ArgumentNullException(nameof(invoice));
        }

        return new InvoiceFields
        {
            Currency = invoice.Currency,
            Total = invoice.Total,
            AmountDue = invoice.AmountDue,
            Status = invoice.Status,
            DueDate = invoice.DueDate,
            Provider = invoice.Provider.Length == 0 ? null : invoice.Provider,
        };
    }

    /// <summary>
    /// Reads the fields from an object's properties. Returns null with <paramref name="problem"/> set when the object
    /// has neither Total nor AmountDue, or when a property it has cannot be read as its type.
    /// </summary>
    /// <param name="property">The named property, or null when the object has none by that name.</param>
    /// <param name="problem">Why the object cannot be measured.</param>
    public static InvoiceFields? Read(Func<string, PropertyValue?> property, out string? problem)
    {
        if (property is null)
        {
            throw new ArgumentNullException(nameof(property));
        }

        problem = null;
        var total = property("Total");
        var due = property("AmountDue");
        if (IsEmpty(total) && IsEmpty(due))
        {
            problem = "it has neither a Total nor an AmountDue property, so it is not an invoice";
            return null;
        }

        var fields = new InvoiceFields
        {
            Currency = Text(property("Currency")),
            Total = Amount(total, "Total", ref problem),
            AmountDue = Amount(due, "AmountDue", ref problem),
            Status = Name<InvoiceStatus>(property("Status"), "Status", ref problem),
            DueDate = Time(property("DueDate"), "DueDate", ref problem),
            Provider = ProviderName(property("Provider")),
        };
        return problem is null ? fields : null;
    }

    /// <summary>
    /// The provider's name: any text (a defined provider's invoices are measured where it is not registered), or a
    /// whole number as ConvertTo-Json wrote the built-in providers before Provider was text.
    /// </summary>
    private static string? ProviderName(PropertyValue? value) =>
        !IsEmpty(value) && value!.Value.Value is int or long or short or byte && Convert.ToInt64(value.Value.Value, CultureInfo.InvariantCulture) is var number
            && number >= 0 && number < (long)InvoiceProviderKind.Defined
            ? ((InvoiceProviderKind)number).ToString()
            : Text(value);

    private static bool IsEmpty(PropertyValue? value) => value is null || value.Value.Value is null || (value.Value.Value is string text && text.Trim().Length == 0);

    private static string? Text(PropertyValue? value) => IsEmpty(value) ? null : (value!.Value.Text ?? value.Value.Value?.ToString())?.Trim();

    private static decimal? Amount(PropertyValue? value, string name, ref string? problem)
    {
        if (IsEmpty(value))
        {
            return null;
        }

        switch (value!.Value.Value)
        {
            case decimal number:
                return number;
            case double or float or int or long or short or byte or uint or ulong:
                return Convert.ToDecimal(value.Value.Value, CultureInfo.InvariantCulture);
        }

        var text = Text(value)!;
        if (TryParseAmount(text, CultureInfo.CurrentCulture, out var parsed))
        {
            return parsed;
        }

        problem ??= $"its {name} '{text}' is not a number";
        return null;
    }

    /// <summary>
    /// Reads an amount as Export-Csv wrote it in any culture: 1234.5, 1,234.50, 1.234,50, 502,00 and 1 234,50 (the
    /// last separator is the decimal one when there are two kinds); a lone comma followed by exactly three digits
    /// (1,234) is a thousands separator unless <paramref name="culture"/> writes decimals with a comma. Falls back to
    /// <paramref name="culture"/> for other separators (Arabic, Persian).
    /// </summary>
    internal static bool TryParseAmount(string text, CultureInfo culture, out decimal amount)
    {
        var compact = text.Replace(" ", string.Empty).Replace("\u00A0", string.Empty).Replace("\u202F", string.Empty).Replace("'", string.Empty);
        var comma = compact.LastIndexOf(',');
        var dot = compact.LastIndexOf('.');
        string invariant;
        if (comma >= 0 && dot >= 0)
        {
            invariant = comma > dot ? compact.Replace(".", string.Empty).Replace(',', '.') : compact.Replace(",", string.Empty);
        }
        else if (comma >= 0)
        {
            var grouped = compact.IndexOf(',') != comma || (compact.Length - comma - 1 == 3 && culture.NumberFormat.NumberDecimalSeparator != ",");
            invariant = grouped ? compact.Replace(",", string.Empty) : compact.Replace(',', '.');
        }
        else
        {
            invariant = compact;
        }

        return decimal.TryParse(invariant, NumberStyles.Number, CultureInfo.InvariantCulture, out amount) ||
            decimal.TryParse(text, NumberStyles.Number, culture, out amount);
    }

    private static DateTimeOffset? Time(PropertyValue? value, string name, ref string? problem)
    {
        if (IsEmpty(value))
        {
            return null;
        }

        switch (value!.Value.Value)
        {
            case DateTimeOffset offset:
                return offset;
            case DateTime time:
                // ConvertFrom-Json gives local times; the module's dates are UTC.
                return new DateTimeOffset(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero);
        }

        var text = Text(value)!;
        if (DateInput.TryParse(text, CultureInfo.CurrentCulture, out DateTimeOffset parsed))
        {
            return parsed;
        }

        problem ??= $"its {name} '{text}' is not a date";
        return null;
    }

    /// <summary>An enum by its name only: a bare number (2) would be a guess.</summary>
    private static T? Name<T>(PropertyValue? value, string name, ref string? problem)
        where T : struct, Enum
    {
        if (IsEmpty(value))
        {
            return null;
        }

        if (value!.Value.Value is T typed)
        {
            return typed;
        }

        // A whole number that is not text is an enum as ConvertTo-Json writes it ("Status": 3); a digit in a CSV cell or
        // a string is still refused, since nothing says which enum it counts in.
        if (value.Value.Value is int or long or short or byte && Convert.ToInt64(value.Value.Value, CultureInfo.InvariantCulture) is var number &&
            Enum.IsDefined(typeof(T), Enum.ToObject(typeof(T), number)))
        {
            return (T)Enum.ToObject(typeof(T), number);
        }

        var text = Text(value)!;
        if (text.Length > 0 && !char.IsDigit(text[0]) && text[0] != '-' && text.IndexOf(',') < 0 && Enum.TryParse<T>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(typeof(T), parsed))
        {
            return parsed;
        }

        problem ??= $"its {name} '{text}' is not one of {string.Join(", ", Enum.GetNames(typeof(T)))}";
        return null;
    }
}
