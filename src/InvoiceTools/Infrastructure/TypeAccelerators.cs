using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// PowerShell 7 resolves type literals only against its default load context (PowerShell/PowerShell#11088), so with
/// the engine in its private context <c>[InvoiceTools.Invoice]</c> would not be found. Registering the product's types
/// under their full names as type accelerators (the way about_Classes documents for making types visible) gives
/// scripts the same type literals as on Windows PowerShell.
/// </summary>
internal static class TypeAccelerators
{
    public static IReadOnlyList<string> Register(params Assembly[] engine) =>
        Add(engine.SelectMany(PublicTypes).Select(type => (Name: type.FullName!, Type: type)).Concat(engine.SelectMany(MovedTypes)));

    /// <summary>
    /// Windows PowerShell resolves every public type by its full name, so only the old names of moved enums need
    /// registering there.
    /// </summary>
    public static IReadOnlyList<string> RegisterMovedNames(params Assembly[] engine) => Add(engine.SelectMany(MovedTypes));

    private static IReadOnlyList<string> Add(IEnumerable<(string Name, Type Type)> wanted)
    {
        var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var add = accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
        if (add is null || accelerators!.GetProperty("Get", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not IDictionary<string, Type> existing)
        {
            return Array.Empty<string>();
        }

        var added = new List<string>();
        var names = wanted
            .GroupBy(n => n.Name, StringComparer.Ordinal)
            .Select(g => g.First());
        foreach (var (name, type) in names)
        {
            // Never replace an accelerator someone else registered; an earlier import of this module registered the same type.
            if (!existing.ContainsKey(name))
            {
                try
                {
                    add.Invoke(null, new object[] { name, type });
                    added.Add(name);
                }
                catch (TargetInvocationException)
                {
                    // A race with another runspace's import, or a PowerShell that changed this private table: the
                    // cmdlets work without it, only [InvoiceTools.*] literals would not resolve.
                }
            }
        }

        return added;
    }

    /// <summary>
    /// The product's enums that moved to another namespace in issue 17 (the user's requests went below the providers,
    /// into InvoiceTools.Requests), by their old full name and their new one. Both names are registered, so a script
    /// that names one keeps working. Only product types are aliased: the classes that moved with them (the query, the
    /// connect options, the key holder) were never type accelerators, and stay out.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> Moved = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["InvoiceTools.Engine.KitchenState"] = "InvoiceTools.Requests.KitchenState",
        ["InvoiceTools.Engine.XenditClientType"] = "InvoiceTools.Requests.XenditClientType",
        ["InvoiceTools.Connections.XenditGateway"] = "InvoiceTools.Requests.XenditGateway",
        ["InvoiceTools.Connections.XenditCursorParameter"] = "InvoiceTools.Requests.XenditCursorParameter",
        ["InvoiceTools.Connections.OpteriusAmountUnit"] = "InvoiceTools.Requests.OpteriusAmountUnit",
        ["InvoiceTools.Connections.Revolv3Environment"] = "InvoiceTools.Requests.Revolv3Environment",
        ["InvoiceTools.Connections.Revolv3AuthScheme"] = "InvoiceTools.Requests.Revolv3AuthScheme",
        ["InvoiceTools.Connections.Revolv3Endpoint"] = "InvoiceTools.Requests.Revolv3Endpoint",
    };

    private static IEnumerable<(string Name, Type Type)> MovedTypes(Assembly assembly) =>
        Moved.SelectMany(m => assembly.GetType(m.Value, throwOnError: false) is { } type && IsProductType(type)
            ? new[] { (m.Key, type), (m.Value, type) }
            : Array.Empty<(string, Type)>());

    /// <summary>
    /// The product's types, the ones scripts name: the model, its enums and exceptions (namespace InvoiceTools), every
    /// enum a parameter takes, and what the cmdlets write. Accelerators are global to the session, so the engine's
    /// workings (providers, paging, HTTP, the emulator) stay out of them.
    /// </summary>
    internal static bool IsProductType(Type type) =>
        !type.IsGenericTypeDefinition && type.FullName is not null && type.Namespace is not null &&
        (type.Namespace == "InvoiceTools" ||
         (type.IsEnum && type.Namespace.StartsWith("InvoiceTools.", StringComparison.Ordinal)) ||
         OutputTypes.Contains(type.FullName));

    private static readonly HashSet<string> OutputTypes = new(StringComparer.Ordinal)
    {
        "InvoiceTools.Connections.InvoiceProviderConnection",
        "InvoiceTools.Providers.ProviderDescriptor",
    };

    private static IEnumerable<Type> PublicTypes(Assembly assembly) => assembly.GetExportedTypes().Where(IsProductType);
}
