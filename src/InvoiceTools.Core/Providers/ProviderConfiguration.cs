using System.Collections.Generic;

namespace InvoiceTools.Providers;

/// <summary>
/// A connection's own provider settings, read and checked once by <see cref="InvoiceProvider.ConfigureConnection"/>
/// and held by the connection, so that requests use typed values instead of reading text settings again.
/// </summary>
internal abstract class ProviderConfiguration
{
    /// <summary>The settings as the connection shows them (the connection's <c>Settings</c>), by name; never secrets.</summary>
    public abstract IReadOnlyDictionary<string, string> Shown { get; }
}
