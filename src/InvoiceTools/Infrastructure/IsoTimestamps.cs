using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Makes the dates of the product's objects read as ISO 8601 where PowerShell turns a value into text without a
/// format: Export-Csv and ConvertTo-Csv cells (which call ToString()), and Format-List. For a DateTimeOffset that is the
/// current culture's format (10/29/2026 07:22:41 +00:00, 29.10.2026 07:22:41 +00:00 in de-DE), so a CSV written on
/// one machine reads back differently on another.
/// <para>
/// How: the product's types that have dates get this property adapter (PowerShell's PSPropertyAdapter, the
/// TypeAdapter of type data), which hands out each DateTimeOffset wrapped in a PSObject with the extra type name
/// <see cref="TypeName"/>, whose ToString() is ISO 8601. Only these values change: the session's other dates keep
/// PowerShell's format, and each value is still a DateTimeOffset for comparisons, sorting, methods and
/// ConvertTo-Json. The adapter lists the properties in declaration order, so CSV columns keep the class's order;
/// methods still come from .NET.
/// </para>
/// </summary>
public sealed class IsoTimestampAdapter : PSPropertyAdapter
{
    /// <summary>The extra type name of a date handed out by the adapter.</summary>
    public const string TypeName = "InvoiceTools.Timestamp";

    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> ByName = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> InOrder = new();

    /// <inheritdoc />
    public override Collection<PSAdaptedProperty> GetProperties(object baseObject)
    {
        var properties = new Collection<PSAdaptedProperty>();
        foreach (var property in Ordered(baseObject.GetType()))
        {
            properties.Add(new PSAdaptedProperty(property.Name, property));
        }

        return properties;
    }

    /// <inheritdoc />
    public override PSAdaptedProperty? GetProperty(object baseObject, string propertyName)
    {
        var type = baseObject.GetType();
        var byName = ByName.GetOrAdd(type, t => Ordered(t).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase));
        return byName.TryGetValue(propertyName, out var property) ? new PSAdaptedProperty(property.Name, property) : null;
    }

    /// <inheritdoc />
    public override bool IsGettable(PSAdaptedProperty adaptedProperty) => true;

    /// <inheritdoc />
    public override bool IsSettable(PSAdaptedProperty adaptedProperty) => Info(adaptedProperty).SetMethod?.IsPublic == true;

    /// <inheritdoc />
    public override object? GetPropertyValue(PSAdaptedProperty adaptedProperty)
    {
        var value = Info(adaptedProperty).GetValue(adaptedProperty.BaseObject);
        return value is DateTimeOffset date ? Wrap(date) : value;
    }

    /// <inheritdoc />
    public override void SetPropertyValue(PSAdaptedProperty adaptedProperty, object value)
    {
        var property = Info(adaptedProperty);
        property.SetValue(adaptedProperty.BaseObject, LanguagePrimitives.ConvertTo(value, property.PropertyType, CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public override string GetPropertyTypeName(PSAdaptedProperty adaptedProperty)
    {
        var type = Info(adaptedProperty).PropertyType;
        return Nullable.GetUnderlyingType(type) is { } inner ? $"System.Nullable[{inner.FullName}]" : type.FullName ?? type.Name;
    }

    /// <summary>A date as the adapter hands it out: the DateTimeOffset itself, with ISO 8601 as its text.</summary>
    public static PSObject Wrap(DateTimeOffset date)
    {
        var wrapped = new PSObject(date);
        wrapped.TypeNames.Insert(0, TypeName);
        return wrapped;
    }

    /// <summary>
    /// The ToString of a wrapped date: without arguments ISO 8601 (2026-10-29T07:22:41Z; a fraction only when there
    /// is one, an offset other than UTC as +07:00); with a format, and optionally a format provider, what
    /// DateTimeOffset.ToString gives for them.
    /// </summary>
    public static string ToString(PSObject instance, object? format = null, object? provider = null)
    {
        if (instance?.BaseObject is not DateTimeOffset date)
        {
            return instance?.BaseObject?.ToString() ?? string.Empty;
        }

        // PowerShell hands a CodeMethod its arguments as they were written, often wrapped in a PSObject.
        format = format is PSObject wrappedFormat ? wrappedFormat.BaseObject : format;
        provider = provider is PSObject wrappedProvider ? wrappedProvider.BaseObject : provider;
        return (format, provider) switch
        {
            (null, null) => Iso(date),
            (IFormatProvider only, null) => date.ToString(only),
            _ => date.ToString(format?.ToString(), provider as IFormatProvider ?? CultureInfo.CurrentCulture),
        };
    }

    /// <summary>ISO 8601 with seconds: 2026-10-29T07:22:41Z, 2026-10-29T07:22:41.25Z, 2026-10-29T14:22:41+07:00.</summary>
    public static string Iso(DateTimeOffset date)
    {
        var text = date.ToString(date.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return text + (date.Offset == TimeSpan.Zero ? "Z" : date.ToString("zzz", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The type data that installs the adapter on <paramref name="types"/> and ISO text on its dates; given to
    /// Update-TypeData in each runspace that imports the module.
    /// </summary>
    internal static IEnumerable<TypeData> TypeDataFor(IEnumerable<Type> types)
    {
        var timestamp = new TypeData(TypeName);
        timestamp.Members.Add("ToString", new CodeMethodData("ToString", typeof(IsoTimestampAdapter).GetMethod(nameof(ToString), new[] { typeof(PSObject), typeof(object), typeof(object) })));
        yield return timestamp;

        foreach (var type in types.Where(HasDates))
        {
            yield return new TypeData(type.FullName) { TypeAdapter = typeof(IsoTimestampAdapter) };
        }
    }

    /// <summary>True when a public property of <paramref name="type"/> is a DateTimeOffset (nullable or not).</summary>
    internal static bool HasDates(Type type) =>
        Ordered(type).Any(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == typeof(DateTimeOffset));

    private static PropertyInfo[] Ordered(Type type) => InOrder.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod?.IsPublic == true)
            .OrderBy(p => p.MetadataToken)
            .ToArray());

    private static PropertyInfo Info(PSAdaptedProperty adaptedProperty) => (PropertyInfo)adaptedProperty.Tag;
}
