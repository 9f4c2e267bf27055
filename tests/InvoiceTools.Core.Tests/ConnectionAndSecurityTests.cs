using System;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text.Json;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

public sealed class ConnectionAndSecurityTests
{
    private static InvoiceConfigurationException Refused(ConnectionOptions options) =>
        Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(options));

    private static SecureString Key(string text = "k3y") => LoopbackSandbox.Secure(text);

    [Fact]
    public void Real_revere_connection_needs_a_group_id_and_a_key()
    {
        var noGroup = Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, ApiKey = Key() });
        Assert.Equal("GroupId", noGroup.ParameterName);
        Assert.Contains("-GroupId", noGroup.Message, StringComparison.Ordinal);

        var badGroup = Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, ApiKey = Key(), GroupId = "acme" });
        Assert.Contains("UUID", badGroup.Message, StringComparison.Ordinal);

        var noKey = Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, GroupId = RevereApi.GroupId.ToString() });
        Assert.Equal("ApiKey", noKey.ParameterName);
        Assert.Contains("-Sandbox", noKey.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a uri", "not a valid base URI")]
    [InlineData("ftp://files.example.com", "not a valid base URI")]
    [InlineData("http://api.reverepayments.dev", "plain http")]
    [InlineData("https://user:pw@api.reverepayments.dev", "must not contain credentials")]
    [InlineData("https://api.reverepayments.dev/?key=1", "must not contain credentials")]
    public void Bad_base_uris_are_refused_before_any_request(string baseUri, string expected)
    {
        var error = Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, ApiKey = Key(), GroupId = RevereApi.GroupId.ToString(), BaseUri = baseUri });
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("BaseUri", error.ParameterName);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/revere")]
    [InlineData("http://localhost:5080/revere")]
    [InlineData("http://[::1]:5080/revere")]
    [InlineData("https://api.reverepayments.dev")]
    public void Https_or_loopback_http_is_accepted(string baseUri)
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, ApiKey = Key(), GroupId = RevereApi.GroupId.ToString(), BaseUri = baseUri });
        Assert.Equal(new Uri(baseUri), connection.BaseUri);
        Assert.Equal("Revere-8059f5c6", connection.Name);
    }

    [Fact]
    public void Sandbox_connection_needs_nothing_and_shows_no_key()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        Assert.Equal("Revere-Sandbox", connection.Name);
        Assert.True(connection.IsSandbox);
        Assert.Equal("Revere-Sandbox (Revere Payments, sandbox)", connection.ToString());
        Assert.Equal(RevereApi.GroupId.ToString(), connection.Setting("GroupId"));
        Assert.Equal("USD", connection.Setting("Currency"));
        Assert.Equal("https://sandbox.invoicetools.invalid/revere", connection.BaseUri.AbsoluteUri);
        Assert.DoesNotContain(RevereApi.ApiKey, JsonSerializer.Serialize(connection), StringComparison.Ordinal);
        Assert.Equal("********", connection.Secret.ToString());
        Assert.Equal(1200, InvoiceEngine.GetInvoices(connection, InvoiceQuery.All).Count());
    }

    [Fact]
    public void Sandbox_and_base_uri_together_are_refused()
    {
        var error = Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, BaseUri = "https://x.test" });
        Assert.Contains("-Sandbox", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Revere*")]
    [InlineData("a?b")]
    public void Wildcards_in_connection_names_are_refused(string name)
    {
        Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Name = name });
    }

    [Fact]
    public void Bad_currency_is_refused()
    {
        Assert.Equal("Currency", Refused(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Currency = "dollars" }).ParameterName);
    }

    [Fact]
    public void Query_validation_happens_before_any_request()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        Assert.Equal("PageSize", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 0 })).ParameterName);
        Assert.Contains("1 to 1000", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 1001 })).Message, StringComparison.Ordinal);
        var dates = Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.GetInvoices(connection, new InvoiceQuery { CreatedAfter = DateTimeOffset.UtcNow, CreatedBefore = DateTimeOffset.UtcNow.AddDays(-1) }));
        Assert.Contains("must be earlier", dates.Message, StringComparison.Ordinal);
        var status = Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.GetInvoices(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Draft } }));
        Assert.Contains("Open, Overdue, Paid, Void", status.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(connection.Emulator().Requests);
    }

    [Fact]
    public void Closed_connection_says_to_reconnect()
    {
        var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        connection.Dispose();
        Assert.Contains("Connect-InvoiceProvider", Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.GetInvoices(connection, InvoiceQuery.All)).RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_are_never_sent_to_another_host()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://evil.example.com/api/v1/groups/x/invoices");

        var error = await Assert.ThrowsAsync<InvoicePagingException>(() => connection.Http.SendAsync(request));

        Assert.Contains("Refused to send credentials to https://evil.example.com", error.Message, StringComparison.Ordinal);
        Assert.Empty(connection.Emulator().Requests);
    }

    [Fact]
    public void Registry_scopes_are_isolated_and_the_default_falls_back()
    {
        var scopeA = new object();
        var scopeB = new object();
        var a1 = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Name = "one" });
        var a2 = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Name = "two" });
        ConnectionRegistry.For(scopeA).Add(a1);
        ConnectionRegistry.For(scopeA).Add(a2);

        Assert.Same(a2, ConnectionRegistry.For(scopeA).Default);
        Assert.Null(ConnectionRegistry.For(scopeB).Default);
        Assert.Empty(ConnectionRegistry.For(scopeB).All);
        Assert.Same(a1, ConnectionRegistry.For(scopeA).Get("ONE"));
        Assert.True(ConnectionRegistry.For(scopeA).Remove("two"));
        Assert.True(a2.IsClosed);
        Assert.Same(a1, ConnectionRegistry.For(scopeA).Default);

        var replacement = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Name = "one" });
        ConnectionRegistry.For(scopeA).Add(replacement);
        Assert.True(a1.IsClosed);
        Assert.Same(replacement, ConnectionRegistry.For(scopeA).Get("one"));
    }

    [Fact]
    public void A_name_in_use_is_an_error_unless_replacing_and_free_names_count_up()
    {
        var registry = ConnectionRegistry.For(new object());
        var first = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Name = "prod" });
        var second = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true, Name = "PROD" });
        Assert.Null(registry.Add(first, replace: false));

        var inUse = Assert.Throws<InvoiceConfigurationException>(() => registry.Add(second, replace: false));
        Assert.Equal("A connection named 'prod' is already open: prod (Revere Payments, sandbox).", inUse.Message);
        Assert.Equal("Name", inUse.ParameterName);
        Assert.Throws<InvoiceConfigurationException>(() => registry.EnsureFree("Prod"));
        Assert.False(first.IsClosed);
        Assert.Same(first, registry.Default);

        Assert.Equal("prod-2", registry.FreeName("prod"));
        Assert.Equal("other", registry.FreeName("other"));
        Assert.Same(first, registry.Add(second, replace: true));
        Assert.True(first.IsClosed);
        Assert.Same(second, registry.Get("prod"));

        var missing = Assert.Throws<InvoiceConfigurationException>(() => registry.SetDefault("nothing"));
        Assert.Equal("There is no connection named 'nothing' in this session.", missing.Message);
        Assert.Equal("Connections in this session: PROD.", missing.RecommendedAction);
        Assert.Same(second, registry.SetDefault("prod"));
    }

    [Fact]
    public void Closing_the_default_goes_back_to_the_default_before_it()
    {
        var registry = ConnectionRegistry.For(new object());
        InvoiceProviderConnection Open(string name) => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Name = name });
        registry.Add(Open("revere"));
        registry.Add(Open("xendit"));
        registry.SetDefault("revere");
        registry.Add(Open("kitchen"));

        registry.Remove("kitchen");
        Assert.Equal("revere", registry.Default!.Name);

        registry.Remove("revere");
        Assert.Equal("xendit", registry.Default!.Name);

        registry.Add(Open("opterius"), makeDefault: false);
        registry.Remove("xendit");
        Assert.Equal("opterius", registry.Default!.Name);
        registry.Remove("opterius");
        Assert.Null(registry.Default);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, true, null, "Revere-Sandbox")]
    [InlineData(InvoiceProviderKind.Revere, false, "GroupId=8059f5c6-e1cd-4e46-9196-1d7e47401a3e", "Revere-8059f5c6")]
    [InlineData(InvoiceProviderKind.Kitchen, false, "Workspace=acme", "Kitchen-acme")]
    [InlineData(InvoiceProviderKind.Kitchen, true, "Workspace=acme", "Kitchen-Sandbox")]
    [InlineData(InvoiceProviderKind.Opterius, false, "BaseUri=https://billing.example.com/api", "Opterius-billing.example.com")]
    [InlineData(InvoiceProviderKind.Xendit, false, null, "Xendit")]
    [InlineData(InvoiceProviderKind.Xendit, false, "ForUserId=5f6b7c8d", "Xendit-5f6b7c8d")]
    [InlineData(InvoiceProviderKind.Xendit, false, "Gateway=Appgregator;AppgregatorProject=acme", "Xendit-Appgregator-acme")]
    [InlineData(InvoiceProviderKind.Xendit, true, "Gateway=Appgregator", "Xendit-Appgregator-Sandbox")]
    [InlineData(InvoiceProviderKind.Revolv3, false, null, "Revolv3")]
    [InlineData(InvoiceProviderKind.Revolv3, false, "Environment=Sandbox", "Revolv3-api-sandbox")]
    [InlineData(InvoiceProviderKind.Revolv3, false, "BaseUri=https://api.revolv3.com", "Revolv3")]
    public void Default_names_say_what_the_connection_is(InvoiceProviderKind provider, bool sandbox, string? settings, string expected)
    {
        var pairs = new System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<string, object?>> { new("Provider", provider.ToString()), new("Sandbox", sandbox) };
        foreach (var pair in (settings ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
        {
            pairs.Add(new(pair[0], pair[1]));
        }

        Assert.Equal(expected, InvoiceConnectionFactory.DefaultName(ConnectionSettings.Read(pairs, out _)));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, "Workspace", "-Workspace (Kitchen) is a setting of another provider, not of Revere.", "Revere takes -Currency, -GroupId beside the common ones.")]
    [InlineData(InvoiceProviderKind.Kitchen, "GroupId", "-GroupId (Revere) is a setting of another provider, not of Kitchen.", "Kitchen takes -Workspace beside the common ones.")]
    [InlineData(InvoiceProviderKind.Opterius, "Gateway;ForUserId", "-Gateway (Xendit), -ForUserId (Xendit) are settings of another provider, not of Opterius.", "Opterius takes -AmountUnit beside the common ones.")]
    [InlineData(InvoiceProviderKind.Xendit, "Endpoint", "-Endpoint (Revolv3) is a setting of another provider, not of Xendit.", "Xendit takes -AppgregatorConnection, -AppgregatorProject, -CursorParameter, -ForUserId, -Gateway beside the common ones.")]
    [InlineData(InvoiceProviderKind.Kitchen, "Currency", "-Currency (Revere, Revolv3) is a setting of other providers, not of Kitchen.", "Kitchen takes -Workspace beside the common ones.")]
    [InlineData(InvoiceProviderKind.Revolv3, "amountunit", "-AmountUnit (Opterius) is a setting of another provider, not of Revolv3.", "Revolv3 takes -AuthScheme, -Currency, -Endpoint, -Environment beside the common ones.")]
    public void Another_providers_settings_are_refused_with_the_providers_own(InvoiceProviderKind provider, string foreign, string message, string actionEnd)
    {
        var pairs = new System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<string, object?>> { new("Provider", provider.ToString()), new("Sandbox", true), new("Prefetch", 2) };
        var values = new System.Collections.Generic.Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Workspace"] = "acme", ["GroupId"] = "g", ["Gateway"] = "Appgregator", ["ForUserId"] = "u", ["Endpoint"] = "V1", ["AmountUnit"] = "Major", ["Currency"] = "EUR" };
        pairs.AddRange(foreign.Split(';').Select(n => new System.Collections.Generic.KeyValuePair<string, object?>(n, values[n])));

        var error = Assert.Throws<InvoiceConfigurationException>(() => ConnectionSettings.Read(pairs, out _));
        Assert.Equal(message, error.Message);
        Assert.EndsWith(actionEnd, error.RecommendedAction, StringComparison.Ordinal);

        // An empty cell is not given: one CSV can hold accounts of different providers.
        pairs.RemoveAll(p => foreign.Split(';').Contains(p.Key, StringComparer.OrdinalIgnoreCase));
        pairs.AddRange(foreign.Split(';').Select(n => new System.Collections.Generic.KeyValuePair<string, object?>(n, " ")));
        Assert.Equal(provider, ConnectionSettings.Read(pairs, out _).Provider);
    }

    [Theory]
    [InlineData("https://api.test/v1/invoices?api_key=abc&limit=10", "https://api.test/v1/invoices?api_key=***&limit=10")]
    [InlineData("https://u:p@api.test/x?token=t&Signature=s&page=2", "https://api.test/x?token=***&Signature=***&page=2")]
    [InlineData("https://api.test/x", "https://api.test/x")]
    public void Urls_are_redacted(string url, string expected)
    {
        Assert.Equal(expected, Redactor.Url(new Uri(url)));
    }

    [Fact]
    public void Headers_are_redacted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/");
        request.Headers.TryAddWithoutValidation("Authorization", "secret-value");
        request.Headers.TryAddWithoutValidation("x-api-key", "secret-value");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        var lines = Redactor.Headers(request).ToList();
        Assert.Contains("Authorization: ***", lines);
        Assert.Contains("x-api-key: ***", lines);
        Assert.Contains("Accept: application/json", lines);
        Assert.DoesNotContain(lines, l => l.Contains("secret-value", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"message\":\"The given data was invalid.\",\"errors\":{\"status\":[\"The selected status is invalid.\"]}}", null, "The given data was invalid.", "status: The selected status is invalid.")]
    [InlineData("{\"error_code\":\"API_VALIDATION_ERROR\",\"message\":\"Invalid limit\",\"errors\":[{\"path\":\"limit\",\"message\":\"must be <= 100\"}]}", "API_VALIDATION_ERROR", "Invalid limit", "limit: must be <= 100")]
    [InlineData("{\"error_code\":\"INVALID_API_KEY\"}", "INVALID_API_KEY", null, null)]
    [InlineData("{\"error\":\"Unauthenticated.\"}", null, "Unauthenticated.", null)]
    [InlineData("[{\"propertyName\":\"pageSize\",\"errorMessage\":\"must be between 1 and 100\"}]", null, "pageSize: must be between 1 and 100", "pageSize: must be between 1 and 100")]
    public void Provider_error_bodies_are_read_in_every_common_shape(string json, string? code, string? message, string? detail)
    {
        using var document = JsonDocument.Parse(json);
        var error = ProviderError.FromJson(document.RootElement);
        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
        if (detail is null)
        {
            Assert.Empty(error.Details);
        }
        else
        {
            Assert.Contains(detail, error.Details);
        }
    }

    [Fact]
    public void A_provider_sees_the_connections_base_uri_typed_configuration_paging_and_sandbox_day_through_IProviderConnection()
    {
        var today = new DateTimeOffset(2026, 3, 14, 0, 0, 0, TimeSpan.Zero);
        var sandbox = new InvoiceSandbox(new SandboxOptions { Today = today }).AsServer();
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Kitchen,
            Sandbox = true,
            SandboxInstance = sandbox,
            Workspace = "Acme",
            Paging = new PagingOptions { PageSize = 25 },
        });

        IProviderConnection seen = connection;
        Assert.Equal(connection.BaseUri, seen.BaseUri);
        Assert.Equal("acme", Assert.IsType<KitchenConfiguration>(seen.Configuration).Workspace);
        Assert.Equal(25, seen.Paging.PageSize);
        Assert.Equal(today.UtcDateTime.Date, seen.Now.UtcDateTime.Date);
        Assert.Equal(seen.BaseUri.AbsoluteUri.TrimEnd('/') + "/api/invoices", connection.Implementation.ListEndpoint(seen).AbsoluteUri);
    }
}

public sealed class SettingNameHintTests
{
    [Theory]
    [InlineData("Workspce", "Workspace")]
    [InlineData("workspase", "Workspace")]
    [InlineData("GroupID", null)]
    [InlineData("Groupid", null)]
    [InlineData("GropuId", "GroupId")]
    [InlineData("Gatway", "Gateway")]
    [InlineData("Notes", null)]
    [InlineData("Owner", null)]
    [InlineData("Nam", "Name")]
    [InlineData("Id", null)]
    public void A_name_one_or_two_mistakes_from_a_setting_is_recognised_and_other_columns_are_not(string column, string? meant)
    {
        Assert.Equal(meant, ConnectionSettings.Closest(column, ConnectionSettings.Names));
    }
}
