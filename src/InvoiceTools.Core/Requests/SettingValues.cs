using System;
using System.Collections.Generic;
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

    /// <summary>The name among <paramref name="names"/> one or two typing mistakes from <paramref name="name"/> (case ignored), or null.</summary>
    internal static string? Closest(string name, IEnumerable<string> names)
    {
        if (string.IsNullOrEmpty(name) || names is null)
        {
            return null;
        }

        return names
            .Select(n => (Name: n, Distance: Distance(name.ToUpperInvariant(), n.ToUpperInvariant())))
            .Where(c => c.Distance > 0 && c.Distance <= 2 && c.Distance < c.Name.Length / 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
