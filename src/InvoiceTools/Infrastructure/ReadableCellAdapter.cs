using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using static System.FormattableString;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Gives the product's objects one readable, machine-independent cell per property where PowerShell turns a value
/// into text with a bare ToString(): Export-Csv and ConvertTo-Csv call ToString() on each property value, which for a
/// DateTimeOffset is the current culture's format (29.10.2026 07:22:41 +00:00 in de-DE, a Buddhist-era year in th-TH)
/// and for a list or dictionary is its type name.
/// <para>
/// How: the product's output types get this property adapter (PowerShell's PSPropertyAdapter, the TypeAdapter of
/// type data). It hands out each DateTimeOffset, and each plain .NET list or dictionary, in a PSObject whose instance
/// ToString method gives ISO 8601 in UTC (2026-10-29T07:22:41Z), "a, b" or "key=value; key=value". The value stays
/// what it was: a DateTimeOffset for comparisons, sorting, methods and ConvertTo-Json; the list for indexing and
/// enumeration. ToString with a format or a format provider, and -f with a format ('{0:yyyyMMdd}'), are
/// DateTimeOffset's own; -f '{0}' gives the readable text, as a bare ToString() does. Only these values change: the session's other dates keep PowerShell's format. Properties are listed in declaration order, so
/// CSV columns keep the class's order; methods still come from .NET. Money stays in the current culture (the way
/// Export-Csv writes every number, and what Excel expects); Measure-Invoice reads either separator back.
/// </para>
/// </summary>
public sealed class ReadableCellAdapter : PSPropertyAdapter
{
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
        var byName = ByName.GetOrAdd(baseObject.GetType(), t => Ordered(t).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase));
        return byName.TryGetValue(propertyName, out var property) ? new PSAdaptedProperty(property.Name, property) : null;
    }

    /// <inheritdoc />
    public override bool IsGettable(PSAdaptedProperty adaptedProperty) => true;

    /// <inheritdoc />
    public override bool IsSettable(PSAdaptedProperty adaptedProperty) => Info(adaptedProperty).SetMethod?.IsPublic == true;

    /// <inheritdoc />
    public override object? GetPropertyValue(PSAdaptedProperty adaptedProperty) => Readable(Info(adaptedProperty).GetValue(adaptedProperty.BaseObject));

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

    /// <summary>
    /// A property value as the adapter hands it out: a date, or a plain .NET list or dictionary, wrapped with a
    /// readable ToString(); anything else as it is (the module's own types, such as the raw record and the line
    /// items, have their own ToString).
    /// </summary>
    internal static object? Readable(object? value) => value switch
    {
        DateTimeOffset date => Wrapped(date, new DateText(date)),
        string => value,
        IDictionary dictionary when IsPlainCollection(value) => Wrapped(value, new FixedText(string.Join("; ", dictionary.Keys.Cast<object>().Select(k => $"{k}={Text(dictionary[k])}")))),
        IEnumerable items when IsPlainCollection(value) => Wrapped(value, new FixedText(string.Join(", ", items.Cast<object?>().Select(Text)))),
        _ => value,
    };

    /// <summary>ISO 8601 in UTC: 2026-10-29T07:22:41Z, or with all seven digits of a fraction when there is one, so that cells sort as text.</summary>
    internal static string Iso(DateTimeOffset date) =>
        date.UtcDateTime.ToString(date.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The type data that installs the adapter on <paramref name="types"/>; given to Update-TypeData in each runspace that imports the module.</summary>
    internal static IEnumerable<TypeData> TypeDataFor(IEnumerable<Type> types) =>
        types.Where(t => t.IsClass && !typeof(Exception).IsAssignableFrom(t) && !typeof(IEnumerable).IsAssignableFrom(t) && Ordered(t).Any(p => NeedsText(p.PropertyType)))
            .Select(t => new TypeData(t.FullName) { TypeAdapter = typeof(ReadableCellAdapter) });

    private static bool NeedsText(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset) ||
        (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.Namespace?.StartsWith("InvoiceTools", StringComparison.Ordinal) != true);

    private static bool IsPlainCollection(object value) =>
        value is Array || (value.GetType().Namespace is { } ns && ns.StartsWith("System.Collections", StringComparison.Ordinal));

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        DateTimeOffset date => Iso(date),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static PSObject Wrapped(object value, PSMethodInfo toString)
    {
        var wrapped = new PSObject(value);
        wrapped.Members.Add(toString);
        return wrapped;
    }

    private static PropertyInfo[] Ordered(Type type) => InOrder.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod?.IsPublic == true)
            .OrderBy(p => p.MetadataToken)
            .ToArray());

    private static PropertyInfo Info(PSAdaptedProperty adaptedProperty) => (PropertyInfo)adaptedProperty.Tag;

    /// <summary>Placeholder target for <see cref="PSCodeMethod"/>'s constructor, which insists on a static method taking a PSObject; the subclasses below override Invoke.</summary>
    public static string Unused(PSObject instance) => instance?.ToString() ?? string.Empty;

    private static readonly MethodInfo UnusedMethod = typeof(ReadableCellAdapter).GetMethod(nameof(Unused))!;

    /// <summary>
    /// A ToString for one value: without arguments the readable text, with a format or a format provider the
    /// value's own. PowerShell passes a format and provider to a ToString member only when it shows more than one
    /// overload (PSObject.ToString), so this one shows DateTimeOffset's.
    /// </summary>
    private abstract class TextMethod : PSCodeMethod
    {
        protected TextMethod()
            : base("ToString", UnusedMethod)
        {
        }

        public override Collection<string> OverloadDefinitions => new()
        {
            "string ToString()",
            "string ToString(string format)",
            "string ToString(System.IFormatProvider formatProvider)",
            "string ToString(string format, System.IFormatProvider formatProvider)",
        };

        public override PSMemberInfo Copy() => this;

        public override object Invoke(params object[] arguments)
        {
            var given = (arguments ?? Array.Empty<object>()).Select(a => a is PSObject wrapped ? wrapped.BaseObject : a).ToArray();
            if (given.Length > 2)
            {
                throw new MethodException(Invariant($"Cannot find an overload for \"ToString\" and the argument count: \"{given.Length}\"."));
            }

            var format = given.Length > 0 && given[0] is not IFormatProvider ? given[0]?.ToString() : null;
            var provider = given.LastOrDefault() switch
            {
                IFormatProvider p => p,
                string name when given.Length == 2 => CultureInfo.GetCultureInfo(name),
                _ => null,
            };
            // PowerShell's own ToString(null, provider), for -f '{0}' and "$value", gets the readable text too.
            var bare = given.Length == 0 || (given.Length == 2 && given[0] is null);
            return bare ? Text : Formatted(format, provider ?? CultureInfo.CurrentCulture);
        }

        protected abstract string Text { get; }

        protected abstract string Formatted(string? format, IFormatProvider provider);
    }

    private sealed class DateText : TextMethod
    {
        private readonly DateTimeOffset _date;

        public DateText(DateTimeOffset date) => _date = date;

        protected override string Text => Iso(_date);

        protected override string Formatted(string? format, IFormatProvider provider) => _date.ToString(format, provider);
    }

    private sealed class FixedText : TextMethod
    {
        private readonly string _text;

        public FixedText(string text) => _text = text;

        protected override string Text => _text;

        protected override string Formatted(string? format, IFormatProvider provider) => _text;
    }
}
