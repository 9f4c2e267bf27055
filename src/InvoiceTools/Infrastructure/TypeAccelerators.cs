using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// PowerShell 7 resolves type literals only against its default load context (PowerShell/PowerShell#11088), so with
/// the engine in its private context <c>[InvoiceTools.Invoice]</c> would not be found. Registering each public engine
/// type under its full name as a type accelerator (the way about_Classes documents for making types visible) gives
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

    private static IEnumerable<Type> PublicTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Where(t => !t.IsGenericTypeDefinition && t.FullName is not null && t.Namespace is not null && t.Namespace.StartsWith("InvoiceTools", StringComparison.Ordinal));
}
