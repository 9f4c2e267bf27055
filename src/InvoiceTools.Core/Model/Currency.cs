using System;
using System.Collections.Generic;
using System.Globalization;
using static System.FormattableString;

namespace InvoiceTools;

/// <summary>ISO 4217 facts the module needs: how many minor units a currency has.</summary>
public static class Currency
{
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.OrdinalIgnoreCase)
    {
        // Zero-decimal currencies.
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,

        // Three-decimal currencies.
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,

        // Four-decimal units of account.
        ["CLF"] = 4, ["UYW"] = 4,
    };

    private static readonly decimal[] Divisors = { 1m, 10m, 100m, 1000m, 10000m };

    // Adding a zero of scale n gives a decimal of at least scale n with the same value: 156m + 0.00m is 156.00m.
    private static readonly decimal[] Zeros = { 0m, 0.0m, 0.00m, 0.000m, 0.0000m };

    /// <summary>The number of digits after the decimal point in <paramref name="currencyCode"/> (2 unless ISO 4217 says otherwise).</summary>
    public static int MinorUnitExponent(string? currencyCode) =>
        currencyCode is not null && Exponents.TryGetValue(currencyCode, out var exponent) ? exponent : 2;

    /// <summary>Converts an amount in minor units (cents) to major units, by the currency's ISO 4217 exponent.</summary>
    public static decimal ToMajorUnits(long minorUnits, string? currencyCode) => minorUnits / Divisors[MinorUnitExponent(currencyCode)];

    /// <summary>Converts an amount in minor units (cents), possibly fractional, to major units.</summary>
    public static decimal ToMajorUnits(decimal minorUnits, string? currencyCode) => minorUnits / Divisors[MinorUnitExponent(currencyCode)];

    /// <summary>
    /// An amount with its currency's minor digits and the current culture's separators, followed by the currency code
    /// when there is one: "2,547.96 USD". When that is wider than <paramref name="width"/> characters the thousands
    /// separators are left out ("3606268000.00 IDR"), so that a table column never cuts a digit off; a value that is
    /// too wide even then is returned whole. Empty for a null amount. Used by the module's table views.
    /// </summary>
    public static string FormatMoney(decimal? amount, string? currencyCode, int width = int.MaxValue) =>
        Format(amount, currencyCode, string.IsNullOrEmpty(currencyCode) ? string.Empty : $" {currencyCode}", width);

    /// <summary>As <see cref="FormatMoney"/>, without the currency code: "2,547.96".</summary>
    public static string FormatAmount(decimal? amount, string? currencyCode, int width = int.MaxValue) =>
        Format(amount, currencyCode, string.Empty, width);

    /// <summary>An amount with its currency's minor digits and invariant separators, for ToString(): "2,547.96".</summary>
    internal static string FormatInvariant(decimal amount, string? currencyCode) =>
        amount.ToString(Invariant($"N{MinorUnitExponent(currencyCode)}"), CultureInfo.InvariantCulture);

    private static string Format(decimal? amount, string? currencyCode, string suffix, int width)
    {
        if (amount is not decimal value)
        {
            return string.Empty;
        }

        var digits = MinorUnitExponent(currencyCode);
        var grouped = value.ToString(Invariant($"N{digits}"), CultureInfo.CurrentCulture) + suffix;
        return grouped.Length <= width ? grouped : value.ToString(Invariant($"F{digits}"), CultureInfo.CurrentCulture) + suffix;
    }

    /// <summary>
    /// <paramref name="amount"/> with at least <paramref name="exponent"/> digits after the decimal point (the same
    /// value: 156 becomes 156.00), so it prints as the currency is written. Never rounds. Null stays null.
    /// </summary>
    public static decimal? WithScale(decimal? amount, int exponent) =>
        amount is decimal value ? value + Zeros[Math.Max(0, Math.Min(exponent, Zeros.Length - 1))] : null;

    /// <summary>True when <paramref name="code"/> looks like an ISO 4217 code: three ASCII letters.</summary>
    public static bool IsValidCode(string? code)
    {
        if (code is null || code.Length != 3)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z')))
            {
                return false;
            }
        }

        return true;
    }
}
