using System;
using System.Linq;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>What unattended hosts (runbooks, jobs, containers) rely on: keys without prompts, proxies, TLS, per-runspace state.</summary>
public sealed class AutomationHostTests
{
    private static ConnectionOptions RevereAt(Uri baseUri, Func<string, string?> environment, SecureString? apiKey = null) => new()
    {
        Provider = InvoiceProviderKind.Revere,
        BaseUri = baseUri.AbsoluteUri,
        GroupId = RevereApi.GroupId.ToString(),
        ApiKey = apiKey,
        EnvironmentVariables = environment,
        Retry = new RetryOptions { AttemptTimeout = Timeout.InfiniteTimeSpan, MaxAttempts = 1 },
    };

    [Fact]
    public void Each_provider_has_a_documented_key_variable()
    {
        Assert.Equal(
            new[] { "INVOICETOOLS_REVERE_API_KEY", "INVOICETOOLS_REVOLV3_API_KEY", "INVOICETOOLS_OPTERIUS_API_KEY", "INVOICETOOLS_KITCHEN_API_KEY", "INVOICETOOLS_XENDIT_API_KEY" },
            ApiKeySources.EnvironmentVariables);
    }

    [Fact]
    public async Task A_key_from_the_providers_variable_authenticates_every_page()
    {
        await using var loopback = await LoopbackSandbox.StartAsync();
        var environment = TestEnvironment.Of(("INVOICETOOLS_REVERE_API_KEY", "  " + RevereApi.ApiKey + "\n"), ("INVOICETOOLS_KITCHEN_API_KEY", "not-this-one"));
        using var connection = InvoiceConnectionFactory.Connect(RevereAt(loopback.Server.ApiBase(RevereApi.ApiName), environment));

        var ids = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All).Select(i => i.Id).ToList();

        Assert.Equal(loopback.Sandbox.Revere.Ids.OrderBy(i => i, StringComparer.Ordinal), ids.OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal("the INVOICETOOLS_REVERE_API_KEY environment variable", connection.KeySource);
        Assert.Equal("API key (" + RevereApi.ApiKey.Length + " characters, hidden)", connection.Authentication);
    }

    [Fact]
    public void A_given_key_wins_over_the_variable_and_the_sandbox_ignores_it()
    {
        var environment = TestEnvironment.Of(("INVOICETOOLS_KITCHEN_API_KEY", "from-the-environment"));
        using var given = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Workspace = "acme", ApiKey = LoopbackSandbox.Secure("typed-key"), EnvironmentVariables = environment });
        using var sandbox = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true, EnvironmentVariables = environment });

        Assert.Equal("-ApiKey or -Credential", given.KeySource);
        Assert.Equal("API key (9 characters, hidden)", given.Authentication);
        Assert.Equal("the sandbox's own key", sandbox.KeySource);
        Assert.Equal("none (sandbox)", sandbox.Proxy);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Without_a_key_the_error_names_every_way_to_give_one(string? variable)
    {
        var environment = variable is null ? TestEnvironment.Of() : TestEnvironment.Of(("INVOICETOOLS_XENDIT_API_KEY", variable));
        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, EnvironmentVariables = environment }));

        Assert.Equal("Xendit needs an API key.", ex.Message);
        foreach (var way in new[] { "-ApiKey", "-Credential", "Get-AutomationPSCredential", "-SecretName", "INVOICETOOLS_XENDIT_API_KEY", "-Sandbox" })
        {
            Assert.Contains(way, ex.RecommendedAction, StringComparison.Ordinal);
        }

        Assert.Equal("ApiKey", ex.ParameterName);
    }

    [Fact]
    public void A_secret_nobody_read_is_an_error_not_a_silent_fallback()
    {
        var environment = TestEnvironment.Of(("INVOICETOOLS_KITCHEN_API_KEY", "from-the-environment"));
        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Workspace = "acme", SecretName = "KitchenKey", EnvironmentVariables = environment }));

        Assert.Equal("The secret 'KitchenKey' was not read.", ex.Message);
    }

    [Fact]
    public void Secret_requests_that_cannot_mean_anything_are_refused_before_reading()
    {
        var vaultOnly = Assert.Throws<InvoiceConfigurationException>(() => ApiKeySources.CheckSecretRequest(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Vault = "Store" }));
        Assert.Equal("Vault", vaultOnly.ParameterName);
        var withSandbox = Assert.Throws<InvoiceConfigurationException>(() => ApiKeySources.CheckSecretRequest(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, SecretName = "k", Sandbox = true }));
        Assert.Contains("-Sandbox needs none", withSandbox.Message, StringComparison.Ordinal);
        var withKey = Assert.Throws<InvoiceConfigurationException>(() => ApiKeySources.CheckSecretRequest(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, SecretName = "k", ApiKey = LoopbackSandbox.Secure("x") }));
        Assert.Equal("SecretName", withKey.ParameterName);

        ApiKeySources.CheckSecretRequest(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, SecretName = "k", Vault = "Store" });
        ApiKeySources.CheckSecretRequest(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen });
    }

    [Fact]
    public void A_secret_value_becomes_the_key_and_anything_else_is_named_by_type_only()
    {
        Assert.Equal(7, ApiKeySources.FromSecretValue(LoopbackSandbox.Secure("abc1234"), "k", null).Length);
        Assert.Equal(7, ApiKeySources.FromSecretValue(" abc1234 ", "k", "Store").Length);

        var hashtable = Assert.Throws<InvoiceConfigurationException>(() => ApiKeySources.FromSecretValue(new System.Collections.Hashtable { ["key"] = "s3cr3t" }, "k", "Store"));
        Assert.Equal("SecretManagement secret 'k' in vault 'Store' holds a Hashtable, not an API key.", hashtable.Message);
        Assert.DoesNotContain("s3cr3t", hashtable.Message + hashtable.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<InvoiceConfigurationException>(() => ApiKeySources.FromSecretValue(" ", "k", null)).Message, StringComparison.Ordinal);
        Assert.Contains("returned nothing", Assert.Throws<InvoiceConfigurationException>(() => ApiKeySources.FromSecretValue(null, "k", null)).Message, StringComparison.Ordinal);

        var missing = ApiKeySources.SecretManagementMissing("k", InvoiceProviderKind.Revolv3);
        Assert.Contains("Install-Module Microsoft.PowerShell.SecretManagement", missing.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("INVOICETOOLS_REVOLV3_API_KEY", missing.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_proxy_carries_every_request()
    {
        // The loopback sandbox stands in for the proxy. Nothing listens on the API's own address (port 1), so an
        // invoice can only arrive if the request went to the proxy, in the absolute form a proxy receives.
        await using var loopback = await LoopbackSandbox.StartAsync();
        var options = RevereAt(new Uri("http://localhost:1/" + RevereApi.ApiName + "/"), TestEnvironment.Of(), LoopbackSandbox.Secure(RevereApi.ApiKey));
        options.Proxy = loopback.Server.BaseUri.AbsoluteUri;
        using var connection = InvoiceConnectionFactory.Connect(options);

        var ids = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All).Select(i => i.Id).ToList();

        Assert.Equal(loopback.Sandbox.Revere.Ids.OrderBy(i => i, StringComparer.Ordinal), ids.OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal(loopback.Server.BaseUri + " (-Proxy)", connection.Proxy);
        Assert.All(loopback.Sandbox.Requests, r => Assert.Equal("localhost:1", r.Header("Host")));
    }

    [Theory]
    [InlineData("ftp://proxy:21")]
    [InlineData("proxy.example.com:8080")]
    [InlineData("not a uri")]
    public void A_proxy_that_is_not_http_is_refused(string proxy)
    {
        var options = RevereAt(new Uri("https://api.example.com/"), TestEnvironment.Of(), LoopbackSandbox.Secure("k"));
        options.Proxy = proxy;

        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(options));

        Assert.Equal("Proxy", ex.ParameterName);
        Assert.Contains("http://host:port", ex.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proxy_address_with_credentials_is_never_shown()
    {
        var options = RevereAt(new Uri("https://api.example.com/"), TestEnvironment.Of(), LoopbackSandbox.Secure("k"));
        options.Proxy = "http://alice:pr0xy-pass@proxy.example.com:3128";
        using var connection = InvoiceConnectionFactory.Connect(options);
        Assert.Equal("http://proxy.example.com:3128/ (-Proxy, with credentials)", connection.Proxy);

        options.Proxy = "socks5://alice:pr0xy-pass@proxy.example.com:1080";
        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(options));
        Assert.DoesNotContain("pr0xy-pass", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sandbox_takes_no_proxy()
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, Proxy = "http://proxy:8080" }));
        Assert.Equal("Proxy", ex.ParameterName);
    }

    [Fact]
    public void The_proxy_variables_are_read_per_connection_with_curl_rules()
    {
        // Read here on both runtimes: .NET Framework ignores them, and .NET reads them once per process.
        var environment = TestEnvironment.Of(("HTTPS_PROXY", "http://bob:secret@corp-proxy:3128"), ("http_proxy", "plain-proxy:8080"), ("NO_PROXY", "localhost,.internal.example, billing.example.com:8443 ,*.corp"));

        var settings = ProxySettings.Resolve(null, null, environment);

        var proxy = Assert.IsType<ProxySettings.EnvironmentProxy>(settings.Proxy);
        Assert.Equal("http://corp-proxy:3128/ (HTTPS_PROXY, with credentials)", settings.Description);
        Assert.DoesNotContain("secret", settings.Description, StringComparison.Ordinal);
        Assert.Equal("bob", ((NetworkCredential)proxy.Credentials!).UserName);
        Assert.Equal(new Uri("http://corp-proxy:3128/"), proxy.GetProxy(new Uri("https://api.xendit.co/v2/invoices")));
        Assert.Equal(new Uri("http://plain-proxy:8080/"), proxy.GetProxy(new Uri("http://billing.example.org/")));
        foreach (var bypassed in new[] { "http://localhost:5000/", "http://127.0.0.1:5080/revere", "https://a.internal.example/", "https://internal.example/", "https://billing.example.com:8443/x", "https://x.corp/" })
        {
            Assert.True(proxy.IsBypassed(new Uri(bypassed)), bypassed);
        }

        foreach (var proxied in new[] { "https://billing.example.com/x", "https://notinternal.example/", "https://api.kitchen.co/" })
        {
            Assert.False(proxy.IsBypassed(new Uri(proxied)), proxied);
        }

        var httpsOnly = Assert.IsType<ProxySettings.EnvironmentProxy>(ProxySettings.Resolve(null, null, TestEnvironment.Of(("HTTPS_PROXY", "http://corp:1"))).Proxy);
        Assert.True(httpsOnly.IsBypassed(new Uri("http://billing.example.org/")));
    }

    [Fact]
    public void Without_variables_the_system_proxy_applies_and_an_explicit_one_wins_over_them()
    {
        var system = ProxySettings.Resolve(null, null, TestEnvironment.Of());
        Assert.Equal("system proxy (system settings)", system.Description);
        Assert.Null(system.Proxy);
        Assert.Null(system.DefaultProxyCredentials);
        Assert.Equal("http://corp:8080/ (ALL_PROXY)", ProxySettings.Resolve(null, null, TestEnvironment.Of(("ALL_PROXY", "corp:8080"))).Description);

        var credential = new NetworkCredential("carol", "pw");
        var chosen = ProxySettings.Resolve(new Uri("http://explicit:9000"), credential, TestEnvironment.Of(("HTTPS_PROXY", "http://ignored:1")));
        Assert.Equal("http://explicit:9000/ (-Proxy, with credentials)", chosen.Description);
        Assert.Same(credential, ((WebProxy)chosen.Proxy!).Credentials);

        // -ProxyCredential alone is for the system proxy.
        var systemWithCredential = ProxySettings.Resolve(null, credential, TestEnvironment.Of());
        Assert.Equal("system proxy (system settings, with credentials)", systemWithCredential.Description);
        Assert.Same(credential, systemWithCredential.DefaultProxyCredentials);
        var variableWithCredential = ProxySettings.Resolve(null, credential, TestEnvironment.Of(("HTTPS_PROXY", "corp:3128")));
        Assert.Same(credential, variableWithCredential.Proxy!.Credentials);
        Assert.Equal("http://corp:3128/ (HTTPS_PROXY, with credentials)", variableWithCredential.Description);
    }

    [Theory]
    // SSL 3 + TLS 1.0 (48 | 192), what .NET Framework starts with where SchUseStrongCrypto is not set.
    [InlineData(48 | 192, 48 | 192 | 3072)]
    [InlineData(3072, 3072)]
    [InlineData(768 | 3072, 768 | 3072)]
    // SystemDefault: the operating system chooses, and offers TLS 1.2 and 1.3 where it has them.
    [InlineData(0, 0)]
    public void Windows_PowerShell_gets_TLS_1_2_unless_the_system_already_chooses(int current, int expected)
    {
        Assert.Equal((SecurityProtocolType)expected, TlsPolicy.Required((SecurityProtocolType)current));
    }

    [Fact]
    public void One_connection_serves_many_threads_at_once_as_runspaces_do()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true });
        var expected = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All).Select(i => i.Id).ToList();

        var runs = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Select(_ => InvoiceEngine.GetInvoices(connection, InvoiceQuery.All).Select(i => i.Id).ToList())
            .ToList();

        Assert.All(runs, ids => Assert.Equal(expected, ids));
        Assert.True(expected.Count > 100);
    }

    [Fact]
    public void Each_scope_has_its_own_connections_and_default()
    {
        // PowerShell passes the runspace as the scope: two runspaces, or two Automation jobs in one process.
        var jobA = new object();
        var jobB = new object();
        using var a = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true, Name = "shared-name" });
        using var b = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Sandbox = true, Name = "shared-name" });

        Parallel.Invoke(() => ConnectionRegistry.For(jobA).Add(a), () => ConnectionRegistry.For(jobB).Add(b));

        Assert.Same(a, ConnectionRegistry.For(jobA).Default);
        Assert.Same(b, ConnectionRegistry.For(jobB).Default);
        Assert.Same(a, ConnectionRegistry.For(jobA).Get("shared-name"));
        Assert.Equal(new[] { b }, ConnectionRegistry.For(jobB).All);
        Assert.False(a.IsClosed);
    }
}
