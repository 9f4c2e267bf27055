using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace InvoiceTools.Isolation;

/// <summary>
/// The assemblies the host application carries (PowerShell's trusted platform assemblies: .NET itself and what
/// pwsh ships next to it), by simple name, with their versions read on demand.
/// </summary>
internal sealed class RuntimeAssemblies
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Version?> _versions = new(StringComparer.OrdinalIgnoreCase);

    public RuntimeAssemblies(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            _paths[Path.GetFileNameWithoutExtension(path)] = path;
        }
    }

    public static RuntimeAssemblies FromHost() =>
        new(((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The version of the host's assembly named <paramref name="simpleName"/>, or null when it has none.</summary>
    public Version? VersionOf(string simpleName) =>
        _paths.TryGetValue(simpleName, out var path) ? _versions.GetOrAdd(simpleName, _ => ReadVersion(path)) : null;

    private static Version? ReadVersion(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path).Version;
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
