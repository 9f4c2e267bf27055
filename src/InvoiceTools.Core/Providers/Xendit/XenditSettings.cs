using System.Collections.Generic;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>Xendit's own connection settings.</summary>
internal static class XenditSettings
{
    /// <summary>The settings, in the order their checks run.</summary>
    public static readonly IReadOnlyList<ProviderSetting> All = new[]
    {
        ProviderSetting.Choice<XenditGateway>("Gateway", (o, v) => o.Gateway = v),
        ProviderSetting.Wire("ForUserId", o => o.ForUserId, (o, v) => o.ForUserId = v, "the for-user-id header", header: true),
        ProviderSetting.Wire("AppgregatorProject", o => o.AppgregatorProject, (o, v) => o.AppgregatorProject = v, "the name query parameter"),
        ProviderSetting.Wire("AppgregatorConnection", o => o.AppgregatorConnection, (o, v) => o.AppgregatorConnection = v, "the connection_name query parameter"),
        ProviderSetting.Choice<XenditCursorParameter>("CursorParameter", (o, v) => o.CursorParameter = v),
    };
}

/// <summary>How a Xendit connection reaches the API: directly (with a key kind and maybe a sub-account) or through Appgregator.</summary>
internal sealed class XenditConfiguration : ProviderConfiguration
{
    /// <summary>Creates the configuration; <paramref name="keyKind"/> and <paramref name="forUserId"/> are for direct connections, the project and connection name for Appgregator.</summary>
    public XenditConfiguration(XenditGateway gateway, XenditCursorParameter cursorParameter, string? keyKind, string? forUserId, string? project, string? connectionName)
    {
        Gateway = gateway;
        CursorParameter = cursorParameter;
        KeyKind = keyKind;
        ForUserId = forUserId;
        Project = project;
        ConnectionName = connectionName;
    }

    /// <summary>Direct or Appgregator.</summary>
    public XenditGateway Gateway { get; }

    /// <summary>The name(s) the paging cursor is sent under.</summary>
    public XenditCursorParameter CursorParameter { get; }

    /// <summary>Direct: Test, Live or Unknown, from the secret key's prefix; null through Appgregator.</summary>
    public string? KeyKind { get; }

    /// <summary>Direct: the sub-account sent in the for-user-id header, or null.</summary>
    public string? ForUserId { get; }

    /// <summary>Appgregator: the project (the name parameter), or null.</summary>
    public string? Project { get; }

    /// <summary>Appgregator: the connection (the connection_name parameter), or null.</summary>
    public string? ConnectionName { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Shown
    {
        get
        {
            var shown = new Dictionary<string, string> { ["Gateway"] = Gateway.ToString(), ["CursorParameter"] = CursorParameter.ToString() };
            foreach (var (name, value) in new[] { ("KeyKind", KeyKind), ("ForUserId", ForUserId), ("Project", Project), ("ConnectionName", ConnectionName) })
            {
                if (value is not null)
                {
                    shown[name] = value;
                }
            }

            return shown;
        }
    }
}
