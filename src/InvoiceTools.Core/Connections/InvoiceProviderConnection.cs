using System;
using System.Collections.Generic;
using System.Net.Http;
using InvoiceTools.Http;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using static System.FormattableString;

namespace InvoiceTools.Connections;

/// <summary>
/// An open connection to one provider account. Safe to share across threads and runspaces. It shows its
/// settings but never its key.
/// </summary>
public sealed class InvoiceProviderConnection : IDisposable, IProviderConnection
{
    internal InvoiceProviderConnection(string name, InvoiceProvider provider, Uri baseUri, bool isSandbox, ProviderConfiguration configuration, IReadOnlyDictionary<string, string> settings, ApiSecret secret, HttpClient http, ISandboxServer? sandbox, PagingOptions paging, RetryOptions retry)
    {
        Paging = paging;
        Retry = retry;
        MaxAttempts = retry.MaxAttempts;
        MaxRetryWaitSeconds = (int)Math.Round(retry.MaxTotalWait.TotalSeconds);
        TimeoutSeconds = retry.AttemptTimeout == System.Threading.Timeout.InfiniteTimeSpan ? 0 : (int)Math.Round(retry.AttemptTimeout.TotalSeconds);
        Name = name;
        Implementation = provider;
        BaseUri = baseUri;
        IsSandbox = isSandbox;
        Configuration = configuration;
        Settings = settings;
        Secret = secret;
        Mask = new SecretMask(secret.Reveal);
        Http = http;
        SandboxInstance = sandbox;
        ConnectedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The connection's name, unique in the session.</summary>
    public string Name { get; }

    /// <summary>The provider, by the name -Provider takes (a built-in provider's, or a registered definition's Name).</summary>
    public string Provider => Implementation.Descriptor.Name;

    /// <summary>The provider's kind: a built-in one, or <see cref="InvoiceProviderKind.Defined"/>.</summary>
    internal InvoiceProviderKind Kind => Implementation.Descriptor.Kind;

    /// <summary>The API root requests go to.</summary>
    public Uri BaseUri { get; }

    /// <summary>True for the built-in emulator.</summary>
    public bool IsSandbox { get; }

    /// <summary>Provider settings (account ids, currency); never secrets.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>How the connection authenticates, without the key.</summary>
    public string Authentication => Invariant($"API key ({Secret.Length} characters, hidden)");

    /// <summary>Where the API key came from: a parameter, an environment variable, a SecretManagement secret, or the sandbox.</summary>
    public string KeySource { get; internal set; } = "-ApiKey or -Credential";

    /// <summary>The proxy requests go through, without credentials: -Proxy, HTTPS_PROXY, or the system proxy.</summary>
    public string Proxy { get; internal set; } = ProxySettings.DescribeSystemProxy(withCredentials: false);

    /// <summary>When the connection was opened (UTC).</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Pages requested ahead while the pipeline consumes the current one (cursor and next-link paging); 0 is off.</summary>
    public int Prefetch => Paging.Prefetch;

    /// <summary>Pages requested at once when the provider reports its total; halved for the rest of a run after a 429.</summary>
    public int PageConcurrency => Paging.PageConcurrency;

    /// <summary>Invoices per page when Get-Invoice gives no -PageSize: -PageSize of Connect-InvoiceProvider, else the largest the provider accepts.</summary>
    public int PageSize => Paging.PageSize ?? Implementation.Descriptor.DefaultPageSize;

    /// <summary>Attempts per request, the first included, before a failure is reported.</summary>
    public int MaxAttempts { get; }

    /// <summary>The most seconds one request may spend waiting between attempts (-MaxRetryWaitSeconds).</summary>
    public int MaxRetryWaitSeconds { get; }

    /// <summary>The seconds one attempt may take before it counts as a timeout (-TimeoutSeconds); 0 is no limit.</summary>
    public int TimeoutSeconds { get; }

    /// <summary>True once Disconnect-InvoiceProvider closed it.</summary>
    public bool IsClosed { get; private set; }

    internal InvoiceProvider Implementation { get; }

    /// <summary>The provider's own settings, read once at connect (its type is the provider's: RevereConfiguration, ...).</summary>
    internal ProviderConfiguration Configuration { get; }

    internal ApiSecret Secret { get; }

    /// <summary>Masks this connection's key in text taken from a response.</summary>
    internal SecretMask Mask { get; }

    internal PagingOptions Paging { get; }

    internal HttpClient Http { get; }

    internal ISandboxServer? SandboxInstance { get; }

    internal RetryOptions Retry { get; }

    /// <summary>
    /// The time the provider's invoices are judged against (Kitchen's overdue): now, or for the sandbox now moved to the
    /// sandbox's day, so that a sandbox pinned to another day (INVOICETOOLS_SANDBOX_DATE) labels its invoices as it dates them.
    /// </summary>
    internal DateTimeOffset Now
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return SandboxInstance is { } sandbox ? now + (sandbox.Today - new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero)) : now;
        }
    }

    ProviderConfiguration IProviderConnection.Configuration => Configuration;

    PagingOptions IProviderConnection.Paging => Paging;

    DateTimeOffset IProviderConnection.Now => Now;

    /// <summary>The value of a provider setting, or null.</summary>
    public string? Setting(string name) => Settings.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() => IsSandbox ? $"{Name} ({Implementation.Descriptor.DisplayName}, sandbox)" : $"{Name} ({Implementation.Descriptor.DisplayName})";

    /// <summary>Closes the HTTP pipeline and forgets the key.</summary>
    public void Dispose()
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        Http.Dispose();
        Secret.Dispose();
    }
}
