using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace InvoiceTools.Providers;

/// <summary>Reads a JSON array of invoice objects straight into the model, keeping each object's exact bytes.</summary>
internal static class JsonItems
{
    /// <summary>
    /// With <paramref name="reader"/> on a StartArray token, deserializes every element as <typeparamref name="TDto"/>
    /// and maps it with the element's raw UTF-8 bytes; leaves the reader on the EndArray.
    /// </summary>
    public static void ReadArray<TDto>(ref Utf8JsonReader reader, byte[] body, JsonTypeInfo<TDto> typeInfo, Func<TDto, byte[], Invoice> map, List<Invoice> into)
        where TDto : class
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a JSON array of invoices");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            var dto = JsonSerializer.Deserialize(ref reader, typeInfo) ?? throw new JsonException("null invoice in the array");
            into.Add(map(dto, body.AsSpan(start, (int)reader.BytesConsumed - start).ToArray()));
        }
    }

    /// <summary>
    /// Reads a single-invoice response: the invoice object itself, or an object that wraps it in
    /// <paramref name="wrapper"/> (Laravel resources use "data"), or a one-element array (Appgregator).
    /// </summary>
    public static Invoice ReadSingle<TDto>(byte[] body, JsonTypeInfo<TDto> typeInfo, Func<TDto, byte[], Invoice> map, string? wrapper)
        where TDto : class
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read())
        {
            throw new JsonException("expected a JSON invoice object");
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var items = new List<Invoice>();
            ReadArray(ref reader, body, typeInfo, map, items);
            return items.Count == 1 ? items[0] : throw new JsonException("expected one invoice, got " + items.Count);
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

        var start = (int)reader.TokenStartIndex;
        var dto = JsonSerializer.Deserialize(ref reader, typeInfo) ?? throw new JsonException("the invoice is null");
        return map(dto, body.AsSpan(start, (int)reader.BytesConsumed - start).ToArray());
    }
}
