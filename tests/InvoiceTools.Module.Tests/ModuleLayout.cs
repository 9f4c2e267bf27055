using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace InvoiceTools.ModuleTests;

/// <summary>Where things are: the repository, the built module folder, and the reference PowerShell assembly.</summary>
internal static class ModuleLayout
{
    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string ModuleDir { get; } = Path.Combine(RepoRoot, "out", "InvoiceTools");

    public static string DependencyDir { get; } = Path.Combine(ModuleDir, "dependencies");

    /// <summary>The stand-in for another module with other versions of Polly and System.Text.Json (tests/Fixtures/OtherModule).</summary>
    public static string OtherModuleDir { get; } = Path.Combine(RepoRoot, "out", "fixtures", "OtherModule");

    public static string ManifestPath { get; } = Path.Combine(ModuleDir, "InvoiceTools.psd1");

    public static string CmdletAssemblyPath { get; } = Path.Combine(ModuleDir, "InvoiceTools.dll");

    public static string SmaReferencePath { get; } = Path.Combine(Metadata("PowerShellStandardDir"), "lib", "netstandard2.0", "System.Management.Automation.dll");

    /// <summary>Pester's module folder: the tools/ folder of the Pester package that the test project downloads.</summary>
    public static string PesterModuleDir { get; } = Metadata("PesterModuleDir");

    public static string ManifestText => File.ReadAllText(ManifestPath);

    /// <summary>The quoted strings of a manifest key's @(...) list.</summary>
    public static IReadOnlyList<string> ManifestList(string key)
    {
        var match = Regex.Match(ManifestText, key + @"\s*=\s*@\((?<items>[^)]*)\)", RegexOptions.Singleline);
        Assert.True(match.Success, "The manifest has no " + key + " list.");
        return Regex.Matches(match.Groups["items"].Value, "'([^']*)'").Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>A manifest key's single quoted value.</summary>
    public static string? ManifestValue(string key)
    {
        var match = Regex.Match(ManifestText, @"(?m)^\s*" + key + @"\s*=\s*'(?<value>[^']*)'");
        return match.Success ? match.Groups["value"].Value : null;
    }

    private static string Metadata(string key) =>
        typeof(ModuleLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException("Missing build metadata " + key);
}

/// <summary>Reads the built cmdlet assembly's metadata without running any of it.</summary>
internal sealed class CmdletMetadata : IDisposable
{
    private readonly MetadataLoadContext _context;

    public CmdletMetadata()
    {
        var paths = Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll")
            .Where(p => !Path.GetFileName(p).Equals("System.Text.Json.dll", StringComparison.OrdinalIgnoreCase))
            .Concat(Directory.GetFiles(ModuleLayout.DependencyDir, "*.dll"))
            .Append(ModuleLayout.SmaReferencePath)
            .Append(ModuleLayout.CmdletAssemblyPath);
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        Assembly = _context.LoadFromAssemblyPath(ModuleLayout.CmdletAssemblyPath);
        Core = _context.LoadFromAssemblyPath(Path.Combine(ModuleLayout.DependencyDir, "InvoiceTools.Core.dll"));
    }

    public Assembly Assembly { get; }

    public Assembly Core { get; }

    /// <summary>The emulator behind -Sandbox, whose fault kinds are a parameter's type.</summary>
    public Assembly Sandbox => _context.LoadFromAssemblyPath(Path.Combine(ModuleLayout.DependencyDir, "InvoiceTools.Sandbox.dll"));

    public IReadOnlyList<Type> CmdletTypes => Assembly.GetTypes().Where(t => CmdletAttribute(t) is not null).ToList();

    public static CustomAttributeData? CmdletAttribute(Type type) =>
        type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");

    public static string CmdletName(Type type)
    {
        var attribute = CmdletAttribute(type)!;
        return attribute.ConstructorArguments[0].Value + "-" + attribute.ConstructorArguments[1].Value;
    }

    public static T? NamedArgument<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    /// <summary>Every approved verb, read from the constants of the Verbs* classes.</summary>
    public ISet<string> ApprovedVerbs()
    {
        var sma = _context.LoadFromAssemblyPath(ModuleLayout.SmaReferencePath);
        return sma.GetTypes()
            .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The member names of System.Management.Automation.ErrorCategory.</summary>
    public ISet<string> ErrorCategories()
    {
        var sma = _context.LoadFromAssemblyPath(ModuleLayout.SmaReferencePath);
        return sma.GetType("System.Management.Automation.ErrorCategory", throwOnError: true)!.GetEnumNames().ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The properties that carry [Parameter].</summary>
    public static IReadOnlyList<PropertyInfo> Parameters(Type cmdlet) =>
        cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute"))
            .ToList();

    public void Dispose() => _context.Dispose();
}

internal static class AssertEx
{
    public static void ContainsAll(IEnumerable<string> expected, IEnumerable<string?> actual)
    {
        var have = actual.ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(e => !have.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "Missing: " + string.Join(", ", missing) + ". Present: " + string.Join(", ", have));
    }
}
