using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace InvoiceTools.HelpBuilder;

/// <summary>One parameter set a parameter belongs to, with its binding flags there.</summary>
internal sealed record ParameterSetBinding(string SetName, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

/// <summary>What the binder knows about one cmdlet parameter.</summary>
internal sealed record CmdletParameter(
    string Name,
    string TypeName,
    string ShortTypeName,
    bool IsSwitch,
    IReadOnlyList<string> Aliases,
    bool SupportsWildcards,
    IReadOnlyList<string> AcceptedValues,
    IReadOnlyList<ParameterSetBinding> Sets,
    string? DocumentationId);

/// <summary>What the binder knows about one cmdlet.</summary>
internal sealed record CmdletDescription(
    string Name,
    string Verb,
    string Noun,
    string? DefaultParameterSet,
    bool SupportsPaging,
    bool SupportsShouldProcess,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<CmdletParameter> Parameters);

/// <summary>Reads cmdlets from a compiled assembly without loading it for execution (MetadataLoadContext).</summary>
internal static class CmdletReader
{
    public const string AllSets = "__AllParameterSets";
    private const string Sma = "System.Management.Automation.";

    /// <summary>Every cmdlet in <paramref name="assemblyPath"/>, ordered by name.</summary>
    public static IReadOnlyList<CmdletDescription> Read(string assemblyPath, IEnumerable<string> referencePaths)
    {
        var runtime = Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll");
        var siblings = Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!, "*.dll");
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in runtime.Concat(siblings).Concat(referencePaths).Append(assemblyPath))
        {
            byName[Path.GetFileNameWithoutExtension(path)] = path;
        }

        using var context = new MetadataLoadContext(new PathAssemblyResolver(byName.Values));
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        return assembly.GetTypes()
            .Select(t => (Type: t, Attribute: Attribute(t, "CmdletAttribute")))
            .Where(x => x.Attribute is not null)
            .Select(x => Describe(x.Type, x.Attribute!))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static CmdletDescription Describe(Type type, CustomAttributeData cmdlet)
    {
        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var outputs = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(v => ((Type)v.Value!).FullName!)
            .ToList();
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attributes: p.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToList()))
            .Where(x => x.Attributes.Count > 0)
            .OrderBy(x => x.Property.MetadataToken)
            .Select(x => DescribeParameter(x.Property, x.Attributes))
            .ToList();
        return new CmdletDescription(
            verb + "-" + noun,
            verb,
            noun,
            Named<string>(cmdlet, "DefaultParameterSetName"),
            Named<bool>(cmdlet, "SupportsPaging"),
            Named<bool>(cmdlet, "SupportsShouldProcess"),
            outputs,
            parameters);
    }

    private static CmdletParameter DescribeParameter(PropertyInfo property, IReadOnlyList<CustomAttributeData> parameterAttributes)
    {
        var type = property.PropertyType;
        var element = type.IsArray ? type.GetElementType()! : type;
        var aliases = property.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(v => (string)v.Value!)
            .ToList();
        var validateSet = property.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == Sma + "ValidateSetAttribute")
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(v => (string)v.Value!)
            .ToList();
        // A string parameter that takes an enum's names (ValidateEnumNames) lists them like an enum parameter.
        var namesOf = property.GetCustomAttributesData()
            .Where(a => a.AttributeType.Name == "ValidateEnumNamesAttribute")
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .FirstOrDefault();
        var enumType = namesOf ?? (element.IsEnum ? element : null);
        var accepted = validateSet.Count > 0
            ? validateSet
            : enumType is not null ? enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToList() : new List<string>();
        var sets = parameterAttributes.Select(a =>
        {
            var position = Named<int?>(a, "Position");
            return new ParameterSetBinding(
                Named<string>(a, "ParameterSetName") ?? AllSets,
                Named<bool>(a, "Mandatory"),
                position is int p && p >= 0 ? p : null,
                Named<bool>(a, "ValueFromPipeline"),
                Named<bool>(a, "ValueFromPipelineByPropertyName"));
        }).ToList();
        var isSwitch = element.FullName == Sma + "SwitchParameter";
        return new CmdletParameter(
            property.Name,
            type.FullName!,
            isSwitch ? "SwitchParameter" : type.Name,
            isSwitch,
            aliases,
            property.GetCustomAttributesData().Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
            accepted,
            sets,
            "P:" + property.DeclaringType!.FullName + "." + property.Name);
    }

    private static CustomAttributeData? Attribute(Type type, string name) =>
        type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.MemberName == name)
            {
                return (T?)argument.TypedValue.Value;
            }
        }

        return default;
    }
}
