using System.Collections.Generic;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>Opterius's own connection settings.</summary>
internal static class OpteriusSettings
{
    /// <summary>The settings.</summary>
    public static readonly IReadOnlyList<ProviderSetting> All = new[] { ProviderSetting.Choice<OpteriusAmountUnit>("AmountUnit", (o, v) => o.AmountUnit = v) };
}

/// <summary>How an Opterius connection reads amounts.</summary>
internal sealed class OpteriusConfiguration : ProviderConfiguration
{
    public OpteriusConfiguration(OpteriusAmountUnit amountUnit) => AmountUnit = amountUnit;

    /// <summary>Minor or major units, or Auto to decide from each response's field names.</summary>
    public OpteriusAmountUnit AmountUnit { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Shown => new Dictionary<string, string> { ["AmountUnit"] = AmountUnit.ToString() };
}
