using System;
using System.Reflection;
using System.Runtime.Loader;

namespace InvoiceTools.Isolation;

/// <summary>
/// The module's private load context on PowerShell 7. <see cref="Load"/> is asked before the default context for
/// every reference of the assemblies loaded here, so a dependency version another module loaded, or an older one
/// PowerShell carries, never reaches the engine.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    public const string ContextName = "InvoiceTools";

    private readonly DependencyPolicy _policy;
    private readonly Func<string, Version?> _runtimeVersion;

    public ModuleLoadContext(DependencyPolicy policy, Func<string, Version?> runtimeVersion)
        : base(ContextName, isCollectible: false)
    {
        _policy = policy;
        _runtimeVersion = runtimeVersion;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var decision = _policy.ForIsolatedContext(assemblyName, assemblyName.Name is null ? null : _runtimeVersion(assemblyName.Name));

        // Null hands the request to the default context: the runtime's copy, or whatever else answers there.
        return decision.Source == DependencySource.Module ? LoadFromAssemblyPath(decision.Path!) : null;
    }
}
