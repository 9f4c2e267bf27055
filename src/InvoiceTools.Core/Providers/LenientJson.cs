using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using InvoiceTools.Http;

namespace InvoiceTools.Providers;

/// <summary>
/// Reads provider DTOs so that one odd field never costs the page: every scalar property gets a converter that reads
/// a value of another JSON type where its meaning is clear (the number <c>2</c> for the string <c>"2.00"</c>, the
/// string <c>"12.50"</c> for a number) and otherwise leaves the property null, recording the field in
/// <see cref="FieldReadLog"/>. The invoice's raw bytes keep every value either way.
/// Dates without an offset are read as UTC (a date alone is that calendar day at midnight UTC), never in the
/// machine's zone, and every parse is culture- and calendar-independent.
/// </summary>
internal static class LenientJson
{
    /// <summary>The contracts of <typeparamref name="T"/> from a source-generated <paramref name="context"/>.</summary>
    public static DtoContract<T> Contract<T>(IJsonTypeInfoResolver context) => new(
        // Laravel's decimal casts write amounts as text ("12.50"): reading them is the usual path, not a retry.
        (JsonTypeInfo<T>)new JsonSerializerOptions { TypeInfoResolver = new Resolver(context, lenient: false), MaxDepth = ResponseReader.MaxJsonDepth, NumberHandling = JsonNumberHandling.AllowReadingFromString }.GetTypeInfo(typeof(T)),
        (JsonTypeInfo<T>)new JsonSerializerOptions { TypeInfoResolver = new Resolver(context, lenient: true), MaxDepth = ResponseReader.MaxJsonDepth }.GetTypeInfo(typeof(T)));

    /// <summary>A reader over a whole response body with <see cref="ResponseReader.JsonOptions"/>.</summary>
    public static Utf8JsonReader Reader(ReadOnlyMemory<byte> body) => new(body.Span, ResponseReader.JsonOptions);

    /// <summary>
    /// Reads a date or time as UTC when it carries no offset: "2026-11-12" is midnight UTC on that day and
    /// "2024-12-16T09:30:00.123" is 09:30 UTC. Null when <paramref name="text"/> is not a date.
    /// </summary>
    public static DateTimeOffset? ParseDate(string? text) =>
        !string.IsNullOrWhiteSpace(text) && DateTimeOffset.TryParse(text!.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;

    /// <summary>
    /// Lenient: every property gets a converter that never throws. Fast: System.Text.Json's own converters, which
    /// throw on a value of another type (the item is then read again leniently), except dates, which must never be
    /// read in the machine's zone.
    /// </summary>
    private sealed class Resolver : IJsonTypeInfoResolver
    {
        private readonly IJsonTypeInfoResolver _inner;
        private readonly bool _lenient;

        public Resolver(IJsonTypeInfoResolver inner, bool lenient)
        {
            _inner = inner;
            _lenient = lenient;
        }

        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            var info = _inner.GetTypeInfo(type, options);
            if (info?.Kind == JsonTypeInfoKind.Object)
            {
                foreach (var property in info.Properties)
                {
                    var converter = _lenient ? ConverterFor(property.PropertyType, property.Name)
                        : property.PropertyType == typeof(DateTimeOffset?) ? new DateConverter(property.Name, strict: true) : null;
                    property.CustomConverter = converter ?? property.CustomConverter;
                }
            }

            return info;
        }

        private static JsonConverter? ConverterFor(Type type, string name)
        {
            if (type == typeof(string))
            {
                return new TextConverter(name);
            }

            if (type == typeof(decimal?))
            {
                return new NumberConverter<decimal>(name, TryDecimal);
            }

            if (type == typeof(long?))
            {
                return new NumberConverter<long>(name, TryWhole);
            }

            if (type == typeof(int?))
            {
                return new NumberConverter<int>(name, TryInt);
            }

            if (type == typeof(DateTimeOffset?))
            {
                return new DateConverter(name, strict: false);
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                return (JsonConverter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(type.GetGenericArguments()[0]), name)!;
            }

            if (type.IsClass && type != typeof(string) && type.Namespace == typeof(LenientJson).Namespace)
            {
                return (JsonConverter)Activator.CreateInstance(typeof(ObjectConverter<>).MakeGenericType(type), name)!;
            }

            return null;
        }
    }

    private delegate bool NumberReader<T>(ref Utf8JsonReader reader, out T value);

    private static bool TryDecimal(ref Utf8JsonReader reader, out decimal value) =>
        reader.TokenType == JsonTokenType.Number
            ? reader.TryGetDecimal(out value)
            : decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryWhole(ref Utf8JsonReader reader, out long value)
    {
        if (reader.TokenType == JsonTokenType.Number ? reader.TryGetInt64(out value) : long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // 3.0 is the whole number 3.
        value = 0;
        return TryDecimal(ref reader, out var number) && number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue && (value = (long)number) == number;
    }

    private static bool TryInt(ref Utf8JsonReader reader, out int value)
    {
        var fits = TryWhole(ref reader, out var whole) && whole is >= int.MinValue and <= int.MaxValue;
        value = fits ? (int)whole : 0;
        return fits;
    }

    private static bool IsBlank(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && string.IsNullOrWhiteSpace(reader.GetString());

    /// <summary>Strings: a number is read as its JSON text; true, false, an object or an array is left null.</summary>
    private sealed class TextConverter : JsonConverter<string?>
    {
        private readonly string _name;

        public TextConverter(string name) => _name = name;

        public override bool HandleNull => true;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.Number:
                    FieldReadLog.Coerced(_name);
                    return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());
                default:
                    reader.Skip();
                    FieldReadLog.Dropped(_name);
                    return null;
            }
        }

        public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }

    /// <summary>Numbers: a string holding an invariant-culture number is read as one; anything else is left null.</summary>
    private sealed class NumberConverter<T> : JsonConverter<T?>
        where T : struct
    {
        private readonly string _name;
        private readonly NumberReader<T> _read;

        public NumberConverter(string name, NumberReader<T> read)
        {
            _name = name;
            _read = read;
        }

        public override bool HandleNull => true;

        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null || IsBlank(ref reader))
            {
                return null;
            }

            if (reader.TokenType is JsonTokenType.Number or JsonTokenType.String && _read(ref reader, out var value))
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    FieldReadLog.Coerced(_name);
                }

                return value;
            }

            reader.Skip();
            FieldReadLog.Dropped(_name);
            return null;
        }

        public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }

    /// <summary>
    /// Dates: ISO 8601 read fast; other invariant forms (Laravel's "2026-11-12 10:00:00") read as UTC when they carry
    /// no offset; a whole number is Unix time (seconds, or milliseconds past 10^11). Anything else is left null.
    /// </summary>
    private sealed class DateConverter : JsonConverter<DateTimeOffset?>
    {
        private const long MillisecondsFrom = 100_000_000_000;
        private readonly string _name;
        private readonly bool _strict;

        public DateConverter(string name, bool strict)
        {
            _name = name;
            _strict = strict;
        }

        public override bool HandleNull => true;

        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.String when IsBlank(ref reader):
                    return null;
                case JsonTokenType.String:
                    // The reader's ISO 8601 parser would put a value without an offset in the machine's zone; one parse
                    // where the text shows whether it has an offset (most do: "...Z").
                    if (!reader.ValueIsEscaped && !reader.HasValueSequence && HasOffset(reader.ValueSpan))
                    {
                        if (reader.TryGetDateTimeOffset(out var stated))
                        {
                            return stated;
                        }
                    }
                    else if (reader.TryGetDateTime(out var unzoned))
                    {
                        if (unzoned.Kind == DateTimeKind.Unspecified)
                        {
                            return new DateTimeOffset(unzoned, TimeSpan.Zero);
                        }

                        if (reader.TryGetDateTimeOffset(out var zoned))
                        {
                            return zoned;
                        }
                    }

                    if (ParseDate(reader.GetString()) is DateTimeOffset other)
                    {
                        return other;
                    }

                    break;
                case JsonTokenType.Number when !_strict && reader.TryGetInt64(out var unix) && unix is > -MillisecondsFrom * 1000 and < MillisecondsFrom * 1000:
                    FieldReadLog.Coerced(_name);
                    return Math.Abs(unix) >= MillisecondsFrom ? DateTimeOffset.FromUnixTimeMilliseconds(unix) : DateTimeOffset.FromUnixTimeSeconds(unix);
            }

            if (_strict)
            {
                throw new JsonException($"'{_name}' is not a date");
            }

            reader.Skip();
            FieldReadLog.Dropped(_name);
            return null;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options) => throw new NotSupportedException();

        /// <summary>True for text ending in Z or in an offset such as +07:00 or -0500.</summary>
        private static bool HasOffset(ReadOnlySpan<byte> text)
        {
            var n = text.Length;
            if (n > 0 && (text[n - 1] == (byte)'Z' || text[n - 1] == (byte)'z'))
            {
                return true;
            }

            // "+07:00" / "-05:00", or "+0700": a sign after the time, never the date's own "-".
            return (n > 16 && text[n - 3] == (byte)':' && text[n - 6] is (byte)'+' or (byte)'-')
                || (n > 15 && text[n - 5] is (byte)'+' or (byte)'-' && IsDigits(text.Slice(n - 4)) && text.Slice(0, n - 5).IndexOf((byte)'T') > 0);
        }

        private static bool IsDigits(ReadOnlySpan<byte> text)
        {
            foreach (var b in text)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Lists of nested records: an element that is not an object is skipped; a non-array leaves the list null.</summary>
    private sealed class ListConverter<T> : JsonConverter<List<T>?>
        where T : class
    {
        private readonly string _name;

        public ListConverter(string name) => _name = name;

        public override bool HandleNull => true;

        public override List<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                FieldReadLog.Dropped(_name);
                return null;
            }

            var element = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            var list = new List<T>();
            using (FieldReadLog.Within($"{_name}[]"))
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject && JsonSerializer.Deserialize(ref reader, element) is { } item)
                    {
                        list.Add(item);
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        reader.Skip();
                        FieldReadLog.Dropped(string.Empty);
                    }
                }
            }

            return list;
        }

        public override void Write(Utf8JsonWriter writer, List<T>? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }

    /// <summary>Nested records: anything but an object leaves the property null.</summary>
    private sealed class ObjectConverter<T> : JsonConverter<T?>
        where T : class
    {
        private readonly string _name;

        public ObjectConverter(string name) => _name = name;

        public override bool HandleNull => true;

        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                FieldReadLog.Dropped(_name);
                return null;
            }

            using (FieldReadLog.Within(_name))
            {
                return JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
            }
        }

        public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }
}

/// <summary>
/// How one DTO is read: <see cref="Fast"/> first (System.Text.Json's own converters, dates as UTC), and when a value of
/// an unexpected type makes it throw, that one item again with <see cref="Lenient"/>, which records what it did.
/// </summary>
internal sealed class DtoContract<T>
{
    public DtoContract(JsonTypeInfo<T> fast, JsonTypeInfo<T> lenient)
    {
        Fast = fast;
        Lenient = lenient;
    }

    /// <summary>The usual contract; throws <see cref="JsonException"/> on a value of another type.</summary>
    public JsonTypeInfo<T> Fast { get; }

    /// <summary>The contract that never throws on a field's type.</summary>
    public JsonTypeInfo<T> Lenient { get; }

    /// <summary>Reads the value at <paramref name="reader"/>, leniently when the usual contract refuses it.</summary>
    public T Read(ref Utf8JsonReader reader)
    {
        var start = reader;
        try
        {
            return JsonSerializer.Deserialize(ref reader, Fast)!;
        }
        catch (JsonException)
        {
            reader = start;
            return JsonSerializer.Deserialize(ref reader, Lenient)!;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json reports some token mismatches (a number read as text) this way.
            reader = start;
            return JsonSerializer.Deserialize(ref reader, Lenient)!;
        }
    }

    /// <summary>The same for one item's own bytes.</summary>
    public T Read(ReadOnlySpan<byte> item)
    {
        var reader = new Utf8JsonReader(item, ResponseReader.JsonOptions);
        reader.Read();
        return Read(ref reader);
    }
}
