using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using InvoiceTools.Http;

namespace InvoiceTools.Requests;

/// <summary>Everything Connect-InvoiceProvider collects; the connection factory (InvoiceTools.Connections) validates it.</summary>
public sealed class ConnectionOptions
{
    /// <summary>The provider: a built-in one, or <see cref="InvoiceProviderKind.Defined"/> with <see cref="ProviderName"/>.</summary>
    public InvoiceProviderKind Provider { get; set; }

    /// <summary>The Name of a provider registered from a definition file, when <see cref="Provider"/> is Defined.</summary>
    public string? ProviderName { get; set; }

    /// <summary>
    /// A defined provider's own settings (-Setting, or a settings row's columns named as the definition's Settings):
    /// the values of its {Setting} placeholders, by name, compared without case.
    /// </summary>
    public IDictionary<string, string> DefinedSettings { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The connection's name; defaults to the provider's name (with "-Sandbox" for sandboxes).</summary>
    public string? Name { get; set; }

    /// <summary>The API key.</summary>
    public SecureString? ApiKey { get; set; }

    /// <summary>A SecretManagement secret holding the API key (-SecretName); the cmdlet reads it into <see cref="ApiKey"/>.</summary>
    public string? SecretName { get; set; }

    /// <summary>The SecretManagement vault to read <see cref="SecretName"/> from (-Vault); null searches every registered vault.</summary>
    public string? Vault { get; set; }

    /// <summary>Where <see cref="ApiKey"/> came from, when the cmdlet read it from somewhere (a secret); never the key.</summary>
    public string? KeySource { get; set; }

    /// <summary>An explicit proxy (-Proxy); null uses HTTPS_PROXY/NO_PROXY or the system proxy.</summary>
    public string? Proxy { get; set; }

    /// <summary>Credentials for the proxy (-ProxyCredential).</summary>
    public System.Net.NetworkCredential? ProxyCredential { get; set; }

    /// <summary>Reads environment variables (API keys, proxy, retry defaults); tests pass their own.</summary>
    public Func<string, string?> EnvironmentVariables { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The API root; defaults to the provider's production host.</summary>
    public string? BaseUri { get; set; }

    /// <summary>Use the built-in emulator instead of the real API.</summary>
    public bool Sandbox { get; set; }

    /// <summary>Revere: the group (account) id, a UUID.</summary>
    public string? GroupId { get; set; }

    /// <summary>Revolv3: production or Revolv3's own sandbox host (separate credentials).</summary>
    public Revolv3Environment Environment { get; set; }

    /// <summary>Revolv3: the static token header (default) or a Bearer token.</summary>
    public Revolv3AuthScheme AuthScheme { get; set; }

    /// <summary>Revolv3: which list endpoint to call; Auto uses /api/Invoices unless a v1-only filter needs /api/Invoices/v1.</summary>
    public Revolv3Endpoint Endpoint { get; set; }

    /// <summary>Opterius: how amounts are read; Auto decides from the response's field names.</summary>
    public OpteriusAmountUnit AmountUnit { get; set; }

    /// <summary>Kitchen: the workspace, the subdomain of kitchen.co.</summary>
    public string? Workspace { get; set; }

    /// <summary>Xendit: call the API directly or through the Appgregator proxy.</summary>
    public XenditGateway Gateway { get; set; }

    /// <summary>Xendit direct: the sub-account to act for (the for-user-id header).</summary>
    public string? ForUserId { get; set; }

    /// <summary>Xendit through Appgregator: the proxy's project name (the name parameter).</summary>
    public string? AppgregatorProject { get; set; }

    /// <summary>Xendit through Appgregator: the proxy's connection name (the connection_name parameter).</summary>
    public string? AppgregatorConnection { get; set; }

    /// <summary>Xendit: which name(s) the paging cursor is sent under.</summary>
    public XenditCursorParameter CursorParameter { get; set; }

    /// <summary>The currency to assume where the provider does not say (Revere is USD-only).</summary>
    public string? Currency { get; set; }

    /// <summary>Pages requested ahead (-Prefetch) and at once (-PageConcurrency).</summary>
    public PagingOptions Paging { get; set; } = PagingOptions.Default;

    /// <summary>Attempts per request, the first included (-MaxAttempts, 1–10); null uses INVOICETOOLS_MAX_ATTEMPTS or 5.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Seconds of waiting between attempts of one request (-MaxRetryWaitSeconds, 0–3600); null uses INVOICETOOLS_MAX_RETRY_WAIT_SECONDS or 120.</summary>
    public int? MaxRetryWaitSeconds { get; set; }

    /// <summary>Seconds one attempt may take before it counts as a timeout (-TimeoutSeconds, 1–3600); null uses INVOICETOOLS_TIMEOUT_SECONDS or 100.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>Rehearsal on the built-in sandbox: faults answered one per request, in order, from the second request on, by name (<c>SandboxServers.FaultNames</c>).</summary>
    public IReadOnlyList<string> SandboxFault { get; set; } = Array.Empty<string>();

    /// <summary>Rehearsal on the built-in sandbox: milliseconds added before every answer (0–60000).</summary>
    public int? SandboxLatencyMs { get; set; }

    /// <summary>
    /// The host program, for the User-Agent header: Connect-InvoiceProvider passes the PowerShell edition, version and
    /// platform ("PowerShell Core 7.4.6; Linux"). Null sends <c>InvoiceTools/&lt;version&gt;</c> alone. Characters that
    /// are not printable ASCII, and parentheses, are dropped.
    /// </summary>
    public string? HostProduct { get; set; }

    /// <summary>Retry and timeout settings.</summary>
    public RetryOptions Retry { get; set; } = RetryOptions.Default;

    /// <summary>Tests only: the sandbox to serve a sandbox connection (one shared by several connections); null makes a new one.</summary>
    public ISandboxServer? SandboxInstance { get; set; }

    /// <summary>Tests only: the innermost HTTP handler (for example one that records requests).</summary>
    public HttpMessageHandler? PrimaryHandler { get; set; }

    /// <summary>Tests only: the clock used for retry waits.</summary>
    public TimeProvider? TimeProvider { get; set; }
}

/// <summary>How a Xendit connection reaches the API.</summary>
public enum XenditGateway : long
{
    /// <summary>https://api.xendit.co/v2/invoices with HTTP Basic auth (the secret key as the user name).</summary>
    Direct,

    /// <summary>The Appgregator proxy, with the x-api-key header.</summary>
    Appgregator,
}

/// <summary>The query parameter name(s) Xendit's paging cursor is sent under.</summary>
public enum XenditCursorParameter : long
{
    /// <summary>Both last_invoice_id (the docs) and last_invoice (the official SDKs): works whichever the server honours.</summary>
    Both,

    /// <summary>Only last_invoice_id, as the API reference names it.</summary>
    LastInvoiceId,

    /// <summary>Only last_invoice, as the official SDKs send it.</summary>
    LastInvoice,
}

/// <summary>How Opterius amounts are to be read.</summary>
public enum OpteriusAmountUnit : long
{
    /// <summary>From the response: currency_code (the documented API) means minor units, currency (the published server code) major units.</summary>
    Auto,

    /// <summary>Integer minor units (cents), as the API documentation says.</summary>
    Minor,

    /// <summary>Decimal major units, as the published server code (v2.7.0) sends them.</summary>
    Major,
}

/// <summary>Which Revolv3 host a connection uses.</summary>
public enum Revolv3Environment : long
{
    /// <summary>https://api.revolv3.com</summary>
    Production,

    /// <summary>https://api-sandbox.revolv3.com, Revolv3's own test environment (not the module's built-in -Sandbox).</summary>
    Sandbox,
}

/// <summary>How a Revolv3 connection authenticates.</summary>
public enum Revolv3AuthScheme : long
{
    /// <summary>The static token in the x-revolv3-token header (Revolv3's current scheme).</summary>
    Token,

    /// <summary>A token from POST /api/Authentication/Token in Authorization: Bearer (legacy; it expires after an hour).</summary>
    Bearer,
}

/// <summary>Which Revolv3 list endpoint to call.</summary>
public enum Revolv3Endpoint : long
{
    /// <summary>/api/Invoices, unless -UpdatedAfter, -UpdatedBefore or -CustomerReference need /api/Invoices/v1.</summary>
    Auto,

    /// <summary>Always the legacy /api/Invoices (startDate, endDate).</summary>
    Legacy,

    /// <summary>Always the recommended /api/Invoices/v1 (billingStartDate, billingEndDate, lastUpdate*, merchantCustomerRefId).</summary>
    V1,
}
