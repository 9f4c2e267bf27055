using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace InvoiceTools.Isolation;

/// <summary>
/// Called (by reflection: it targets a framework the cmdlet assembly cannot reference) by the module initializer on
/// PowerShell 7. The cmdlet assembly lives in PowerShell's default context; its references to the engine are
/// answered from the module's private context, and everything the engine needs is then decided there.
/// </summary>
public static class LoadContextBridge
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? _context;
    private static int _installs;

    /// <summary>The private context, or null before the first <see cref="Install"/>.</summary>
    public static AssemblyLoadContext? Context => _context;

    /// <summary>
    /// Creates the private context for <paramref name="dependencyDirectory"/> (once per process: load contexts and the
    /// assemblies in them are process-wide, while imports happen per runspace) and answers the engine's name from it.
    /// </summary>
    public static void Install(string dependencyDirectory)
    {
        lock (Gate)
        {
            _context ??= new ModuleLoadContext(new DependencyPolicy(dependencyDirectory, File.Exists), RuntimeAssemblies.FromHost().VersionOf);
            if (_installs++ == 0)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
            }
        }
    }

    /// <summary>Undoes one <see cref="Install"/>; the last one stops answering. Loaded assemblies stay, as .NET requires.</summary>
    public static void Uninstall()
    {
        lock (Gate)
        {
            if (_installs > 0 && --_installs == 0)
            {
                AssemblyLoadContext.Default.Resolving -= ResolveEngine;
            }
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext requestingContext, AssemblyName name) =>
        _context is { } context && DependencyPolicy.IsEngine(name) ? context.LoadFromAssemblyName(name) : null;
}
