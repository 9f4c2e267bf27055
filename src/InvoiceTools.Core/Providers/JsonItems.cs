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
}
