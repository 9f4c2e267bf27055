using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using InvoiceTools.Http;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using static System.FormattableString;

namespace InvoiceTools.Connections;

/// <summary>Validates connection settings and opens connections. Everything is checked here, before any request.</summary>
public static class InvoiceConnectionFactory
{
    /// <summary>The host every in-process sandbox connection uses; .invalid never resolves, so nothing can leak to a network.</summary>
    public static readonly Uri SandboxRoot = new("https://sandbox.invoicetools.invalid/");

    /// <summary>Opens a connection, or throws <see cref="InvoiceConfigurationException"/> saying what to fix.</summary>
    public static InvoiceProviderConnection Connect(ConnectionOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var provider = ProviderCatalog.For(options);
        var d = provider.Descriptor;
        var name = string.IsNullOrWhiteSpace(options.Name) ? DefaultName(options) : options.Name!.Trim();
        if (name.IndexOfAny(new[] { '*', '?', '[', ']' }) >= 0)
        {
            throw new InvoiceConfigurationException($"The connection name '{name}' contains a wildcard character.", "Use a -Name without * ? [ ].") { ParameterName = "Name", Provider = d.Kind };
        }

        var currency = string.IsNullOrWhiteSpace(options.Currency) ? null : options.Currency!.Trim().ToUpperInvariant();
        if (currency is not null && !Currency.IsValidCode(currency))
        {
            throw new InvoiceConfigurationException($"'{options.Currency}' is not an ISO 4217 currency code.", "Use a three-letter code such as USD, EUR or JPY.") { ParameterName = "Currency", Provider = d.Kind };
        }

        var paging = (options.Paging ?? PagingOptions.Default).Validate();
        if (paging.PageSize is int pageSize)
        {
            provider.CheckPageSize(pageSize);
        }

        var environment = options.EnvironmentVariables ?? Environment.GetEnvironmentVariable;
        var retry = (options.Retry ?? RetryOptions.Default).With(options.MaxAttempts, options.MaxRetryWaitSeconds, environment, options.TimeoutSeconds);
        ApiKeySources.CheckSecretRequest(options);
        if (options.SecretName is not null)
        {
            // Core cannot run Get-Secret; Connect-InvoiceProvider reads the secret into ApiKey and clears SecretName.
            throw new InvoiceConfigurationException($"The secret '{options.SecretName}' was not read.", "Use Connect-InvoiceProvider -SecretName, which reads it with Get-Secret.") { ParameterName = "SecretName", Provider = options.Provider };
        }
        var faults = options.SandboxFault ?? Array.Empty<string>();
        if (!options.Sandbox && (faults.Count > 0 || options.SandboxLatencyMs is not null))
        {
            throw new InvoiceConfigurationException(
                "-SandboxFault and -SandboxLatencyMs rehearse failures on the built-in sandbox, so they need -Sandbox.",
                "Add -Sandbox, or leave them out for a real account.") { ParameterName = faults.Count > 0 ? "SandboxFault" : "SandboxLatencyMs", Provider = d.Kind };
        }

        if (options.SandboxLatencyMs is int latency && (latency < 0 || latency > MostSandboxLatencyMs))
        {
            throw new InvoiceConfigurationException(Invariant($"-SandboxLatencyMs {latency} is out of range."), Invariant($"Use 0 to {MostSandboxLatencyMs}.")) { ParameterName = "SandboxLatencyMs", Provider = d.Kind };
        }

        CheckWireSettings(options, d);
        ISandboxServer? sandbox = null;
        SandboxAccount? account = null;
        if (options.Sandbox)
        {
            sandbox = options.SandboxInstance ?? SandboxServers.Create(SandboxToday(options.EnvironmentVariables, d));
            account = sandbox.AccountFor(provider.SandboxDefaultsFor(options).Route);
        }

        var configured = provider.ConfigureConnection(options, account);
        var settings = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Uri baseUri;
        ApiSecret secret;
        string keySource;
        ProxySettings? proxy = null;
        HttpMessageHandlerFactory primary;
        if (sandbox is not null && account is not null)
        {
            if (!string.IsNullOrWhiteSpace(options.BaseUri))
            {
                throw new InvoiceConfigurationException("-Sandbox uses the built-in emulator, so it cannot be combined with -BaseUri.", "Drop -BaseUri for the built-in sandbox; to use a sandbox served on a port, give -BaseUri without -Sandbox.") { ParameterName = "BaseUri", Provider = d.Kind };
            }

            var route = provider.SandboxDefaultsFor(options).Route;
            Rehearse(sandbox, route, faults, options.SandboxLatencyMs, d);
            baseUri = new Uri(SandboxRoot, route);
            secret = options.ApiKey is null ? ApiSecret.FromPlainText(account.ApiKey) : new ApiSecret(options.ApiKey);
            keySource = options.ApiKey is null ? "the sandbox's own key" : "-ApiKey or -Credential";
            if (!string.IsNullOrWhiteSpace(options.Proxy) || options.ProxyCredential is not null)
            {
                throw new InvoiceConfigurationException("-Sandbox answers in-process and sends nothing over the network, so it takes no proxy.", "Leave out -Proxy and -ProxyCredential for the sandbox.") { ParameterName = "Proxy", Provider = d.Kind };
            }
            var server = sandbox;
            primary = server.CreateHandler;
        }
        else
        {
            baseUri = ParseBaseUri(options.BaseUri, d, provider.DefaultBaseUriFor(options));
            if (options.ApiKey is { Length: > 0 } given)
            {
                secret = new ApiSecret(given);
                keySource = options.KeySource ?? "-ApiKey or -Credential";
            }
            else if (ApiKeySources.FromEnvironment(d.Name, environment) is { } fromEnvironment)
            {
                secret = fromEnvironment;
                keySource = $"the {ApiKeySources.EnvironmentVariableFor(d.Name)} environment variable";
            }
            else
            {
                throw new InvoiceConfigurationException(
                    $"{d.DisplayName} needs an API key.",
                    $"Pass -ApiKey (a SecureString, for example from Read-Host -AsSecureString), -Credential with the key as the password (Get-AutomationPSCredential in a runbook), or -SecretName to read it with SecretManagement; or set the {ApiKeySources.EnvironmentVariableFor(d.Name)} environment variable; or try -Sandbox.")
                { ParameterName = "ApiKey", Provider = d.Kind };
            }

            proxy = ProxySettings.Resolve(ParseProxy(options.Proxy, d), options.ProxyCredential, environment);
            var network = proxy;
            primary = () => HttpPipeline.CreateNetworkHandler(paging.PageConcurrency + paging.Prefetch, network);
        }

        if (secret.HeaderProblem() is { } keyProblem)
        {
            throw new InvoiceConfigurationException(
                $"The API key from {keySource} contains {keyProblem}, so it cannot go into a request header: HTTP headers take printable ASCII only, and a line break would end the header and start another.",
                "Remove that character from the key (a key read from a file or pasted from a web page often carries one) and connect again.")
            { ParameterName = "ApiKey", Provider = d.Kind };
        }

        foreach (var pair in configured.Shown)
        {
            settings[pair.Key] = pair.Value;
        }

        if (currency is not null)
        {
            settings["Currency"] = currency;
        }

        var handler = options.PrimaryHandler ?? primary();
        var http = HttpPipeline.Create(baseUri, d.Kind, request => provider.ApplyCredentials(request, secret.Reveal(), configured), new SecretMask(secret.Reveal), retry, options.TimeProvider ?? TimeProvider.System, handler, options.HostProduct);
        return new InvoiceProviderConnection(name, provider, baseUri, options.Sandbox, configured, settings, secret, http, sandbox, paging, retry)
        {
            KeySource = keySource,
            Proxy = proxy?.Description ?? "none (sandbox)",
        };
    }

    /// <summary>
    /// The text settings the module writes into requests, by parameter name, and where each one goes. Header values
    /// must be printable ASCII; the others may hold any character but a control character.
    /// </summary>
    internal static readonly IReadOnlyList<(string Name, Func<ConnectionOptions, string?> Value, string Where, bool Header)> WireSettings =
        new (string Name, Func<ConnectionOptions, string?> Value, string Where, bool Header)[]
        {
            ("BaseUri", o => o.BaseUri, "the host and path of every request", false),
            ("Proxy", o => o.Proxy, "the proxy's address", false),
        }
        .Concat(ProviderCatalog.BuiltIn.SelectMany(p => p.Descriptor.Settings).Distinct()
            .Where(s => s.GoesInto is not null && s.Text is not null)
            .Select(s => (s.Name, s.Text!, s.GoesInto!, s.Header)))
        .ToList();

    private static void CheckWireSettings(ConnectionOptions options, ProviderDescriptor d)
    {
        foreach (var (setting, value, where, header) in WireSettings)
        {
            if (WireText.Problem(value(options), header) is { } problem)
            {
                throw new InvoiceConfigurationException(
                    $"-{setting} contains {problem}; it goes into {where}, where it could change the request.",
                    $"Give -{setting} without line breaks or control characters{(header ? " (printable ASCII only)" : string.Empty)}.")
                { ParameterName = setting, Provider = d.Kind };
            }
        }
    }

    private static Uri? ParseProxy(string? text, ProviderDescriptor d)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
        {
            return uri;
        }

        throw new InvoiceConfigurationException($"-Proxy {(text.Contains("@") ? "(an address with credentials in it)" : $"'{text.Trim()}'")} is not an http:// or https:// address.", "Give the proxy as http://host:port, for example http://proxy.example.com:8080.") { ParameterName = "Proxy", Provider = d.Kind };
    }

    /// <summary>The most latency a rehearsal may add to each answer, in milliseconds.</summary>
    public const int MostSandboxLatencyMs = 60000;

    private static void Rehearse(ISandboxServer sandbox, string route, IReadOnlyList<string> faults, int? latencyMs, ProviderDescriptor d)
    {
        foreach (var fault in faults)
        {
            if (sandbox.WhyNotFault(fault, route) is { } reason)
            {
                var usable = SandboxServers.FaultNames.Where(f => sandbox.WhyNotFault(f, route) is null);
                throw new InvoiceConfigurationException(reason, $"For {d.DisplayName} use one of: {string.Join(", ", usable)}.") { ParameterName = "SandboxFault", Provider = d.Kind };
            }
        }

        if (faults.Count > 0 || latencyMs is not null)
        {
            sandbox.Rehearse(route, faults, latencyMs is int latency ? TimeSpan.FromMilliseconds(latency) : null);
        }
    }

    /// <summary>The variable that pins the day a -Sandbox connection's data is dated from (yyyy-MM-dd), for repeatable runs.</summary>
    public const string SandboxDateVariable = "INVOICETOOLS_SANDBOX_DATE";

    /// <summary>Today's UTC date, or the day INVOICETOOLS_SANDBOX_DATE names: the sandbox's data is dated from it.</summary>
    /// <exception cref="InvoiceConfigurationException">The variable is set but is not a yyyy-MM-dd date.</exception>
    public static DateTimeOffset SandboxToday(Func<string, string?>? environment, ProviderDescriptor? descriptor)
    {
        var text = environment?.Invoke(SandboxDateVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        }

        if (DateTime.TryParseExact(text!.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day, TimeSpan.Zero);
        }

        throw new InvoiceConfigurationException($"{SandboxDateVariable} is '{text}', which is not a date.", $"Set it to a date such as 2026-11-01 (yyyy-MM-dd), or remove it to date the sandbox from today.") { Provider = descriptor?.Kind };
    }

    /// <summary>
    /// The name a connection gets without -Name: the provider, then what tells its accounts apart. Sandboxes are
    /// "Revere-Sandbox" and "Xendit-Appgregator-Sandbox"; real accounts add the Revere group (its first 8
    /// characters), the Kitchen workspace, the Xendit sub-account or Appgregator project, the Revolv3 sandbox host, or
    /// the host of a -BaseUri that is not the provider's own: "Kitchen-acme", "Opterius-billing.example.com".
    /// </summary>
    public static string DefaultName(ConnectionOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var provider = ProviderCatalog.For(options);
        var kind = provider.Descriptor.Name;
        if (options.Sandbox)
        {
            return provider.SandboxDefaultsFor(options).Label is { } route ? $"{kind}-{route}-Sandbox" : $"{kind}-Sandbox";
        }

        var account = provider.AccountLabel(options);
        var given = string.IsNullOrWhiteSpace(options.BaseUri) ? string.Empty : options.BaseUri!.Trim();
        var host = Uri.TryCreate(given, UriKind.Absolute, out var uri) && uri.Host != provider.Descriptor.DefaultBaseUri?.Host ? uri.Host : null;
        var label = account ?? host;
        return label is null ? kind : $"{kind}-{label}";
    }

    /// <summary>Parses and checks a base URI: absolute, HTTPS (plain HTTP only to loopback), no query or credentials.</summary>
    public static Uri ParseBaseUri(string? text, ProviderDescriptor descriptor, Uri? defaultBaseUri = null)
    {
        if (descriptor is null)
        {
            throw new ArgumentNullException(nameof(descriptor));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultBaseUri ?? descriptor.DefaultBaseUri ?? throw new InvoiceConfigurationException(
                $"{descriptor.DisplayName} has no public host: every installation has its own address.",
                "Pass -BaseUri with your installation's address, for example https://billing.example.com.")
            { ParameterName = "BaseUri", Provider = descriptor.Kind };
        }

        if (!Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvoiceConfigurationException($"'{text}' is not a valid base URI.", $"Give an absolute https:// address, for example {descriptor.DefaultBaseUri?.AbsoluteUri ?? "https://billing.example.com"}.") { ParameterName = "BaseUri", Provider = descriptor.Kind };
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvoiceConfigurationException("The base URI must not contain credentials, a query or a fragment.", "Give just the API root, such as https://host/ ; pass the key with -ApiKey.") { ParameterName = "BaseUri", Provider = descriptor.Kind };
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            throw new InvoiceConfigurationException($"'{uri.GetLeftPart(UriPartial.Authority)}' uses plain http, which would send the API key unencrypted.", "Use https://. Plain http is allowed only for loopback addresses (a local sandbox).") { ParameterName = "BaseUri", Provider = descriptor.Kind };
        }

        return uri;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private delegate System.Net.Http.HttpMessageHandler HttpMessageHandlerFactory();
}
