using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using InvoiceTools.Isolation;

namespace InvoiceTools.ModuleTests;

/// <summary>
/// The providers, their declared filters and settings, as the built engine (out/InvoiceTools/dependencies) lists them
/// when it runs: Core is loaded into the module's own load context, as PowerShell 7 loads it, and read by reflection.
/// The cmdlets are read as metadata (<see cref="CmdletMetadata"/>); the convention tests hold one against the other.
/// </summary>
internal sealed class ProviderCatalog
{
    private static readonly Lazy<ProviderCatalog> Loaded = new(() => new ProviderCatalog());

    private ProviderCatalog()
    {
        var context = new ModuleLoadContext(new DependencyPolicy(ModuleLayout.DependencyDir, File.Exists), RuntimeAssemblies.FromHost().VersionOf);
        var core = context.LoadFromAssemblyName(new AssemblyName("InvoiceTools.Core"));
        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        static object? Get(object target, string name) => target.GetType().GetProperty(name, Any)!.GetValue(target);

        Filters = ((IEnumerable)core.GetType("InvoiceTools.Requests.QueryFilter", throwOnError: true)!.GetProperty("All", Any)!.GetValue(null)!)
            .Cast<object>().Select(f => new Declared((string)Get(f, "Name")!, (Type)Get(f, "Type")!, (bool)Get(f, "ProviderOnly")!)).ToList();
        Providers = ((IEnumerable)core.GetType("InvoiceTools.Providers.ProviderCatalog", throwOnError: true)!.GetProperty("All", Any)!.GetValue(null)!)
            .Cast<object>()
            .Select(p => Get(p, "Descriptor")!)
            .Select(d => new Provider(
                (string)Get(d, "Name")!,
                (string)Get(d, "DisplayName")!,
                ((IEnumerable<string>)Get(d, "ProviderFilters")!).ToList(),
                ((IEnumerable)Get(d, "Settings")!).Cast<object>().Select(s => new Declared((string)Get(s, "Name")!, (Type)Get(s, "Type")!, true)).ToList()))
            .ToList();
        SettingNames = ((IEnumerable<string>)core.GetType("InvoiceTools.Connections.ConnectionSettings", throwOnError: true)!.GetProperty("Names", Any)!.GetValue(null)!).ToList();
        // Defined names no provider of its own: definitions register under their names.
        Kinds = core.GetType("InvoiceTools.InvoiceProviderKind", throwOnError: true)!.GetEnumNames().Where(n => n != "Defined").ToList();
    }

    public static ProviderCatalog Instance => Loaded.Value;

    /// <summary>Every Get-Invoice filter of InvoiceQuery.</summary>
    public IReadOnlyList<Declared> Filters { get; }

    /// <summary>The providers in the catalog, in enum order.</summary>
    public IReadOnlyList<Provider> Providers { get; }

    /// <summary>Every key a settings row may hold (Connect-InvoiceProvider's parameters but -Credential).</summary>
    public IReadOnlyList<string> SettingNames { get; }

    /// <summary>InvoiceProviderKind's names of built-in providers.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>A filter or setting: its parameter name and the type the engine holds it as.</summary>
    internal sealed record Declared(string Name, Type Type, bool ProviderOnly);

    /// <summary>A provider: its name, the provider-only filters it applies, and its own settings.</summary>
    internal sealed record Provider(string Name, string DisplayName, IReadOnlyList<string> ProviderFilters, IReadOnlyList<Declared> Settings);

    /// <summary>
    /// The element type of a value or a list of values, with Nullable removed: what a parameter must bind to hold the
    /// value, whatever the assembly or load context the type comes from.
    /// </summary>
    public static Type Element(Type type)
    {
        if (type.IsArray)
        {
            return Element(type.GetElementType()!);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName is "System.Nullable`1" or "System.Collections.Generic.IReadOnlyList`1")
        {
            return Element(type.GetGenericArguments()[0]);
        }

        return type;
    }

    /// <summary>
    /// True when a parameter of type <paramref name="parameter"/> can give a value of type <paramref name="engine"/>:
    /// the same element type (by full name), a DateTime for an instant, or text limited to an enum's names.
    /// </summary>
    public static bool Compatible(Type engine, PropertyInfo parameter)
    {
        var want = Element(engine);
        var have = Element(parameter.PropertyType);
        if (want.FullName == have.FullName || (want.FullName == "System.DateTimeOffset" && have.FullName == "System.DateTime"))
        {
            return true;
        }

        return want.IsEnum && have.FullName == "System.String" && parameter.GetCustomAttributesData()
            .Any(a => a.AttributeType.Name == "ValidateEnumNamesAttribute" && ((Type)a.ConstructorArguments[0].Value!).FullName == want.FullName);
    }
}
