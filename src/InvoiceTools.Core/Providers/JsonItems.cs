using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace InvoiceTools.Providers;

/// <summary>Reads a JSON list of invoice objects straight into the model, keeping each object's exact bytes.</summary>
internal static class JsonItems
{
    /// <summary>
    /// With <paramref name="reader"/> on the list, deserializes every invoice as <typeparamref name="TDto"/> and maps
    /// it with its raw UTF-8 bytes; leaves the reader on the list's end. The list is a JSON array, or an object keyed
    /// by index (<c>{"1":{...},"2":{...}}</c>, what a filtered Laravel collection serializes to), read in key order.
    /// Returns the fields read leniently (<see cref="LenientJson"/>). Throws <see cref="JsonException"/> for an
    /// invoice without a usable id, the one field a page cannot do without.
    /// </summary>
    public static FieldReadLog ReadArray<TDto>(ref Utf8JsonReader reader, byte[] body, JsonTypeInfo<TDto> typeInfo, Func<TDto, byte[], Invoice> map, List<Invoice> into)
        where TDto : class
    {
        var log = new FieldReadLog();
        using var active = log.Activate();
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                into.Add(ReadOne(ref reader, body, typeInfo, map, log, into.Count + 1));
            }

            return log;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON array of invoices");
        }

        var keyed = new List<(long Key, Invoice Invoice)>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            if (!long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            {
                throw new JsonException($"expected a JSON array of invoices, or an object keyed by index; found the key '{name}'");
            }

            reader.Read();
            keyed.Add((key, ReadOne(ref reader, body, typeInfo, map, log, keyed.Count + 1)));
        }

        into.AddRange(keyed.OrderBy(k => k.Key).Select(k => k.Invoice));
        return log;
    }

    /// <summary>
    /// Reads a single-invoice response: the invoice object itself, or an object that wraps it in
    /// <paramref name="wrapper"/> (Laravel resources use "data"), or a one-element array (Appgregator).
    /// </summary>
    public static Invoice ReadSingle<TDto>(byte[] body, JsonTypeInfo<TDto> typeInfo, Func<TDto, byte[], Invoice> map, string? wrapper)
        where TDto : class
    {
        var reader = LenientJson.Reader(body);
        if (!reader.Read())
        {
            throw new JsonException("expected a JSON invoice object");
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var items = new List<Invoice>();
            ReadArray(ref reader, body, typeInfo, map, items);
            return items.Count == 1 ? items[0] : throw new JsonException($"expected one invoice, got {items.Count.ToString(CultureInfo.InvariantCulture)}");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON invoice object");
        }

        if (wrapper is not null)
        {
            var probe = reader;
            while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
            {
                var isWrapper = probe.ValueTextEquals(wrapper);
                probe.Read();
                if (isWrapper && probe.TokenType == JsonTokenType.StartObject)
                {
                    reader = probe;
                    break;
                }

                probe.Skip();
            }
        }

        var log = new FieldReadLog();
        using var active = log.Activate();
        return ReadOne(ref reader, body, typeInfo, map, log, 1);
    }

    private static Invoice ReadOne<TDto>(ref Utf8JsonReader reader, byte[] body, JsonTypeInfo<TDto> typeInfo, Func<TDto, byte[], Invoice> map, FieldReadLog log, int position)
        where TDto : class
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"invoice {position.ToString(CultureInfo.InvariantCulture)} is a JSON {reader.TokenType.ToString().ToLowerInvariant()}, not an object");
        }

        var start = (int)reader.TokenStartIndex;
        var dto = JsonSerializer.Deserialize(ref reader, typeInfo)!;
        var invoice = map(dto, body.AsSpan(start, (int)reader.BytesConsumed - start).ToArray());
        if (string.IsNullOrWhiteSpace(invoice.Id))
        {
            log.DiscardItem();
            throw new JsonException($"invoice {position.ToString(CultureInfo.InvariantCulture)} has no usable id (missing, empty, or not a string or number), so it cannot be told apart from others");
        }

        log.EndItem();
        return invoice;
    }
}
