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
        ["Provider"] = ChooseProvider,
        ["Setting"] = (o, v, n) => o.DefinedSettings = ToTextMap(v, n),
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
    private static readonly Dictionary<string, (ProviderSetting Setting, InvoiceProviderKind[] Owners)> Owned = ProviderCatalog.BuiltIn
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
    public static string? Closest(string name, IEnumerable<string> names) => SettingValues.Closest(name, names);

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
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in settings)
        {
            if (IsEmpty(pair.Value))
            {
                continue;
            }

            values[pair.Key] = pair.Value!;
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
                $"Give -Provider, or a Provider key or column in the piped settings: {string.Join(", ", ProviderCatalog.Names)}.") { ParameterName = "Provider" };
        }

        if (options.Provider == InvoiceProviderKind.Defined && ProviderCatalog.FindProvider(options.ProviderName) is { } defined)
        {
            // A settings row's columns named as the definition's settings are those settings (-Setting wins).
            foreach (var name in defined.Descriptor.DefinedSettingNames)
            {
                // A definition's setting may share its name with a built-in provider's (Workspace, Currency): for this
                // provider the column is the definition's.
                if (values.TryGetValue(name, out var value) && !options.DefinedSettings.ContainsKey(name))
                {
                    options.DefinedSettings[name] = SettingValues.ToText(value, name);
                }

                if (given.Contains(name, StringComparer.OrdinalIgnoreCase) && Owned.ContainsKey(name) && typeof(ConnectionOptions).GetProperty(name) is { } property
                    && (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null))
                {
                    // Undone for the built-in meaning, which a defined provider does not have (a Currency of 'acme' is no currency).
                    property.SetValue(options, null);
                }

                unknown.RemoveAll(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
                given.RemoveAll(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            }
        }

        RefuseOtherProviders(options, given);
        ignored = unknown;
        return options;
    }

    /// <summary>Another provider's setting would be dropped without a word, so it is refused, as Get-Invoice refuses other providers' filters.</summary>
    private static void RefuseOtherProviders(ConnectionOptions options, IEnumerable<string> given)
    {
        var provider = options.Provider;
        var providerName = provider == InvoiceProviderKind.Defined ? options.ProviderName : provider.ToString();
        if (provider != InvoiceProviderKind.Defined && options.DefinedSettings.Count > 0)
        {
            throw new InvoiceConfigurationException(
                $"-Setting gives the settings of a provider defined in a file; {provider} takes its settings as parameters.",
                $"Drop -Setting. {provider} takes {string.Join(", ", SettingsOf(provider).Select(n => $"-{n}").DefaultIfEmpty("no provider setting of its own"))}.")
            { ParameterName = "Setting", Provider = provider };
        }

        var foreign = given.Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(n => Owned.TryGetValue(n, out var owned) && !owned.Owners.Contains(provider))
            .Select(n => (Name: Canonical(n), Owner: string.Join(", ", Owned[n].Owners)))
            .ToList();
        if (foreign.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", foreign.Select(f => $"-{f.Name} ({f.Owner})"));
        var own = provider == InvoiceProviderKind.Defined
            ? new[] { "Setting" }.Where(_ => ProviderCatalog.Find(options.ProviderName)?.DefinedSettingNames.Count > 0).ToList()
            : SettingsOf(provider);
        throw new InvoiceConfigurationException(
            $"{names} {(foreign.Count == 1 ? "is a setting" : "are settings")} of {(foreign.All(f => !f.Owner.Contains(',')) ? "another provider" : "other providers")}, not of {providerName}.",
            $"Drop {(foreign.Count == 1 ? "it" : "them")}, or connect to the provider {(foreign.Count == 1 ? "it belongs" : "they belong")} to. {providerName} takes {(own.Count == 0 ? "no provider setting of its own" : string.Join(", ", own.Select(n => $"-{n}")))} beside the common ones.")
        {
            ParameterName = foreign[0].Name,
            Provider = provider,
        };
    }

    /// <summary>-Provider or a row's Provider: a built-in provider's name, or a registered definition's.</summary>
    private static void ChooseProvider(ConnectionOptions options, object value, string name)
    {
        if (value is InvoiceProviderKind kind && kind != InvoiceProviderKind.Defined)
        {
            options.Provider = kind;
            options.ProviderName = null;
            return;
        }

        var text = (value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture))?.Trim();
        var descriptor = text is null || text.All(char.IsDigit) ? null : ProviderCatalog.Find(text);
        if (descriptor is null)
        {
            throw new InvoiceConfigurationException(
                $"No provider is named '{text}'. The providers are {string.Join(", ", ProviderCatalog.Names)}.",
                "Use one of them (Get-InvoiceProvider describes each). A provider of your own is added with Register-InvoiceProvider -Path <definition>.psd1.")
            { ParameterName = name };
        }

        options.Provider = descriptor.Kind;
        options.ProviderName = descriptor.Kind == InvoiceProviderKind.Defined ? descriptor.Name : null;
    }

    /// <summary>-Setting: a hashtable (or dictionary) of text values by name.</summary>
    private static Dictionary<string, string> ToTextMap(object value, string name)
    {
        if (value is not System.Collections.IDictionary map)
        {
            throw SettingValues.Invalid(name, $"a {value.GetType().Name}", "Give -Setting as a hashtable: -Setting @{ Region = 'eu' }.");
        }

        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty;
            var text = entry.Value is null ? string.Empty : SettingValues.ToText(entry.Value, $"Setting.{key}");
            if (key.Length > 0 && text.Trim().Length > 0)
            {
                settings[key] = text.Trim();
            }
        }

        return settings;
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
