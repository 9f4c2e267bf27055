using System.Collections.Generic;

namespace InvoiceTools.Providers;

/// <summary>Kitchen's own connection settings.</summary>
internal static class KitchenSettings
{
    /// <summary>The settings.</summary>
    public static readonly IReadOnlyList<ProviderSetting> All = new[] { ProviderSetting.Wire("Workspace", o => o.Workspace, (o, v) => o.Workspace = v, "the host name") };
}

/// <summary>A Kitchen connection's workspace, when it has one (-BaseUri connections need none).</summary>
internal sealed class KitchenConfiguration : ProviderConfiguration
{
    public KitchenConfiguration(string? workspace) => Workspace = workspace;

    /// <summary>The subdomain of kitchen.co, in lower case; null for a -BaseUri connection.</summary>
    public string? Workspace { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Shown =>
        Workspace is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Workspace"] = Workspace };
}
