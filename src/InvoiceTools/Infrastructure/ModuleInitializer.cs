using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.CompilerServices;
using InvoiceTools.Isolation;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Runs when the module is imported and makes the engine and its dependencies in <c>dependencies/</c> loadable
/// without clashing with what other modules (Az, Microsoft.Graph, PnP) or PowerShell itself loaded:
/// on PowerShell 7 a private AssemblyLoadContext (InvoiceTools.Isolation.dll); on Windows PowerShell 5.1, which has
/// one context for everything, an AssemblyResolve handler that stands in for the binding redirects PowerShell does
/// not apply to modules. docs/compatibility.md explains the decisions.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string IsolationAssembly = "InvoiceTools.Isolation";

    private static readonly string DependencyDirectory = Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");
    private static readonly DependencyPolicy Policy = new(DependencyDirectory, File.Exists);
    private static readonly object Gate = new();
    private static int _imports;
    private static Type? _bridge;

    // Not Environment.Version: PowerShell 7.0 (.NET Core 3.1) reports 3 and must get the clear "too old" error below.
    private static bool IsPowerShell7 => !System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    /// <inheritdoc />
    public void OnImport()
    {
        // Every runspace that imports the module calls this; the handlers are process-wide, so they are counted.
        lock (Gate)
        {
            if (_imports > 0)
            {
                _imports++;
                EngineTypes.AddTypeData();
                return;
            }

            if (IsPowerShell7)
            {
                if (Environment.Version.Major < 8)
                {
                    throw new PlatformNotSupportedException($"InvoiceTools needs PowerShell 7.4 or later (or Windows PowerShell 5.1); this PowerShell runs on .NET {Environment.Version}. Update PowerShell: https://aka.ms/powershell-release");
                }

                _bridge ??= LoadBridge();
                try
                {
                    _bridge.GetMethod("Install")!.Invoke(null, new object[] { DependencyDirectory });
                }
                catch (TargetInvocationException ex) when (ex.InnerException is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                }

                EngineTypes.MakeVisibleToPowerShell();
            }
            else
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveForWindowsPowerShell;
                EngineTypes.KeepMovedNames();
            }

            EngineTypes.AddTypeData();
            EngineTypes.RegisterSandbox();

            // Counted only once set up, so that a failed first import is tried again by the next one.
            _imports = 1;
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            if (_imports == 0 || --_imports > 0)
            {
                return;
            }

            if (IsPowerShell7)
            {
                _bridge?.GetMethod("Uninstall")!.Invoke(null, null);
            }
            else
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveForWindowsPowerShell;
            }
        }
    }

    private static Type LoadBridge()
    {
        var path = Path.Combine(DependencyDirectory, $"{IsolationAssembly}.dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The InvoiceTools module folder is incomplete: {path} is missing. Reinstall the module (Install-Module InvoiceTools -Force) or rebuild it with ./build.ps1.", path);
        }

        return Assembly.LoadFrom(path).GetType($"{IsolationAssembly}.LoadContextBridge", throwOnError: true)!;
    }

    private static Assembly? ResolveForWindowsPowerShell(object? sender, ResolveEventArgs args)
    {
        // Every failed bind in the process comes here; most are not ours, so rule them out before looking around.
        var requested = DependencyPolicy.TryParse(args.Name);
        if (requested is null || Policy.ShippedPath(requested) is null)
        {
            return null;
        }

        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => string.Equals(a.GetName().Name, requested.Name, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();
        var decision = Policy.ForWindowsPowerShell(requested, loaded?.GetName().Version);
        return decision.Source switch
        {
            DependencySource.AlreadyLoaded => loaded,
            DependencySource.Module => Assembly.LoadFrom(decision.Path),
            _ => null,
        };
    }

    /// <summary>Kept out of <see cref="OnImport"/> so that compiling OnImport does not need the engine before the bridge exists.</summary>
    private static class EngineTypes
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void MakeVisibleToPowerShell() => TypeAccelerators.Register(typeof(InvoiceTools.Invoice).Assembly, typeof(InvoiceTools.Sandbox.InvoiceSandbox).Assembly);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void KeepMovedNames() => TypeAccelerators.RegisterMovedNames(typeof(InvoiceTools.Invoice).Assembly);

        /// <summary>Core brings no emulator; the module gives it the one behind -Sandbox.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void RegisterSandbox() => EmulatorServer.Register();

        /// <summary>
        /// Type data is per runspace, unlike the handlers above. It is added here rather than in the types file
        /// because that file is read before this assembly is loaded, so it cannot name the adapter.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void AddTypeData()
        {
            if (Runspace.DefaultRunspace is null)
            {
                return;
            }

            var types = typeof(InvoiceTools.Invoice).Assembly.GetExportedTypes().Where(TypeAccelerators.IsProductType);
            using var powershell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            powershell.AddCommand("Microsoft.PowerShell.Utility\\Update-TypeData")
                .AddParameter("TypeData", ReadableCellAdapter.TypeDataFor(types).ToArray())
                .AddParameter("Force", true);
            powershell.Invoke();
        }
    }
}
