using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using InvoiceTools.Connections;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// Header injection (issue 20): every setting the module writes into a request header, host, path or query, for every
/// provider that takes it, is refused at Connect when it holds a line break or another control character, naming the
/// parameter and never echoing the key. The cases are generated from the factory's own list of such settings.
/// </summary>
public sealed class WireValueTests
{
    private static readonly string[] BadTails = { "\r\nX-Injected: yes", "\nX-Injected: yes", "\rb", "\0b", "\u007fb", "\u0085b", "\u2028b", "\tb" };

    private const string Workspace = "acme";
    private const string Opterius = "https://billing.example.com";

    public static TheoryData<InvoiceProviderKind, XenditGateway, string, int> Cases
    {
        get
        {
            var data = new TheoryData<InvoiceProviderKind, XenditGateway, string, int>();
            foreach (var provider in ProviderKinds.BuiltIn)
            {
                foreach (var gateway in provider == InvoiceProviderKind.Xendit ? new[] { XenditGateway.Direct, XenditGateway.Appgregator } : new[] { XenditGateway.Direct })
                {
                    foreach (var setting in SettingsSent(provider, gateway))
                    {
                        for (var tail = 0; tail < BadTails.Length; tail++)
                        {
                            data.Add(provider, gateway, setting, tail);
                        }
                    }
                }
            }

            return data;
        }
    }

    /// <summary>The settings that reach a request for this provider and gateway: the key, and the factory's wire settings the provider takes.</summary>
    private static IEnumerable<string> SettingsSent(InvoiceProviderKind provider, XenditGateway gateway)
    {
        var owned = ConnectionSettings.SettingsOf(provider);
        bool Takes(string name) => owned.Contains(name) || ProviderKinds.BuiltIn.All(p => !ConnectionSettings.SettingsOf(p).Contains(name));
        bool OnThisGateway(string name) => name switch
        {
            "ForUserId" => gateway == XenditGateway.Direct,
            "AppgregatorProject" or "AppgregatorConnection" => gateway == XenditGateway.Appgregator,
            _ => true,
        };

        yield return "ApiKey";
        foreach (var (name, _, _, _) in InvoiceConnectionFactory.WireSettings)
        {
            if (Takes(name) && OnThisGateway(name))
            {
                yield return name;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_control_character_in_a_value_sent_with_requests_is_refused_at_connect(InvoiceProviderKind provider, XenditGateway gateway, string setting, int tail)
    {
        var bad = BadTails[tail];
        var settings = Valid(provider, gateway);
        string given;
        if (setting == "ApiKey")
        {
            var key = (settings["ApiKey"] as string)!;
            given = key + bad;
            settings["ApiKey"] = LoopbackSandbox.Secure(given);
        }
        else
        {
            given = setting switch
            {
                "BaseUri" => "https://api.example.com/v" + bad,
                "Proxy" => "http://proxy.example.com:8080/" + bad,
                "GroupId" => RevereApi.GroupId + bad,
                "Workspace" => Workspace + bad,
                _ => "sub" + bad,
            };
            if (setting == "BaseUri" && provider == InvoiceProviderKind.Kitchen)
            {
                settings.Remove("Workspace");
            }

            settings[setting] = given;
        }

        var error = Assert.Throws<InvoiceConfigurationException>(() => Connect(settings));

        Assert.Equal(setting, error.ParameterName);
        Assert.Equal(provider, error.Provider);
        Assert.Equal(("InvoiceToolsInvalidArgument", "InvalidArgument"), ErrorClassification.Classify(error));
        Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
        Assert.Matches(setting == "ApiKey" ? "^The API key from -ApiKey or -Credential contains a (line break|control character \\(U\\+[0-9A-F]{4}\\)), so it cannot go into a request header" : $"^-{setting} contains a (line break|control character \\(U\\+[0-9A-F]{{4}}\\)) at character \\d+; it goes into ", error.Message);
        Assert.DoesNotContain("X-Injected", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(given.Trim(), error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, "café")]
    [InlineData(InvoiceProviderKind.Revolv3, "k\u00a0ey")]
    [InlineData(InvoiceProviderKind.Kitchen, "key\u200b")]
    public void A_key_outside_printable_ascii_is_refused_without_echoing_it(InvoiceProviderKind provider, string tail)
    {
        var settings = Valid(provider, XenditGateway.Direct);
        settings["ApiKey"] = LoopbackSandbox.Secure("secret-" + tail);

        var error = Assert.Throws<InvoiceConfigurationException>(() => Connect(settings));

        Assert.Equal("ApiKey", error.ParameterName);
        Assert.Contains("contains a character outside printable ASCII, so it cannot go into a request header", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere)]
    [InlineData(InvoiceProviderKind.Xendit)]
    public void A_key_from_the_environment_with_a_line_break_names_the_variable(InvoiceProviderKind provider)
    {
        var variable = ApiKeySources.EnvironmentVariableFor(provider);
        var settings = Valid(provider, XenditGateway.Direct);
        settings.Remove("ApiKey");
        var options = ConnectionSettings.Read(settings, out _);
        options.EnvironmentVariables = TestEnvironment.Of((variable, "xnd_development_abc\nX-Injected: yes"));

        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(options));

        Assert.Equal("ApiKey", error.ParameterName);
        Assert.StartsWith($"The API key from the {variable} environment variable contains a line break", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xnd_development_abc", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_text_setting_is_either_checked_as_sent_with_requests_or_never_sent()
    {
        // A new text setting must be classified here: sent values are checked at connect, the others never reach a request
        // (HostProduct, set by the cmdlet, is cut to printable ASCII for the User-Agent instead).
        var local = new[] { nameof(ConnectionOptions.HostProduct), nameof(ConnectionOptions.Name), nameof(ConnectionOptions.ProviderName), nameof(ConnectionOptions.Currency), nameof(ConnectionOptions.SecretName), nameof(ConnectionOptions.Vault), nameof(ConnectionOptions.KeySource) };
        var text = typeof(ConnectionOptions).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal);
        var classified = InvoiceConnectionFactory.WireSettings.Select(s => s.Name).Concat(local).OrderBy(n => n, StringComparer.Ordinal);

        Assert.Equal(classified, text);
        Assert.Contains(typeof(ConnectionOptions).GetProperties(), p => p.Name == nameof(ConnectionOptions.ApiKey) && p.PropertyType == typeof(SecureString));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, XenditGateway.Direct)]
    [InlineData(InvoiceProviderKind.Revolv3, XenditGateway.Direct)]
    [InlineData(InvoiceProviderKind.Opterius, XenditGateway.Direct)]
    [InlineData(InvoiceProviderKind.Kitchen, XenditGateway.Direct)]
    [InlineData(InvoiceProviderKind.Xendit, XenditGateway.Direct)]
    [InlineData(InvoiceProviderKind.Xendit, XenditGateway.Appgregator)]
    public void The_same_settings_without_the_bad_character_connect(InvoiceProviderKind provider, XenditGateway gateway)
    {
        using var connection = Connect(Valid(provider, gateway));

        Assert.Equal(provider, connection.Kind);
    }

    private static Dictionary<string, object?> Valid(InvoiceProviderKind provider, XenditGateway gateway)
    {
        var settings = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Provider"] = provider.ToString() };
        switch (provider)
        {
            case InvoiceProviderKind.Revere:
                settings["GroupId"] = RevereApi.GroupId.ToString();
                settings["ApiKey"] = "rv_live_0123456789abcdef";
                break;
            case InvoiceProviderKind.Revolv3:
                settings["ApiKey"] = "r3-token-0123456789";
                break;
            case InvoiceProviderKind.Opterius:
                settings["BaseUri"] = Opterius;
                settings["ApiKey"] = "op|0123456789";
                break;
            case InvoiceProviderKind.Kitchen:
                settings["Workspace"] = Workspace;
                settings["ApiKey"] = "kt_0123456789";
                break;
            default:
                settings["Gateway"] = gateway.ToString();
                settings["ApiKey"] = gateway == XenditGateway.Direct ? "xnd_development_0123456789" : "agg-0123456789";
                break;
        }

        return settings;
    }

    private static InvoiceProviderConnection Connect(Dictionary<string, object?> settings)
    {
        var options = ConnectionSettings.Read(settings, out var ignored);
        Assert.Empty(ignored);
        options.EnvironmentVariables = _ => null;
        return InvoiceConnectionFactory.Connect(options);
    }
}
