using System.Collections.Generic;

namespace InvoiceTools.Providers;

/// <summary>Revere's own connection settings.</summary>
internal static class RevereSettings
{
    /// <summary>-GroupId: the group (account) whose invoices are listed, a UUID; it goes into the request path.</summary>
    public static readonly ProviderSetting GroupId = ProviderSetting.Wire("GroupId", o => o.GroupId, (o, v) => o.GroupId = v, "the request path");

    /// <summary>Every one, in the order their checks run.</summary>
    public static readonly IReadOnlyList<ProviderSetting> All = new[] { GroupId, ProviderSetting.Currency };
}

/// <summary>A Revere connection's group and currency (Revere's invoices name none; USD unless -Currency says otherwise).</summary>
internal sealed class RevereConfiguration : ProviderConfiguration
{
    public RevereConfiguration(string groupId, string currency)
    {
        GroupId = groupId;
        Currency = currency;
    }

    /// <summary>The group id, a UUID's canonical text (the sandbox's own when a sandbox connection is given none).</summary>
    public string GroupId { get; }

    /// <summary>The ISO 4217 code amounts are read in.</summary>
    public string Currency { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Shown => new Dictionary<string, string> { ["GroupId"] = GroupId, ["Currency"] = Currency };
}
