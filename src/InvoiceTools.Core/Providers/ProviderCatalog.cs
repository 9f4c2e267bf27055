using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using InvoiceTools.Requests;

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

    // Registered definitions are process-wide, as the module's types are: every runspace that imports the module
    // sees them (a -Parallel block or a runbook job registers once).
    private static readonly object DefinedLock = new();
    private static Dictionary<string, InvoiceProvider> _defined = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The built-in providers, in enum order.</summary>
    internal static IReadOnlyList<InvoiceProvider> BuiltIn { get; } = Providers.OrderBy(p => p.Key).Select(p => p.Value).ToList();

    /// <summary>All providers: the built-in ones in enum order, then the registered definitions by name.</summary>
    internal static IReadOnlyList<InvoiceProvider> All => BuiltIn.Concat(Volatile.Read(ref _defined).Values.OrderBy(p => p.Descriptor.Name, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>What every provider supports, built-in ones first (Get-InvoiceProvider).</summary>
    public static IReadOnlyList<ProviderDescriptor> Descriptors => All.Select(p => p.Descriptor).ToList();

    /// <summary>Every provider's name, as -Provider takes it: the built-in ones, then the registered definitions.</summary>
    public static IReadOnlyList<string> Names => All.Select(p => p.Descriptor.Name).ToList();

    /// <summary>The provider named <paramref name="name"/> (any case), built-in or registered; null when there is none.</summary>
    public static ProviderDescriptor? Find(string? name) => FindProvider(name)?.Descriptor;

    /// <summary>The implementation named <paramref name="name"/>, or null.</summary>
    internal static InvoiceProvider? FindProvider(string? name)
    {
        var text = name?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return BuiltIn.FirstOrDefault(p => string.Equals(p.Descriptor.Name, text, StringComparison.OrdinalIgnoreCase))
            ?? (Volatile.Read(ref _defined).TryGetValue(text!, out var defined) ? defined : null);
    }

    /// <summary>The implementation the options name: a built-in kind, or the registered definition <see cref="ConnectionOptions.ProviderName"/>.</summary>
    /// <exception cref="InvoiceConfigurationException">A defined provider that is not (or no longer) registered.</exception>
    internal static InvoiceProvider For(ConnectionOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.Provider != InvoiceProviderKind.Defined)
        {
            return Get(options.Provider);
        }

        return FindProvider(options.ProviderName) is { } provider && provider.Descriptor.Kind == InvoiceProviderKind.Defined
            ? provider
            : throw new InvoiceConfigurationException(
                $"No provider named '{options.ProviderName}' is registered.",
                "Register its definition first: Register-InvoiceProvider -Path <file>.psd1. Get-InvoiceProvider lists the providers there are.")
            { ParameterName = "Provider", Provider = InvoiceProviderKind.Defined };
    }

    /// <summary>Adds or replaces a defined provider, by its name; returns the one it replaced, or null.</summary>
    /// <exception cref="ArgumentException">The name is a built-in provider's.</exception>
    internal static InvoiceProvider? Register(InvoiceProvider provider)
    {
        var name = (provider ?? throw new ArgumentNullException(nameof(provider))).Descriptor.Name;
        if (provider.Descriptor.Kind != InvoiceProviderKind.Defined || BuiltIn.Any(p => string.Equals(p.Descriptor.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"'{name}' cannot be registered: only defined providers are, under a name no built-in provider has.", nameof(provider));
        }

        lock (DefinedLock)
        {
            var next = new Dictionary<string, InvoiceProvider>(_defined, StringComparer.OrdinalIgnoreCase);
            next.TryGetValue(name, out var replaced);
            next[name] = provider;
            Volatile.Write(ref _defined, next);
            return replaced;
        }
    }

    /// <summary>
    /// Registers <paramref name="definition"/> (read from <paramref name="definitionFile"/>) as a provider, replacing
    /// one of the same name; connections opened before keep the provider they were opened with.
    /// </summary>
    /// <returns>What the provider supports.</returns>
    /// <exception cref="InvoiceConfigurationException">
    /// Without <paramref name="replaceOtherFile"/>, a provider of that name registered from another file (ParameterName
    /// Force); or another registered provider whose key would come from the same environment variable.
    /// </exception>
    public static ProviderDescriptor Register(Defined.ProviderDefinition definition, string? definitionFile = null, bool replaceOtherFile = true)
    {
        var provider = new Defined.DefinedProvider(definition, definitionFile);
        lock (DefinedLock)
        {
            // Checked under the lock with the registration, so two runspaces registering one name cannot both pass.
            var name = provider.Descriptor.Name;
            if (!replaceOtherFile && _defined.TryGetValue(name, out var earlier) && earlier.Descriptor.DefinitionFile is { } file
                && !string.Equals(file, definitionFile, PathComparison))
            {
                throw new InvoiceConfigurationException(
                    $"A provider named {name} is already registered, from {file}.",
                    $"Add -Force to replace it with {definitionFile}, or give this definition another Name.")
                { ParameterName = "Force", Provider = InvoiceProviderKind.Defined };
            }

            var variable = KeyVariable(name);
            if (All.FirstOrDefault(p => !string.Equals(p.Descriptor.Name, name, StringComparison.OrdinalIgnoreCase) && KeyVariable(p.Descriptor.Name) == variable) is { } other)
            {
                // Acme-EU and Acme_EU would read one variable, so one provider's key could go to the other's host.
                throw new InvoiceConfigurationException(
                    $"{name} would read its key from {variable}, as {other.Descriptor.Name} does.",
                    $"Give the definition a Name that differs from {other.Descriptor.Name} by more than '-' and '_'.")
                { ParameterName = "Path", Provider = InvoiceProviderKind.Defined };
            }

            Register(provider);
        }

        return provider.Descriptor;
    }

    /// <summary>The environment variable that holds the key of the provider named <paramref name="name"/>: INVOICETOOLS_ACME_EU_API_KEY for Acme-EU.</summary>
    internal static string KeyVariable(string name) =>
        $"INVOICETOOLS_{new string((name ?? string.Empty).ToUpperInvariant().Select(c => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_').ToArray())}_API_KEY";

    private static StringComparison PathComparison =>
        System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Removes the defined provider <paramref name="name"/>; false when none is registered by that name.</summary>
    public static bool Unregister(string name)
    {
        lock (DefinedLock)
        {
            var next = new Dictionary<string, InvoiceProvider>(_defined, StringComparer.OrdinalIgnoreCase);
            if (!next.Remove(name ?? string.Empty))
            {
                return false;
            }

            Volatile.Write(ref _defined, next);
            return true;
        }
    }

    /// <summary>What <paramref name="kind"/> supports.</summary>
    public static ProviderDescriptor Descriptor(InvoiceProviderKind kind) => Get(kind).Descriptor;

    /// <summary>The implementation of <paramref name="kind"/>.</summary>
    internal static InvoiceProvider Get(InvoiceProviderKind kind) =>
        Providers.TryGetValue(kind, out var provider) ? provider : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"No provider is in the catalog for {kind}.");
}
