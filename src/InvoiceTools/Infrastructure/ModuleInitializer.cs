using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Threading;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Runs when the module is imported: answers assembly requests for what the module ships in <c>dependencies/</c>.
/// An assembly of that name already loaded in the process wins (Windows PowerShell has one context for all).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyDirectory = Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

    private static int _subscribed;

    /// <inheritdoc />
    public void OnImport()
    {
        // Import can run more than once per process (re-import, nested module); one handler is enough.
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (Interlocked.Exchange(ref _subscribed, 0) == 1)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        }
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var path = DependencyResolver.ResolvePath(args.Name, DependencyDirectory, File.Exists);
        if (path is null)
        {
            return null;
        }

        var simpleName = new AssemblyName(args.Name).Name;
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null && Environment.Version.Major < 5)
        {
            return loaded;
        }

        // On .NET, LoadFile gives each file its own context, keyed by path: our copy never clashes with a
        // different version another module loaded. On .NET Framework, LoadFrom is what PowerShell itself uses.
        return Environment.Version.Major >= 5 ? Assembly.LoadFile(path) : Assembly.LoadFrom(path);
    }
}
