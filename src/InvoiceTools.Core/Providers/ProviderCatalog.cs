using System;
using System.Collections.Generic;
using System.Linq;

namespace InvoiceTools.Providers;

/// <summary>
/// Every provider the module knows, one line each. Every other list of providers, their filters and their settings
/// is read from here and from what each provider declares in its folder (<see cref="ProviderDescriptor"/>): a new
/// provider is its folder, a line here, an <see cref="InvoiceProviderKind"/> value, its emulator and its cmdlet
/// parameters, and the convention tests name any one of them forgotten.
/// </summary>
public static class ProviderCatalog
{
    private static readonly Dictionary<InvoiceProviderKind, InvoiceProvider> Providers = new Dictionary<InvoiceProviderKind, InvoiceProvider>
    {
        [InvoiceProviderKind.Revere] = RevereProvider.Instance,
        [InvoiceProviderKind.Revolv3] = Revolv3Provider.Instance,
        [InvoiceProviderKind.Opterius] = OpteriusProvider.Instance,
        [InvoiceProviderKind.Kitchen] = KitchenProvider.Instance,
        [InvoiceProviderKind.Xendit] = XenditProvider.Instance,
    };

    /// <summary>All providers, in enum order.</summary>
    internal static IReadOnlyList<InvoiceProvider> All => Providers.OrderBy(p => p.Key).Select(p => p.Value).ToList();

    /// <summary>What every provider supports, in enum order (Get-InvoiceProvider).</summary>
    public static IReadOnlyList<ProviderDescriptor> Descriptors => All.Select(p => p.Descriptor).ToList();

    /// <summary>What <paramref name="kind"/> supports.</summary>
    public static ProviderDescriptor Descriptor(InvoiceProviderKind kind) => Get(kind).Descriptor;

    /// <summary>The implementation of <paramref name="kind"/>.</summary>
    internal static InvoiceProvider Get(InvoiceProviderKind kind) =>
        Providers.TryGetValue(kind, out var provider) ? provider : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"No provider is in the catalog for {kind}.");
}
