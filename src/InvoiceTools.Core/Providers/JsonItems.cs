using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace InvoiceTools.Providers;

/// <summary>Reads a JSON list of invoice objects straight into the model, keeping each object's exact bytes.</summary>
internal static class JsonItems
{
    /// <summary>
    /// A list body of this many bytes or more is not held twice: its invoices are read once to check them (ids,
    /// field types) and again one at a time as the pipeline takes them, from the body, which the page keeps instead
    /// of every parsed invoice. 4 MiB is about 17,000 Opterius invoices; a paged provider's page is far smaller.
    /// </summary>
    public const int LazyFrom = 4 * 1024 * 1024;

    /// <summary>
    /// With <paramref name="reader"/> on the list, deserializes every invoice as <typeparamref name="TDto"/> and maps
    /// it with its raw UTF-8 bytes; leaves the reader on the list's end. The list is a JSON array, or an object keyed
    /// by index (<c>{"1":{...},"2":{...}}</c>, what a filtered Laravel collection serializes to), read in key order.
    /// Returns the fields read leniently (<see cref="LenientJson"/>). Throws <see cref="JsonException"/> for an
    /// invoice without a usable id, the one field a page cannot do without. From <see cref="LazyFrom"/> bytes the
    /// <paramref name="items"/> keep <paramref name="body"/>, which the caller must then not reuse.
    /// </summary>
    public static FieldReadLog ReadArray<TDto>(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, DtoContract<TDto> typeInfo, Func<TDto, byte[], Invoice> map, out IReadOnlyList<Invoice> items)
        where TDto : class
    {
        var log = new FieldReadLog();
        var lazy = body.Length >= LazyFrom;
        var span = body.Span;
        var read = new List<(long Key, Invoice? Invoice, int Start, int Length)>();
        using (log.Activate())
        {
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    read.Add(ReadOne(ref reader, span, typeInfo, map, log, read.Count + 1, read.Count, lazy));
                }
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    if (!long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
                    {
                        throw new JsonException($"expected a JSON array of invoices, or an object keyed by index; found the key '{name}'");
                    }

                    reader.Read();
                    read.Add(ReadOne(ref reader, span, typeInfo, map, log, read.Count + 1, key, lazy));
                }

                read = read.OrderBy(r => r.Key).ToList();
            }
            else
            {
                throw new JsonException("expected a JSON array of invoices");
            }
        }

        items = lazy
            ? new LazyInvoices<TDto>(body, read.Select(r => (r.Start, r.Length)).ToArray(), typeInfo, map)
            : read.ConvertAll(r => r.Invoice!);
        return log;
    }

    /// <summary>
    /// Reads a single-invoice response: the invoice object itself, or an object that wraps it in
    /// <paramref name="wrapper"/> (Laravel resources use "data"), or a one-element array (Appgregator).
    /// </summary>
    public static Invoice ReadSingle<TDto>(ReadOnlyMemory<byte> body, DtoContract<TDto> typeInfo, Func<TDto, byte[], Invoice> map, string? wrapper)
        where TDto : class
    {
        var reader = LenientJson.Reader(body);
        if (!reader.Read())
        {
            throw new JsonException("expected a JSON invoice object");
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            ReadArray(ref reader, body, typeInfo, map, out var items);
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
        return ReadOne(ref reader, body.Span, typeInfo, map, log, 1, 0, lazy: false).Invoice!;
    }

    private static (long Key, Invoice? Invoice, int Start, int Length) ReadOne<TDto>(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, DtoContract<TDto> typeInfo, Func<TDto, byte[], Invoice> map, FieldReadLog log, int position, long key, bool lazy)
        where TDto : class
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"invoice {position.ToString(CultureInfo.InvariantCulture)} is a JSON {reader.TokenType.ToString().ToLowerInvariant()}, not an object");
        }

        var start = (int)reader.TokenStartIndex;
        var dto = typeInfo.Read(ref reader);
        var length = (int)reader.BytesConsumed - start;
        var invoice = map(dto, body.Slice(start, length).ToArray());
        if (string.IsNullOrWhiteSpace(invoice.Id))
        {
            log.DiscardItem();
            throw new JsonException($"invoice {position.ToString(CultureInfo.InvariantCulture)} has no usable id (missing, empty, or not a string or number), so it cannot be told apart from others");
        }

        log.EndItem();
        return (key, lazy ? null : invoice, start, length);
    }

    /// <summary>The invoices of a large body, each read from its bytes when asked for (checked once already).</summary>
    private sealed class LazyInvoices<TDto> : IReadOnlyList<Invoice>
        where TDto : class
    {
        private readonly ReadOnlyMemory<byte> _body;
        private readonly (int Start, int Length)[] _where;
        private readonly DtoContract<TDto> _typeInfo;
        private readonly Func<TDto, byte[], Invoice> _map;

        public LazyInvoices(ReadOnlyMemory<byte> body, (int Start, int Length)[] where, DtoContract<TDto> typeInfo, Func<TDto, byte[], Invoice> map)
        {
            _body = body;
            _where = where;
            _typeInfo = typeInfo;
            _map = map;
        }

        public int Count => _where.Length;

        public Invoice this[int index]
        {
            get
            {
                var raw = _body.Slice(_where[index].Start, _where[index].Length).ToArray();
                return _map(_typeInfo.Read(raw), raw);
            }
        }

        public IEnumerator<Invoice> GetEnumerator()
        {
            for (var i = 0; i < _where.Length; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
