using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Opens a connection to an invoice provider and makes it this session's default.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "InvoiceProvider", HelpUri = HelpLinks.Base + "Connect-InvoiceProvider.md")]
[OutputType(typeof(InvoiceProviderConnection))]
public sealed class ConnectInvoiceProviderCommand : InvoiceToolsCmdlet
{
    // Boxed: a Core enum field would make loading this type need InvoiceTools.Core before the module's resolver runs.
    private object? _provider;
    private object? _gateway;
    private object? _cursorParameter;
    private object? _amountUnit;
    private object? _environment;
    private object? _authScheme;
    private object? _endpoint;
    private int _row;

    // Module-qualified, so that a function of the same name in the session cannot stand in for it. No output means
    // SecretManagement is not installed.
    private const string ReadSecretScript = @"
param($Name, $Vault)
if (-not (Get-Command -Name Get-Secret -Module Microsoft.PowerShell.SecretManagement -ErrorAction Ignore)) { return }
$arguments = @{ Name = $Name; ErrorAction = 'Stop' }
if ($Vault) { $arguments.Vault = $Vault }
[pscustomobject]@{ Value = (Microsoft.PowerShell.SecretManagement\Get-Secret @arguments) }";

    /// <summary>
    /// The provider to connect to: Revere, Revolv3, Opterius, Kitchen, Xendit, or the Name of a provider registered
    /// from a definition file (Register-InvoiceProvider). Required, unless -InputObject names it.
    /// </summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Provider
    {
        get => _provider as string;
        set => _provider = value;
    }

    /// <summary>
    /// A defined provider's own settings, by the names its definition gives them (its Settings): the values of the
    /// {Name} placeholders in its address and headers. Get-InvoiceProvider shows which it takes.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Setting { get; set; }

    /// <summary>Connection settings from the pipeline: a hashtable, or an object such as an Import-Csv row, whose keys or properties are this cmdlet's parameter names. Empty values count as absent; values given on the command line are defaults under them.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The API key, as a SecureString (Read-Host -AsSecureString, or ConvertTo-SecureString). Plain text is refused, with the ways to pass it.</summary>
    [Parameter]
    [SecureStringOnly]
    public SecureString? ApiKey { get; set; }

    /// <summary>A credential whose password is the API key (the user name is ignored).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// The name of a SecretManagement secret that holds the API key (a string, SecureString, or PSCredential whose
    /// password is the key). Needs the Microsoft.PowerShell.SecretManagement module and a registered vault.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SecretName { get; set; }

    /// <summary>The SecretManagement vault to read -SecretName from; without it, every registered vault is searched.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SecretVaultCompleter))]
    public string? Vault { get; set; }

    /// <summary>Use the built-in emulator: no account, no key, no network.</summary>
    [Parameter]
    public SwitchParameter Sandbox { get; set; }

    /// <summary>The API root, when it is not the provider's production host.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaseUri { get; set; }

    /// <summary>
    /// True when <paramref name="connection"/> reads the account <paramref name="options"/> describe: the same provider,
    /// sandbox or not, address, and every setting the options give (workspace, group, sub-account and the like).
    /// </summary>
    private static bool SameAccount(InvoiceProviderConnection connection, ConnectionOptions options)
    {
        if (connection.IsSandbox != options.Sandbox
            || !string.Equals(connection.Provider, options.ProviderName ?? options.Provider.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!string.IsNullOrWhiteSpace(options.BaseUri) && Uri.TryCreate(options.BaseUri!.Trim(), UriKind.Absolute, out var address)
            && !string.Equals(address.AbsoluteUri.TrimEnd('/'), connection.BaseUri.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var setting in connection.Settings)
        {
            var given = typeof(ConnectionOptions).GetProperty(setting.Key)?.GetValue(options);
            if (given is not null && !string.Equals(Convert.ToString(given, CultureInfo.InvariantCulture), setting.Value, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The connection's name. Without it the name says what the connection is (Revere-Sandbox, Kitchen-acme, Revere-8059f5c6), with -2, -3 added when that name is taken (with -Force, the connection of that name is replaced instead when it reads the same account). A name in use is an error unless -Force is given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Replace an open connection of the same -Name (it is closed) instead of failing.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Connect without the one request that checks the key (a first page of one invoice); the first Get-Invoice then tells. A sandbox that uses its own key, or rehearses faults, is not checked either; a key given to a sandbox is.</summary>
    [Parameter]
    public SwitchParameter SkipKeyCheck { get; set; }

    /// <summary>Revere Payments: the group (account) id.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GroupId { get; set; }

    /// <summary>Revolv3: Production (api.revolv3.com) or Revolv3's own Sandbox host (api-sandbox.revolv3.com, separate credentials).</summary>
    [Parameter]
    public Revolv3Environment Environment
    {
        get => _environment is Revolv3Environment value ? value : default;
        set => _environment = value;
    }

    /// <summary>Revolv3: Token (x-revolv3-token, default) or Bearer.</summary>
    [Parameter]
    public Revolv3AuthScheme AuthScheme
    {
        get => _authScheme is Revolv3AuthScheme value ? value : default;
        set => _authScheme = value;
    }

    /// <summary>Revolv3: Auto (default; /api/Invoices unless a v1-only filter needs /api/Invoices/v1), Legacy or V1.</summary>
    [Parameter]
    public Revolv3Endpoint Endpoint
    {
        get => _endpoint is Revolv3Endpoint value ? value : default;
        set => _endpoint = value;
    }

    /// <summary>Opterius: read amounts as minor or major units; Auto (default) decides from the response's field names.</summary>
    [Parameter]
    public OpteriusAmountUnit AmountUnit
    {
        get => _amountUnit is OpteriusAmountUnit value ? value : default;
        set => _amountUnit = value;
    }

    /// <summary>Kitchen: your workspace, the subdomain of kitchen.co (acme for https://acme.kitchen.co).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Workspace { get; set; }

    /// <summary>Xendit: reach the API directly (default) or through the Appgregator proxy.</summary>
    [Parameter]
    public XenditGateway Gateway
    {
        get => _gateway is XenditGateway value ? value : default;
        set => _gateway = value;
    }

    /// <summary>Xendit direct: the sub-account to act for (sent as the for-user-id header).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ForUserId { get; set; }

    /// <summary>Xendit through Appgregator: the proxy project's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppgregatorProject { get; set; }

    /// <summary>Xendit through Appgregator: the proxy connection's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppgregatorConnection { get; set; }

    /// <summary>Xendit: send the paging cursor as both last_invoice_id and last_invoice (default), or only one of them.</summary>
    [Parameter]
    public XenditCursorParameter CursorParameter
    {
        get => _cursorParameter is XenditCursorParameter value ? value : default;
        set => _cursorParameter = value;
    }

    /// <summary>The currency to assume where the provider does not say (Revere: USD).</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z]{3}$")]
    public string? Currency { get; set; }

    /// <summary>
    /// Pages requested ahead while Get-Invoice returns the current one, for providers whose pages must be read one
    /// after another (Xendit's cursor, Revolv3, Kitchen when it reports no page count). 0 turns it off; the default is 1.
    /// </summary>
    [Parameter]
    [ValidateRange(0, PagingOptions.MaxPrefetch)]
    public int Prefetch { get; set; } = PagingOptions.Default.Prefetch;

    /// <summary>
    /// Pages requested at once when the provider reports its total on the first page (Revere's total_count, Opterius
    /// and Kitchen's last_page). Invoices still come out in the provider's order. A 429 halves it for the rest of the
    /// run. 1 turns it off; the default is 4.
    /// </summary>
    [Parameter]
    [ValidateRange(1, PagingOptions.MaxPageConcurrency)]
    public int PageConcurrency { get; set; } = PagingOptions.Default.PageConcurrency;

    /// <summary>
    /// Invoices per page when Get-Invoice gives no -PageSize. Without it, the largest page the provider accepts
    /// (Get-InvoiceProvider shows it and where the limit comes from: Revere 1000, the others 100), so a run takes
    /// as few round trips as it can. Get-Invoice -PageSize still wins for one run.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int PageSize { get; set; }

    /// <summary>
    /// Attempts per request, the first included, before a failure is reported (1–10; 1 turns retries off). Without
    /// it, the INVOICETOOLS_MAX_ATTEMPTS environment variable applies, else 5.
    /// </summary>
    [Parameter]
    [ValidateRange(1, RetryOptions.MostAttempts)]
    public int MaxAttempts { get; set; }

    /// <summary>
    /// The most seconds one request may spend waiting between attempts (0–3600). Without it, the
    /// INVOICETOOLS_MAX_RETRY_WAIT_SECONDS environment variable applies, else 120.
    /// </summary>
    [Parameter]
    [ValidateRange(0, RetryOptions.MostRetryWaitSeconds)]
    public int MaxRetryWaitSeconds { get; set; }

    /// <summary>
    /// The seconds one attempt may take before it counts as a timeout and is retried (1–3600). Without it, the
    /// INVOICETOOLS_TIMEOUT_SECONDS environment variable applies, else 100.
    /// </summary>
    [Parameter]
    [ValidateRange(1, RetryOptions.MostTimeoutSeconds)]
    public int TimeoutSeconds { get; set; }

    /// <summary>
    /// Rehearsal on the built-in sandbox: failures it answers with, one per request, in the order given, from the second
    /// request on (the first page always arrives). For example ServiceUnavailable, RateLimitedRetryAfterSeconds,
    /// ResetMidBody, HtmlErrorPage, RepeatedPage or DeleteWhilePaging. about_InvoiceTools_Reliability lists them all and
    /// what the module does about each.
    /// </summary>
    [Parameter]
    public SandboxFaultKind[]? SandboxFault { get; set; }

    /// <summary>Rehearsal on the built-in sandbox: milliseconds added before every answer (0–60000), to watch paging and -Verbose at a real API's pace.</summary>
    [Parameter]
    [ValidateRange(0, InvoiceConnectionFactory.MostSandboxLatencyMs)]
    public int SandboxLatencyMs { get; set; }

    /// <summary>
    /// The proxy to send requests through, as http://host:port. Without it, the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and
    /// NO_PROXY environment variables apply, else the system proxy.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>The user name and password for the proxy: -Proxy's, or without it the one from the environment or the system.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>Return the connection object instead of the one-line summary written to the host.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            _row++;
        }

        var registry = SessionConnections.Current;
        InvoiceProviderConnection connection;
        bool sandboxOwnKey, rehearsal;
        try
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(ApiKey)) && MyInvocation.BoundParameters.ContainsKey(nameof(Credential)))
            {
                throw new InvoiceConfigurationException("-ApiKey and -Credential both give the API key.", "Give it once: -ApiKey with a SecureString, or -Credential with the key as the password.");
            }

            var options = ConnectionSettings.Read(CollectSettings(), out _);
            if (string.IsNullOrWhiteSpace(options.Name))
            {
                // -Force without -Name replaces the connection of the default name when it is the same account (a
                // script run twice); another account under that name (sandbox names do not show the workspace) is kept.
                var name = InvoiceConnectionFactory.DefaultName(options);
                options.Name = Force && registry.Get(name) is { } earlier && SameAccount(earlier, options) ? name : registry.FreeName(name);
            }
            else if (!Force)
            {
                // Before the key is read or checked: nothing else would change the answer.
                registry.EnsureFree(options.Name!.Trim());
            }

            ReadSecret(options);
            options.HostProduct = HostProduct();
            sandboxOwnKey = options.Sandbox && options.ApiKey is null;
            rehearsal = options.SandboxFault.Count > 0 || options.SandboxLatencyMs is > 0;
            connection = InvoiceConnectionFactory.Connect(options);
        }
        catch (InvoiceConfigurationException ex)
        {
            if (InputObject is null)
            {
                WriteFailure(ex, _provider);
                return;
            }

            // Which row of a CSV or which hashtable: the message alone would not say.
            var target = SafeTarget(InputObject);
            var record = ErrorRecords.Create(ex, target);
            var row = target["Name"] is { } name && name.ToString()!.Length > 0 ? $"Settings row {_row} (Name '{name}')" : $"Settings row {_row}";
            record.ErrorDetails = ErrorRecords.Details($"{row}: {ex.Message}", ex.RecommendedAction ?? string.Empty);
            WriteError(record);
            return;
        }

        if (!CheckKey(connection, sandboxOwnKey, rehearsal))
        {
            connection.Dispose();
            return;
        }

        try
        {
            var replaced = registry.Add(connection, makeDefault: true, replace: Force);
            if (replaced is not null)
            {
                WriteVerbose($"Replaced and closed the earlier connection '{replaced.Name}' ({replaced}), as -Force asked.");
            }
        }
        catch (InvoiceConfigurationException ex)
        {
            connection.Dispose();
            WriteFailure(ex, connection);
            return;
        }

        WriteVerbose($"Connected to {connection} at {connection.BaseUri}; it is now the default connection for Get-Invoice.");
        WriteVerbose($"The API key comes from {connection.KeySource}{(connection.IsSandbox ? "." : $"; requests go through proxy: {connection.Proxy}.")}");
        if (SandboxFault is { Length: > 0 } faults)
        {
            WriteVerbose($"Rehearsal: the sandbox answers request 2{(faults.Length > 1 ? $" to {faults.Length + 1}" : string.Empty)} with {string.Join(", ", faults)}, then normally again.");
        }

        if (PassThru)
        {
            WriteObject(connection);
        }
        else
        {
            WriteHost($"Connected to {connection}; it is the default now.");
        }
    }

    /// <summary>
    /// One request for a first page of one invoice, so a wrong key fails here and not in the middle of a runbook.
    /// False when it failed (the error is written).
    /// </summary>
    private bool CheckKey(InvoiceProviderConnection connection, bool sandboxOwnKey, bool rehearsal)
    {
        var notChecked = SkipKeyCheck ? "The key was not checked (-SkipKeyCheck); the first Get-Invoice will tell."
            : sandboxOwnKey ? "The key was not checked: the sandbox uses its own key."
            : rehearsal ? "The key was not checked: a rehearsal's faults start at the second request, which the check would take."
            : null;
        if (notChecked is not null)
        {
            WriteVerbose(notChecked);
            return true;
        }

        var observer = new CmdletObserver(this, 0, "Connect-InvoiceProvider", false, (_, _) => { });
        try
        {
            foreach (var _ in InvoiceEngine.GetInvoices(connection, new InvoiceQuery { PageSize = 1, First = 1 }, observer, StopToken))
            {
                break;
            }

            WriteVerbose($"Checked the key with one request to {connection.Provider}: it was accepted.");
            return true;
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (InvoiceToolsException ex)
        {
            var record = ErrorRecords.Create(ex, connection);
            var action = ex is InvoiceTransportException
                ? "Check the network, the proxy and -BaseUri, then connect again; to connect without this check (offline, to prepare a runbook), add -SkipKeyCheck."
                : $"{ex.RecommendedAction} To connect without this check, add -SkipKeyCheck.".Trim();
            record.ErrorDetails = ErrorRecords.Details(ex.Message, action);
            WriteError(record);
            return false;
        }
    }

    private void ReadSecret(ConnectionOptions options)
    {
        ApiKeySources.CheckSecretRequest(options);
        if (options.SecretName is not { } name)
        {
            return;
        }

        var where = ApiKeySources.DescribeSecret(name, options.Vault);
        WriteVerbose($"Reading the API key from {where} with Get-Secret.");
        System.Collections.ObjectModel.Collection<PSObject> result;
        try
        {
            result = InvokeCommand.InvokeScript(true, ScriptBlock.Create(ReadSecretScript), null, name, options.Vault);
        }
        catch (RuntimeException ex)
        {
            throw ApiKeySources.SecretNotRead(name, options.Vault, options.Provider, ex.Message, options.ProviderName);
        }

        if (result.Count == 0)
        {
            throw ApiKeySources.SecretManagementMissing(name, options.Provider, options.ProviderName);
        }

        var value = result[0].Properties["Value"]?.Value;
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        options.ApiKey = ApiKeySources.FromSecretValue(value is PSCredential credential ? credential.Password : value, name, options.Vault);
        options.KeySource = where;

        // Read: from here on it is an ordinary key.
        options.SecretName = null;
        options.Vault = null;
    }

    private List<KeyValuePair<string, object?>> CollectSettings()
    {
        // Command-line values first, so that a row's own values win over them.
        var settings = new List<KeyValuePair<string, object?>>();
        foreach (var bound in MyInvocation.BoundParameters)
        {
            if (IsSetting(bound.Key))
            {
                settings.Add(SettingPair(bound.Key, bound.Value));
            }
        }

        if (InputObject is null)
        {
            return settings;
        }

        var ignored = new List<string>();
        var row = Row(InputObject).ToList();
        // A row for a defined provider may carry its settings as columns (Region, Account...).
        var providerText = row.Concat(settings).LastOrDefault(p => string.Equals(p.Key, nameof(Provider), StringComparison.OrdinalIgnoreCase) && p.Value is not null).Value;
        var defined = ProviderCatalog.Find(providerText is PSObject wrapped ? wrapped.BaseObject?.ToString() : providerText?.ToString())?.DefinedSettingNames ?? Array.Empty<string>();
        foreach (var pair in row)
        {
            if (IsSetting(pair.Key) || defined.Contains(pair.Key, StringComparer.OrdinalIgnoreCase))
            {
                settings.Add(SettingPair(pair.Key, pair.Value));
            }
            else
            {
                ignored.Add(pair.Key);
            }
        }

        if (ignored.Count > 0)
        {
            // Every key of a hashtable was typed on purpose, and a column one or two letters from a setting's name is
            // a typo: both deserve a warning. A CSV may carry columns of its own, which only -Verbose mentions.
            var typos = ignored.Select(n => (Name: n, Meant: ConnectionSettings.Closest(n, SettingNames))).Where(t => t.Meant is not null).ToList();
            var hashtable = InputObject.BaseObject is IDictionary;
            var warned = hashtable ? ignored : typos.Select(t => t.Name).ToList();
            if (warned.Count > 0)
            {
                var hints = string.Join(", ", warned.Select(n => typos.FirstOrDefault(t => t.Name == n).Meant is { } meant ? $"{n} (did you mean {meant}?)" : n));
                WriteWarning($"Settings row {_row}: ignored {hints}: not a Connect-InvoiceProvider setting. The settings are {string.Join(", ", SettingNames)}.");
            }

            var quiet = ignored.Except(warned).ToList();
            if (quiet.Count > 0)
            {
                WriteVerbose($"Settings row {_row}: ignored {string.Join(", ", quiet)}: not a Connect-InvoiceProvider setting.");
            }
        }

        return settings;
    }

    /// <summary>The row for an error record, without its keys: job streams keep TargetObject.</summary>
    private static Hashtable SafeTarget(PSObject row)
    {
        var safe = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in Row(row))
        {
            var value = pair.Value is PSObject wrapped ? wrapped.BaseObject : pair.Value;
            safe[pair.Key] = pair.Key.Equals("Proxy", StringComparison.OrdinalIgnoreCase) && value is not null
                ? Http.Redactor.Url(Uri.TryCreate(value.ToString(), UriKind.Absolute, out var proxy) ? proxy : null)
                : Http.Redactor.IsSecretName(pair.Key) || value is SecureString || value is PSCredential ? "(hidden)" : value;
        }

        return safe;
    }

    private static IEnumerable<string> SettingNames => ConnectionSettings.Names.Append("Credential").OrderBy(n => n, StringComparer.Ordinal);

    private static bool IsSetting(string name) =>
        name.Equals("Credential", StringComparison.OrdinalIgnoreCase) || ConnectionSettings.Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static KeyValuePair<string, object?> SettingPair(string name, object? value)
    {
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        if (value is string text && string.IsNullOrWhiteSpace(text))
        {
            // An empty CSV cell means "not given", whatever the column.
            return new KeyValuePair<string, object?>(name, null);
        }

        return value switch
        {
            PSCredential proxyCredential when name.Equals("ProxyCredential", StringComparison.OrdinalIgnoreCase) => new KeyValuePair<string, object?>(name, proxyCredential.GetNetworkCredential()),
            PSCredential credential => new KeyValuePair<string, object?>("ApiKey", credential.Password),
            SwitchParameter flag => new KeyValuePair<string, object?>(name, flag.IsPresent),
            _ when name.Equals("Credential", StringComparison.OrdinalIgnoreCase) && value is not null =>
                throw new InvoiceConfigurationException("The Credential setting must be a PSCredential.", "Give a PSCredential (Get-Credential, Get-AutomationPSCredential), or an ApiKey entry instead."),
            _ => new KeyValuePair<string, object?>(name, value),
        };
    }

    private static IEnumerable<KeyValuePair<string, object?>> Row(PSObject row)
    {
        if (row.BaseObject is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                yield return new KeyValuePair<string, object?>(entry.Key?.ToString() ?? string.Empty, entry.Value);
            }

            yield break;
        }

        foreach (var property in row.Properties)
        {
            if (property.IsGettable)
            {
                yield return new KeyValuePair<string, object?>(property.Name, property.Value);
            }
        }
    }

    /// <summary>"PowerShell Core 7.4.6; Linux" or "Windows PowerShell 5.1.22621.4391; Windows", for the User-Agent header.</summary>
    private string HostProduct()
    {
        var table = SessionState.PSVariable.GetValue("PSVersionTable") as System.Collections.IDictionary;
        var edition = table?["PSEdition"]?.ToString() ?? "Desktop";
        var version = table?["PSVersion"]?.ToString() ?? Host.Version.ToString();
        var product = edition == "Desktop" ? $"Windows PowerShell {version}" : $"PowerShell {edition} {version}";
        var platform = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) ? "Windows"
            : System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX) ? "macOS" : "Linux";
        return $"{product}; {platform}";
    }
}
