using InvoiceTools.Engine;

namespace InvoiceTools.Runs;

/// <summary>How an <see cref="InvoiceRun"/> reads: the limits and switches of one Get-Invoice command.</summary>
public sealed class InvoiceRunOptions
{
    /// <summary>The most connections read at once (-ThrottleLimit).</summary>
    public const int MostThrottleLimit = ManyConnections.MostThrottleLimit;

    /// <summary>The default number of connections read at once: 5, as ForEach-Object -Parallel.</summary>
    public const int DefaultThrottleLimit = ManyConnections.DefaultThrottleLimit;

    /// <summary>Invoices passed over before the first one written (-Skip), counted across every connection; 0 or more.</summary>
    public long Skip { get; init; }

    /// <summary>The most invoices written (-First), counted across every connection; null for all of them.</summary>
    public long? First { get; init; }

    /// <summary>Whether the run reports how many invoices match (-IncludeTotalCount).</summary>
    public bool IncludeTotalCount { get; init; }

    /// <summary>
    /// A checkpoint file (a full file system path, already checked with <c>CheckpointFile.CheckPath</c>): only new or
    /// changed invoices are written, and the file is saved for each connection whose read completed. Null for none.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>How many connections are read at once, 1 to <see cref="MostThrottleLimit"/>; without -First and -Checkpoint only.</summary>
    public int ThrottleLimit { get; init; } = DefaultThrottleLimit;

    /// <summary>
    /// Whether the connections arrive from the pipeline, one call to <see cref="InvoiceRun.Read"/> per input: then the
    /// run always counts as one over several connections, and reading at once waits for <see cref="InvoiceRun.End"/>.
    /// </summary>
    public bool FromPipeline { get; init; }
}
