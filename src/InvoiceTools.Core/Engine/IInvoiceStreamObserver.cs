namespace InvoiceTools.Engine;

/// <summary>
/// Receives what the engine has to say while it streams. The synchronous bridge guarantees that every call
/// arrives on the thread that enumerates, so a PowerShell cmdlet can forward them to WriteVerbose and friends.
/// </summary>
public interface IInvoiceStreamObserver
{
    /// <summary>A step worth explaining under -Verbose.</summary>
    void OnVerbose(string message);

    /// <summary>Detail for -Debug (already redacted).</summary>
    void OnDebug(string message);

    /// <summary>Something the user should know even without -Verbose.</summary>
    void OnWarning(string message);

    /// <summary>A page arrived.</summary>
    void OnPage(PageProgress progress);

    /// <summary>The provider reported how many invoices match, before any was returned.</summary>
    void OnTotalCount(long total, bool exact);
}

/// <summary>Progress after one page.</summary>
public sealed class PageProgress
{
    /// <summary>Creates a progress report.</summary>
    public PageProgress(InvoiceProviderKind provider, string connection, int pageNumber, long invoicesSoFar, long? total)
    {
        Provider = provider;
        Connection = connection;
        PageNumber = pageNumber;
        InvoicesSoFar = invoicesSoFar;
        Total = total;
    }

    /// <summary>The provider being read.</summary>
    public InvoiceProviderKind Provider { get; }

    /// <summary>The connection's name.</summary>
    public string Connection { get; }

    /// <summary>1-based page number.</summary>
    public int PageNumber { get; }

    /// <summary>Invoices received so far, including this page.</summary>
    public long InvoicesSoFar { get; }

    /// <summary>The provider's total, when it reports one.</summary>
    public long? Total { get; }

    /// <summary>0–100, when the total is known.</summary>
    public int? PercentComplete => Total is long t && t > 0 ? (int)System.Math.Min(100, InvoicesSoFar * 100 / t) : null;
}

/// <summary>An observer that ignores everything.</summary>
internal sealed class NullInvoiceStreamObserver : IInvoiceStreamObserver
{
    /// <summary>The shared instance.</summary>
    public static readonly NullInvoiceStreamObserver Instance = new();

    /// <inheritdoc />
    public void OnVerbose(string message)
    {
    }

    /// <inheritdoc />
    public void OnDebug(string message)
    {
    }

    /// <inheritdoc />
    public void OnWarning(string message)
    {
    }

    /// <inheritdoc />
    public void OnPage(PageProgress progress)
    {
    }

    /// <inheritdoc />
    public void OnTotalCount(long total, bool exact)
    {
    }
}
