using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using static System.FormattableString;

namespace InvoiceTools.Connections;

/// <summary>
/// Reads connection settings from name/value pairs: a hashtable, or a row of Import-Csv. Names are
/// Connect-InvoiceProvider's parameter names (case-insensitive). An empty cell counts as absent, so one CSV can hold
/// accounts of different providers.
/// </summary>
public static class ConnectionSettings
{
    /// <summary>The settings every provider takes.</summary>
    private static readonly Dictionary<string, Action<ConnectionOptions, object, string>> CommonSetters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Provider"] = (o, v, n) => o.Provider = SettingValues.ToEnum<InvoiceProviderKind>(v, n),
        ["Name"] = (o, v, n) => o.Name = SettingValues.ToText(v, n),
        ["ApiKey"] = (o, v, n) => o.ApiKey = ToSecret(v, n),
        ["BaseUri"] = (o, v, n) => o.BaseUri = SettingValues.ToText(v, n),
        ["Sandbox"] = (o, v, n) => o.Sandbox = ToBoolean(v, n),
        ["Prefetch"] = (o, v, n) => o.Paging = o.Paging with { Prefetch = ToInt(v, n) },
        ["PageConcurrency"] = (o, v, n) => o.Paging = o.Paging with { PageConcurrency = ToInt(v, n) },
        ["PageSize"] = (o, v, n) => o.Paging = o.Paging with { PageSize = ToInt(v, n) },
        ["MaxAttempts"] = (o, v, n) => o.MaxAttempts = ToInt(v, n),
        ["MaxRetryWaitSeconds"] = (o, v, n) => o.MaxRetryWaitSeconds = ToInt(v, n),
        ["TimeoutSeconds"] = (o, v, n) => o.TimeoutSeconds = ToInt(v, n),
        ["SandboxFault"] = (o, v, n) => o.SandboxFault = ToNameList(v, n, SandboxServers.FaultNames),
        ["SandboxLatencyMs"] = (o, v, n) => o.SandboxLatencyMs = ToInt(v, n),
        ["SecretName"] = (o, v, n) => o.SecretName = SettingValues.ToText(v, n),
        ["Vault"] = (o, v, n) => o.Vault = SettingValues.ToText(v, n),
        ["Proxy"] = (o, v, n) => o.Proxy = v is Uri uri ? uri.OriginalString : SettingValues.ToText(v, n),
        ["ProxyCredential"] = (o, v, n) => o.ProxyCredential = v as System.Net.NetworkCredential ?? throw SettingValues.Invalid(n, $"a {v.GetType().Name}", "Give ProxyCredential as a PSCredential."),
    };

    /// <summary>The settings only some providers take, as their folders declare them, with the providers that take each (in enum order).</summary>
    private static readonly Dictionary<string, (ProviderSetting Setting, InvoiceProviderKind[] Owners)> Owned = ProviderCatalog.All
        .SelectMany(p => p.Descriptor.Settings.Select(s => (Setting: s, Owner: p.Descriptor.Kind)))
        .GroupBy(x => x.Setting.Name, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => (g.First().Setting, g.Select(x => x.Owner).ToArray()), StringComparer.OrdinalIgnoreCase);

    /// <summary>Every setting a row may hold: the common ones and the declared ones.</summary>
    private static readonly Dictionary<string, Action<ConnectionOptions, object, string>> Setters =
        CommonSetters.Concat(Owned.Select(p => new KeyValuePair<string, Action<ConnectionOptions, object, string>>(p.Key, p.Value.Setting.Apply)))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The settings only some providers take that <paramref name="provider"/> takes, as parameter names.</summary>
    public static IReadOnlyList<string> SettingsOf(InvoiceProviderKind provider) =>
        ProviderCatalog.Get(provider).Descriptor.Settings.Select(s => s.Name).OrderBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The name among <paramref name="names"/> that <paramref name="name"/> is one or two typing mistakes away from
    /// (a letter left out, added, changed or two swapped; case ignored), or null. For "did you mean" hints.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> names)
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

    /// <summary>The names a settings row may use.</summary>
    public static IReadOnlyList<string> Names { get; } = Setters.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Applies <paramref name="settings"/> in order (later pairs win) to new options. Unknown names are returned in
    /// <paramref name="ignored"/> rather than failing, because a CSV of accounts often carries columns of its own.
    /// </summary>
    /// <exception cref="InvoiceConfigurationException">A value cannot be read, or no provider is named.</exception>
    public static ConnectionOptions Read(IEnumerable<KeyValuePair<string, object?>> settings, out IReadOnlyList<string> ignored)
    {
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        var options = new ConnectionOptions();
        var unknown = new List<string>();
        var given = new List<string>();
        var providerSeen = false;
        foreach (var pair in settings)
        {
            if (IsEmpty(pair.Value))
            {
                continue;
            }

            if (!Setters.TryGetValue(pair.Key, out var set))
            {
                unknown.Add(pair.Key);
                continue;
            }

            set(options, pair.Value!, pair.Key);
            given.Add(pair.Key);
            providerSeen |= string.Equals(pair.Key, "Provider", StringComparison.OrdinalIgnoreCase);
        }

        if (!providerSeen)
        {
            throw new InvoiceConfigurationException(
                "No provider was given.",
                $"Give -Provider, or a Provider key or column in the piped settings: {string.Join(", ", Enum.GetNames(typeof(InvoiceProviderKind)))}.") { ParameterName = "Provider" };
        }

        RefuseOtherProviders(options.Provider, given);
        ignored = unknown;
        return options;
    }

    /// <summary>Another provider's setting would be dropped without a word, so it is refused, as Get-Invoice refuses other providers' filters.</summary>
    private static void RefuseOtherProviders(InvoiceProviderKind provider, IEnumerable<string> given)
    {
        var foreign = given.Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(n => Owned.TryGetValue(n, out var owned) && !owned.Owners.Contains(provider))
            .Select(n => (Name: Canonical(n), Owner: string.Join(", ", Owned[n].Owners)))
            .ToList();
        if (foreign.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", foreign.Select(f => $"-{f.Name} ({f.Owner})"));
        var own = SettingsOf(provider);
        throw new InvoiceConfigurationException(
            $"{names} {(foreign.Count == 1 ? "is a setting" : "are settings")} of {(foreign.All(f => !f.Owner.Contains(',')) ? "another provider" : "other providers")}, not of {provider}.",
            $"Drop {(foreign.Count == 1 ? "it" : "them")}, or connect to the provider {(foreign.Count == 1 ? "it belongs" : "they belong")} to. {provider} takes {(own.Count == 0 ? "no provider setting of its own" : string.Join(", ", own.Select(n => $"-{n}")))} beside the common ones.")
        {
            ParameterName = foreign[0].Name,
            Provider = provider,
        };
    }

    private static string Canonical(string name) => Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) ?? name;

    private static bool IsEmpty(object? value) => value is null || (value is string text && text.Trim().Length == 0);

    private static SecureString ToSecret(object value, string name)
    {
        switch (value)
        {
            case SecureString secure:
                return secure;
            case string text:
                return ApiSecret.ToSecureString(text.Trim());
            default:
                throw SettingValues.Invalid(name, $"a {value.GetType().Name}", "Give ApiKey as a SecureString or text.");
        }
    }

    private static bool ToBoolean(object value, string name)
    {
        switch (value)
        {
            case bool flag:
                return flag;
            case string text:
                var trimmed = text.Trim();
                if (bool.TryParse(trimmed, out var parsed))
                {
                    return parsed;
                }

                if (trimmed == "1" || trimmed == "0")
                {
                    return trimmed == "1";
                }

                throw SettingValues.Invalid(name, $"'{text}'", "Use true or false.");
            default:
                throw SettingValues.Invalid(name, $"a {value.GetType().Name}", "Use true or false.");
        }
    }

    private static int ToInt(object value, string name)
    {
        switch (value)
        {
            case int number:
                return number;
            case long or short or byte:
                return Convert.ToInt32(value, CultureInfo.InvariantCulture);
            case string text when int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw SettingValues.Invalid(name, Invariant($"'{value}'"), "Use a whole number.");
        }
    }

    /// <summary>An array, or text separated by commas or semicolons (a CSV cell).</summary>
    /// <summary>A list of names, from text split at commas or semicolons or from a collection, each one of <paramref name="names"/> (any case), given back as spelt there.</summary>
    private static List<string> ToNameList(object value, string name, IReadOnlyList<string> names)
    {
        var items = value switch
        {
            string text => text.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim()).Where(t => t.Length > 0).Select(t => (object)t),
            System.Collections.IEnumerable many => many.Cast<object>(),
            _ => new[] { value },
        };
        return items.Select(item =>
        {
            var text = Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty;
            return names.FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw SettingValues.Invalid(name, $"'{text}'", $"Use one of: {string.Join(", ", names)}.");
        }).ToList();
    }
}
