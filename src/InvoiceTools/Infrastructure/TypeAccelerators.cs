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
    public static IReadOnlyList<string> Register(params Assembly[] engine)
    {
        var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var add = accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
        if (add is null || accelerators!.GetProperty("Get", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not IDictionary<string, Type> existing)
        {
            return Array.Empty<string>();
        }

        var added = new List<string>();
        foreach (var type in engine.SelectMany(PublicTypes))
        {
            // Never replace an accelerator someone else registered; an earlier import of this module registered the same type.
            if (!existing.ContainsKey(type.FullName!))
            {
                try
                {
                    add.Invoke(null, new object[] { type.FullName!, type });
                    added.Add(type.FullName!);
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
