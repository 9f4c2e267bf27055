using static System.FormattableString;

namespace InvoiceTools.Requests;

/// <summary>How far ahead a connection reads: pages prefetched while the pipeline consumes, and pages fetched at once when the total is known.</summary>
public sealed record PagingOptions
{
    /// <summary>The largest prefetch accepted.</summary>
    public const int MaxPrefetch = 8;

    /// <summary>The largest page concurrency accepted.</summary>
    public const int MaxPageConcurrency = 16;

    /// <summary>One page ahead, four pages at once.</summary>
    public static readonly PagingOptions Default = new();

    /// <summary>One page at a time, nothing ahead: how a hand-written paging loop reads.</summary>
    public static readonly PagingOptions Sequential = new() { Prefetch = 0, PageConcurrency = 1 };

    /// <summary>Pages requested ahead of the one being consumed when pages must be read one after another (cursor and next-link paging); 0 turns prefetch off.</summary>
    public int Prefetch { get; init; } = 1;

    /// <summary>Pages requested at once when the provider reports its total up front; 1 turns parallel paging off.</summary>
    public int PageConcurrency { get; init; } = 4;

    /// <summary>
    /// Invoices per page when Get-Invoice gives no -PageSize; null asks for the largest page the provider accepts
    /// (the provider descriptor's <c>DefaultPageSize</c>). Checked against the provider at connect.
    /// </summary>
    public int? PageSize { get; init; }

    /// <summary>Throws a clear error when a value is out of range.</summary>
    public PagingOptions Validate()
    {
        if (Prefetch is < 0 or > MaxPrefetch)
        {
            throw new InvoiceConfigurationException(
                Invariant($"-Prefetch {Prefetch} is out of range."),
                Invariant($"Use 0 (off) to {MaxPrefetch} pages; the default is 1.")) { ParameterName = "Prefetch" };
        }

        if (PageConcurrency is < 1 or > MaxPageConcurrency)
        {
            throw new InvoiceConfigurationException(
                Invariant($"-PageConcurrency {PageConcurrency} is out of range."),
                Invariant($"Use 1 (one page at a time) to {MaxPageConcurrency}; the default is 4.")) { ParameterName = "PageConcurrency" };
        }

        return this;
    }
}
