using System;
using System.IO;
using System.Reflection;

namespace InvoiceTools.Isolation;

/// <summary>Where a request for an assembly is served from.</summary>
internal enum DependencySource
{
    /// <summary>The module does not ship it: left to the runtime and to other handlers.</summary>
    NotOurs,

    /// <summary>The module's own copy in <c>dependencies/</c>.</summary>
    Module,

    /// <summary>PowerShell 7's own copy, which is at least the requested version.</summary>
    Runtime,

    /// <summary>Windows PowerShell: a copy already loaded in the process, at least the requested version.</summary>
    AlreadyLoaded,
}

/// <summary>A <see cref="DependencyPolicy"/> answer: the source, and for <see cref="DependencySource.Module"/> the file.</summary>
internal readonly struct DependencyDecision : IEquatable<DependencyDecision>
{
    public DependencyDecision(DependencySource source, string? path = null)
    {
        Source = source;
        Path = path;
    }

    public DependencySource Source { get; }

    public string? Path { get; }

    public bool Equals(DependencyDecision other) => Source == other.Source && string.Equals(Path, other.Path, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DependencyDecision other && Equals(other);

    public override int GetHashCode() => ((int)Source * 397) ^ (Path is null ? 0 : StringComparer.Ordinal.GetHashCode(Path));

    public override string ToString() => Path is null ? Source.ToString() : Source + " " + Path;
}

/// <summary>
/// Decides which copy of an assembly the module's code gets, with no loading of its own so that every decision can be
/// tested. Compiled into the PowerShell 7 loader and, for Windows PowerShell 5.1, into the cmdlet assembly.
/// </summary>
internal sealed class DependencyPolicy
{
    private readonly Func<string, bool> _fileExists;

    public DependencyPolicy(string dependencyDirectory, Func<string, bool> fileExists)
    {
        DependencyDirectory = dependencyDirectory ?? throw new ArgumentNullException(nameof(dependencyDirectory));
        _fileExists = fileExists ?? throw new ArgumentNullException(nameof(fileExists));
    }

    public string DependencyDirectory { get; }

    /// <summary>The module's own assemblies. They are never shared: another module cannot have them.</summary>
    public static bool IsEngine(AssemblyName name) =>
        name is not null && (string.Equals(name.Name, "InvoiceTools.Core", StringComparison.OrdinalIgnoreCase) || string.Equals(name.Name, "InvoiceTools.Sandbox", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a requested name, or null for one that is not a valid assembly name.</summary>
    public static AssemblyName? TryParse(string? fullName)
    {
        if (string.IsNullOrEmpty(fullName))
        {
            return null;
        }

        try
        {
            return new AssemblyName(fullName);
        }
        catch (Exception ex) when (ex is ArgumentException or FileLoadException)
        {
            return null;
        }
    }

    /// <summary>The file in <c>dependencies/</c> that has this name, or null. Satellite (resource) requests are never ours.</summary>
    public string? ShippedPath(AssemblyName requested)
    {
        var simpleName = requested?.Name;
        if (string.IsNullOrEmpty(simpleName)
            || simpleName!.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0
            || simpleName.Contains("..")
            || simpleName.EndsWith(".resources", StringComparison.OrdinalIgnoreCase)
            || !string.IsNullOrEmpty(requested!.CultureName))
        {
            return null;
        }

        var candidate = System.IO.Path.Combine(DependencyDirectory, simpleName + ".dll");
        return _fileExists(candidate) ? candidate : null;
    }

    /// <summary>
    /// PowerShell 7, asked by the module's private load context for a reference of the engine or of a dependency.
    /// The engine and third-party libraries (Polly) always come from <c>dependencies/</c>, whatever another module
    /// loaded. A library the runtime carries (System.Text.Json, System.Memory, ...) comes from the runtime when the
    /// runtime's version is at least the one requested: one copy in the process, and the same types the rest of .NET
    /// uses. Where PowerShell carries an older one (Microsoft.Bcl.AsyncInterfaces 5.0.0.0 in 7.2 and 7.4, against the
    /// 6.0.0.0 Polly asks for), the module's copy is loaded privately instead of failing.
    /// </summary>
    /// <param name="requested">The requested name.</param>
    /// <param name="runtimeVersion">The version of the runtime's assembly of that name, or null when it has none.</param>
    public DependencyDecision ForIsolatedContext(AssemblyName requested, Version? runtimeVersion)
    {
        var path = ShippedPath(requested);
        if (path is null)
        {
            return new DependencyDecision(DependencySource.NotOurs);
        }

        if (!IsEngine(requested) && runtimeVersion is not null && (requested.Version is null || runtimeVersion >= requested.Version))
        {
            return new DependencyDecision(DependencySource.Runtime);
        }

        return new DependencyDecision(DependencySource.Module, path);
    }

    /// <summary>
    /// Windows PowerShell 5.1, which applies no binding redirects to modules and has one load context for all: a
    /// copy another module already loaded is reused when it is at least the requested version (a second copy of
    /// System.Memory would split its types in two); otherwise the module's own copy is loaded.
    /// </summary>
    /// <param name="requested">The requested name.</param>
    /// <param name="loadedVersion">The highest version of that name already loaded in the process, or null.</param>
    public DependencyDecision ForWindowsPowerShell(AssemblyName requested, Version? loadedVersion)
    {
        var path = ShippedPath(requested);
        if (path is null)
        {
            return new DependencyDecision(DependencySource.NotOurs);
        }

        if (loadedVersion is not null && (requested.Version is null || loadedVersion >= requested.Version))
        {
            return new DependencyDecision(DependencySource.AlreadyLoaded);
        }

        return new DependencyDecision(DependencySource.Module, path);
    }
}
