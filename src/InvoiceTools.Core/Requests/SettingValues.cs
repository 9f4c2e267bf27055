using System;
using System.Globalization;
using System.Linq;
using System.Security;

namespace InvoiceTools.Requests;

/// <summary>
/// A settings row's values (a hashtable or an Import-Csv row) read as a <see cref="ConnectionOptions"/> property's
/// type: shared by the connection settings reader and the providers' declared settings, which store into the options.
/// </summary>
internal static class SettingValues
{
    /// <summary>A row's value as trimmed text; a SecureString is refused.</summary>
    internal static string ToText(object value, string name) => value switch
    {
        string text => text.Trim(),
        SecureString => throw Invalid(name, "a SecureString", $"Give {name} as text."),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>A row's value as one of <typeparamref name="T"/>'s names (case ignored; numbers refused).</summary>
    internal static T ToEnum<T>(object value, string name)
        where T : struct, Enum
    {
        if (value is T typed)
        {
            return typed;
        }

        var text = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture);
        if (text is not null && !text.Trim().All(char.IsDigit) && Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var parsed))
        {
            return parsed;
        }

        throw Invalid(name, $"'{text}'", $"Use one of: {string.Join(", ", Enum.GetNames(typeof(T)))}.");
    }

    /// <summary>The error for a row's value that <paramref name="name"/> cannot take: "The connection setting Gateway cannot be 'x'."</summary>
    internal static InvoiceConfigurationException Invalid(string name, string what, string action) =>
        new($"The connection setting {name} cannot be {what}.", action) { ParameterName = name };
}
