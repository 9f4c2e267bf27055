using System;
using System.Collections.Generic;
using System.Linq;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>What a provider supports: a description users can read with Get-InvoiceProvider and the engine can validate against.</summary>
public sealed class ProviderDescriptor
{
    /// <summary>The provider.</summary>
    public InvoiceProviderKind Kind { get; init; }

    private string? _name;

    /// <summary>The provider's name, as -Provider and Get-InvoiceProvider -Name take it (Revere, Xendit, ..., or a definition's Name).</summary>
    public string Name { get => _name ?? Kind.ToString(); init => _name = value; }

    /// <summary>For a defined provider, where its facts come from (the definition's Source); null for the built-in ones.</summary>
    public string? Source { get; init; }

    /// <summary>For a defined provider, the file it was registered from; null for the built-in ones.</summary>
    public string? DefinitionFile { get; init; }

    /// <summary>For a defined provider, its checked definition; null for the built-in ones.</summary>
    public Defined.ProviderDefinition? Definition { get; init; }

    /// <summary>The provider's full name.</summary>
    public string DisplayName { get; init; } = string.Empty;

    /// <summary>The production API root, when the provider has one (self-hosted providers do not).</summary>
    public Uri? DefaultBaseUri { get; init; }

    /// <summary>How it authenticates.</summary>
    public IReadOnlyList<string> AuthModes { get; init; } = Array.Empty<string>();

    /// <summary>The paging scheme, in words.</summary>
    public string Paging { get; init; } = string.Empty;

    /// <summary>
    /// How a date or time without an offset in this provider's answers is read, and where that comes from. Never in
    /// the machine's zone: the same answer gives the same instants on every machine.
    /// </summary>
    public string DatesWithoutOffset { get; init; } = string.Empty;

    /// <summary>
    /// True when the list pages by cursor and the server filters by creation time, so a run with -CreatedAfter can be
    /// read as creation-time windows at once (Xendit).
    /// </summary>
    public bool ReadsCreationWindows { get; init; }

    /// <summary>True when the list is documented as sorted by creation time, newest first, so paging can stop at -CreatedAfter.</summary>
    public bool NewestFirst { get; init; }

    /// <summary>
    /// The page size used when neither Get-Invoice nor the connection gives -PageSize: the largest the provider
    /// documents or is known to accept, so a run takes as few round trips as it can (<see cref="PageSizeSource"/>).
    /// </summary>
    public int DefaultPageSize => MaxPageSize;

    /// <summary>The largest page size accepted.</summary>
    public int MaxPageSize { get; init; } = 100;

    /// <summary>Where <see cref="MaxPageSize"/> comes from: the provider's documentation, or why the module chose it.</summary>
    public string PageSizeSource { get; init; } = string.Empty;

    /// <summary>Get-Invoice filters sent to the server, with the query parameters they go to.</summary>
    public IReadOnlyList<string> ServerFilters => Filters.Where(u => u.OnServer).Select(u => u.Text).ToList();

    /// <summary>Provider-only Get-Invoice filters (by parameter name) this provider honours, on the server or in the module.</summary>
    public IReadOnlyList<string> ProviderFilters => Filters.SelectMany(u => u.Filters).Where(f => f.ProviderOnly).Select(f => f.Name).Distinct().ToList();

    /// <summary>Get-Invoice filters applied by the module after download.</summary>
    public IReadOnlyList<string> ClientFilters => Filters.Where(u => !u.OnServer).Select(u => u.Text).ToList();

    /// <summary>A defined provider's own settings (Connect-InvoiceProvider -Setting), by name; empty for the built-in ones.</summary>
    public IReadOnlyList<string> DefinedSettingNames { get; init; } = Array.Empty<string>();

    /// <summary>The connection settings only some providers take that this one takes, declared in its folder.</summary>
    internal IReadOnlyList<ProviderSetting> Settings { get; init; } = Array.Empty<ProviderSetting>();

    /// <summary>Where the provider applies each filter it names, server uses first (declared once; the three lists above read it).</summary>
    internal IReadOnlyList<FilterUse> Filters { get; init; } = Array.Empty<FilterUse>();

    /// <summary>The provider's status words and what each means in <see cref="InvoiceStatus"/>.</summary>
    public IReadOnlyDictionary<string, InvoiceStatus> StatusMap { get; init; } = new Dictionary<string, InvoiceStatus>();

    /// <summary>Statuses the module works out itself where the provider has no word for them (Kitchen: Overdue, an open invoice past its due date).</summary>
    public IReadOnlyList<InvoiceStatus> DerivedStatuses { get; init; } = Array.Empty<InvoiceStatus>();

    /// <summary>Every status this provider's invoices can have, in the enum's order: its mapped words, the derived ones, and Unknown (a word the module does not know).</summary>
    public IReadOnlyList<InvoiceStatus> Statuses =>
        StatusMap.Values.Concat(DerivedStatuses).Append(InvoiceStatus.Unknown).Distinct().OrderBy(s => s).ToList();

    /// <summary>Maps a provider status word (case-insensitive); unknown words map to <see cref="InvoiceStatus.Unknown"/>.</summary>
    public InvoiceStatus MapStatus(string? providerStatus)
    {
        if (providerStatus is null)
        {
            return InvoiceStatus.Unknown;
        }

        // The maps are built with a case-insensitive comparer; the loop below is for one that is not.
        if (StatusMap.TryGetValue(providerStatus, out var mapped))
        {
            return mapped;
        }

        foreach (var pair in StatusMap)
        {
            if (string.Equals(pair.Key, providerStatus, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return InvoiceStatus.Unknown;
    }
}

/// <summary>Where the built-in sandbox serves a provider; its key and account settings come from the sandbox (<see cref="ISandboxServer.AccountFor"/>).</summary>
internal sealed class SandboxDefaults
{
    /// <summary>Creates the defaults.</summary>
    public SandboxDefaults(string route, string? label = null)
    {
        Route = route;
        Label = label;
    }

    /// <summary>The sandbox's path segment for the provider (revere, kitchen, appgregator, ...); a convention test checks that the emulator answers it.</summary>
    public string Route { get; }

    /// <summary>What a default connection name adds before -Sandbox for this route (Xendit-Appgregator-Sandbox), or null.</summary>
    public string? Label { get; }
}
