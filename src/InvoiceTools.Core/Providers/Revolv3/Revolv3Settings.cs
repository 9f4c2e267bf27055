using System.Collections.Generic;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>Revolv3's own connection settings.</summary>
internal static class Revolv3Settings
{
    /// <summary>The settings, in the order their checks run.</summary>
    public static readonly IReadOnlyList<ProviderSetting> All = new[]
    {
        ProviderSetting.Choice<Revolv3Environment>("Environment", (o, v) => o.Environment = v),
        ProviderSetting.Choice<Revolv3AuthScheme>("AuthScheme", (o, v) => o.AuthScheme = v),
        ProviderSetting.Choice<Revolv3Endpoint>("Endpoint", (o, v) => o.Endpoint = v),
        ProviderSetting.Currency,
    };
}

/// <summary>A Revolv3 connection's host, authentication, list endpoint and currency.</summary>
internal sealed class Revolv3Configuration : ProviderConfiguration
{
    public Revolv3Configuration(Revolv3Environment environment, Revolv3AuthScheme authScheme, Revolv3Endpoint endpoint, string currency)
    {
        Environment = environment;
        AuthScheme = authScheme;
        Endpoint = endpoint;
        Currency = currency;
    }

    /// <summary>Production or Revolv3's own sandbox host.</summary>
    public Revolv3Environment Environment { get; }

    /// <summary>The x-revolv3-token header or a Bearer token.</summary>
    public Revolv3AuthScheme AuthScheme { get; }

    /// <summary>Which list endpoint; Auto picks per query.</summary>
    public Revolv3Endpoint Endpoint { get; }

    /// <summary>The ISO 4217 code assumed where an invoice names none (USD unless -Currency says otherwise).</summary>
    public string Currency { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Shown => new Dictionary<string, string>
    {
        ["Environment"] = Environment.ToString(),
        ["AuthScheme"] = AuthScheme.ToString(),
        ["Endpoint"] = Endpoint.ToString(),
        ["Currency"] = Currency,
    };
}
