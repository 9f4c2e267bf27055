using System;
using System.Net.Http;
using System.Security;
using InvoiceTools.Http;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Connections;

/// <summary>Everything Connect-InvoiceProvider collects; <see cref="InvoiceConnectionFactory"/> validates it.</summary>
public sealed class ConnectionOptions
{
    /// <summary>The provider.</summary>
    public InvoiceProviderKind Provider { get; set; }

    /// <summary>The connection's name; defaults to the provider's name (with "-Sandbox" for sandboxes).</summary>
    public string? Name { get; set; }

    /// <summary>The API key.</summary>
    public SecureString? ApiKey { get; set; }

    /// <summary>The API root; defaults to the provider's production host.</summary>
    public string? BaseUri { get; set; }

    /// <summary>Use the built-in emulator instead of the real API.</summary>
    public bool Sandbox { get; set; }

    /// <summary>Revere: the group (account) id, a UUID.</summary>
    public string? GroupId { get; set; }

    /// <summary>The currency to assume where the provider does not say (Revere is USD-only).</summary>
    public string? Currency { get; set; }

    /// <summary>Retry and timeout settings.</summary>
    public RetryOptions Retry { get; set; } = RetryOptions.Default;

    /// <summary>Tests only: the emulator instance to serve a sandbox connection.</summary>
    public InvoiceSandbox? SandboxInstance { get; set; }

    /// <summary>Tests only: the innermost HTTP handler (for example one that records requests).</summary>
    public HttpMessageHandler? PrimaryHandler { get; set; }

    /// <summary>Tests only: the clock used for retry waits.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
