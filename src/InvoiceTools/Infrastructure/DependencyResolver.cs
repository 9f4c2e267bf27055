using System;
using System.IO;
using System.Reflection;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Decides which file answers an assembly request, with no PowerShell types so that it can be tested on its own.
/// Only assemblies shipped in <c>dependencies/</c> are answered, by simple name: on Windows PowerShell 5.1 this
/// stands in for the binding redirects that PowerShell does not apply to modules.
/// </summary>
internal static class DependencyResolver
{
    /// <summary>The path of the file that should satisfy <paramref name="requestedName"/>, or null to leave it to the runtime.</summary>
    public static string? ResolvePath(string requestedName, string dependencyDirectory, Func<string, bool> fileExists)
    {
        if (string.IsNullOrEmpty(requestedName) || fileExists is null)
        {
            return null;
        }

        string simpleName;
        try
        {
            simpleName = new AssemblyName(requestedName).Name ?? string.Empty;
        }
        catch (Exception ex) when (ex is ArgumentException or FileLoadException)
        {
            return null;
        }

        if (simpleName.Length == 0 || simpleName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || simpleName.EndsWith(".resources", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var candidate = Path.Combine(dependencyDirectory, simpleName + ".dll");
        return fileExists(candidate) ? candidate : null;
    }
}
