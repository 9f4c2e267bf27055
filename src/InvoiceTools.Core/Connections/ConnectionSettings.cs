using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;

namespace InvoiceTools.Connections;

/// <summary>
/// Reads connection settings from name/value pairs: a hashtable, or a row of Import-Csv. Names are
/// Connect-InvoiceProvider's parameter names (case-insensitive). An empty cell counts as absent, so one CSV can hold
/// accounts of different providers.
/// </summary>
public static class ConnectionSettings
{
    private static readonly Dictionary<string, Action<ConnectionOptions, object, string>> Setters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Provider"] = (o, v, n) => o.Provider = ToEnum<InvoiceProviderKind>(v, n),
        ["Name"] = (o, v, n) => o.Name = ToText(v, n),
        ["ApiKey"] = (o, v, n) => o.ApiKey = ToSecret(v, n),
        ["BaseUri"] = (o, v, n) => o.BaseUri = ToText(v, n),
        ["Sandbox"] = (o, v, n) => o.Sandbox = ToBoolean(v, n),
        ["GroupId"] = (o, v, n) => o.GroupId = ToText(v, n),
        ["Environment"] = (o, v, n) => o.Environment = ToEnum<Revolv3Environment>(v, n),
        ["AuthScheme"] = (o, v, n) => o.AuthScheme = ToEnum<Revolv3AuthScheme>(v, n),
        ["Endpoint"] = (o, v, n) => o.Endpoint = ToEnum<Revolv3Endpoint>(v, n),
        ["AmountUnit"] = (o, v, n) => o.AmountUnit = ToEnum<OpteriusAmountUnit>(v, n),
        ["Workspace"] = (o, v, n) => o.Workspace = ToText(v, n),
        ["Gateway"] = (o, v, n) => o.Gateway = ToEnum<XenditGateway>(v, n),
        ["ForUserId"] = (o, v, n) => o.ForUserId = ToText(v, n),
        ["AppgregatorProject"] = (o, v, n) => o.AppgregatorProject = ToText(v, n),
        ["AppgregatorConnection"] = (o, v, n) => o.AppgregatorConnection = ToText(v, n),
        ["CursorParameter"] = (o, v, n) => o.CursorParameter = ToEnum<XenditCursorParameter>(v, n),
        ["Currency"] = (o, v, n) => o.Currency = ToText(v, n),
        ["Prefetch"] = (o, v, n) => o.Paging = o.Paging with { Prefetch = ToInt(v, n) },
        ["PageConcurrency"] = (o, v, n) => o.Paging = o.Paging with { PageConcurrency = ToInt(v, n) },
        ["MaxAttempts"] = (o, v, n) => o.MaxAttempts = ToInt(v, n),
        ["MaxRetryWaitSeconds"] = (o, v, n) => o.MaxRetryWaitSeconds = ToInt(v, n),
        ["TimeoutSeconds"] = (o, v, n) => o.TimeoutSeconds = ToInt(v, n),
        ["SandboxFault"] = (o, v, n) => o.SandboxFault = ToEnumList<InvoiceTools.Sandbox.SandboxFaultKind>(v, n),
        ["SandboxLatencyMs"] = (o, v, n) => o.SandboxLatencyMs = ToInt(v, n),
        ["SecretName"] = (o, v, n) => o.SecretName = ToText(v, n),
        ["Vault"] = (o, v, n) => o.Vault = ToText(v, n),
        ["Proxy"] = (o, v, n) => o.Proxy = v is Uri uri ? uri.OriginalString : ToText(v, n),
        ["ProxyCredential"] = (o, v, n) => o.ProxyCredential = v as System.Net.NetworkCredential ?? throw Invalid(n, "a " + v.GetType().Name, "Give ProxyCredential as a PSCredential."),
    };

    /// <summary>Settings that only one provider takes; every other setting applies to all of them.</summary>
    private static readonly Dictionary<string, InvoiceProviderKind> OwnedBy = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GroupId"] = InvoiceProviderKind.Revere,
        ["Environment"] = InvoiceProviderKind.Revolv3,
        ["AuthScheme"] = InvoiceProviderKind.Revolv3,
        ["Endpoint"] = InvoiceProviderKind.Revolv3,
        ["AmountUnit"] = InvoiceProviderKind.Opterius,
        ["Workspace"] = InvoiceProviderKind.Kitchen,
        ["Gateway"] = InvoiceProviderKind.Xendit,
        ["ForUserId"] = InvoiceProviderKind.Xendit,
        ["AppgregatorProject"] = InvoiceProviderKind.Xendit,
        ["AppgregatorConnection"] = InvoiceProviderKind.Xendit,
        ["CursorParameter"] = InvoiceProviderKind.Xendit,
    };

    /// <summary>The settings only <paramref name="provider"/> takes, as parameter names.</summary>
    public static IReadOnlyList<string> SettingsOf(InvoiceProviderKind provider) =>
        OwnedBy.Where(p => p.Value == provider).Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();

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
                "Give -Provider, or a Provider key or column in the piped settings: " + string.Join(", ", Enum.GetNames(typeof(InvoiceProviderKind))) + ".") { ParameterName = "Provider" };
        }

        RefuseOtherProviders(options.Provider, given);
        ignored = unknown;
        return options;
    }

    /// <summary>Another provider's setting would be dropped without a word, so it is refused, as Get-Invoice refuses other providers' filters.</summary>
    private static void RefuseOtherProviders(InvoiceProviderKind provider, IEnumerable<string> given)
    {
        var foreign = given.Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(n => OwnedBy.TryGetValue(n, out var owner) && owner != provider)
            .Select(n => (Name: Canonical(n), Owner: OwnedBy[n]))
            .ToList();
        if (foreign.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", foreign.Select(f => $"-{f.Name} ({f.Owner})"));
        var own = SettingsOf(provider);
        throw new InvoiceConfigurationException(
            $"{names} {(foreign.Count == 1 ? "is a setting" : "are settings")} of another provider, not of {provider}.",
            $"Drop {(foreign.Count == 1 ? "it" : "them")}, or connect to the provider {(foreign.Count == 1 ? "it belongs" : "they belong")} to. {provider} takes {(own.Count == 0 ? "no provider setting of its own" : string.Join(", ", own.Select(n => "-" + n)))} beside the common ones.")
        {
            ParameterName = foreign[0].Name,
            Provider = provider,
        };
    }

    private static string Canonical(string name) => Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) ?? name;

    private static bool IsEmpty(object? value) => value is null || (value is string text && text.Trim().Length == 0);

    private static string ToText(object value, string name) => value switch
    {
        string text => text.Trim(),
        SecureString => throw Invalid(name, "a SecureString", "Give " + name + " as text."),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static SecureString ToSecret(object value, string name)
    {
        switch (value)
        {
            case SecureString secure:
                return secure;
            case string text:
                return ApiSecret.ToSecureString(text.Trim());
            default:
                throw Invalid(name, "a " + value.GetType().Name, "Give ApiKey as a SecureString or text.");
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

                throw Invalid(name, "'" + text + "'", "Use true or false.");
            default:
                throw Invalid(name, "a " + value.GetType().Name, "Use true or false.");
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
                throw Invalid(name, "'" + Convert.ToString(value, CultureInfo.InvariantCulture) + "'", "Use a whole number.");
        }
    }

    private static T ToEnum<T>(object value, string name)
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

        throw Invalid(name, "'" + text + "'", "Use one of: " + string.Join(", ", Enum.GetNames(typeof(T))) + ".");
    }

    /// <summary>An array, or text separated by commas or semicolons (a CSV cell).</summary>
    private static List<T> ToEnumList<T>(object value, string name)
        where T : struct, Enum
    {
        var items = value switch
        {
            string text => text.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(t => (object)t.Trim()),
            System.Collections.IEnumerable many => many.Cast<object>(),
            _ => new[] { value },
        };
        return items.Select(item => ToEnum<T>(item is T ? item : Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty, name)).ToList();
    }

    private static InvoiceConfigurationException Invalid(string name, string what, string action) =>
        new("The connection setting " + name + " cannot be " + what + ".", action) { ParameterName = name };
}
