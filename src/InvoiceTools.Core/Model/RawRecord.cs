using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using static System.FormattableString;

namespace InvoiceTools;

/// <summary>
/// A provider's JSON object, kept as its exact UTF-8 bytes and opened only when read. It behaves as a read-only
/// dictionary, so <c>$invoice.Raw.partner.company</c> works in PowerShell, and nested objects are
/// <see cref="RawRecord"/>s too. Arrays are <c>object[]</c>; numbers are <c>long</c> when integral, else <c>decimal</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Named for what it is to users: the provider's raw record.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1010", Justification = "Non-generic IDictionary is what gives PowerShell's $x.Raw.field access and hashtable serialization.")]
public sealed class RawRecord : IDictionary
{
    /// <summary>An empty object.</summary>
    public static readonly RawRecord Empty = new(Encoding.UTF8.GetBytes("{}"));

    private readonly byte[] _utf8Json;
    private List<KeyValuePair<string, object?>>? _entries;
    private int? _count;
    private Dictionary<string, int>? _index;

    /// <summary>Wraps the UTF-8 bytes of one JSON object. The array is owned by the record from now on.</summary>
    public RawRecord(byte[] utf8Json) => _utf8Json = utf8Json ?? throw new ArgumentNullException(nameof(utf8Json));

    /// <summary>
    /// The number of top-level fields. Counted from the bytes without opening the record, so a table or a CSV cell
    /// ("19 fields") costs a scan, not a parse into values.
    /// </summary>
    public int Count => _entries?.Count ?? (_count ??= CountFields());

    /// <summary>The field names, in the provider's order.</summary>
    public ICollection Keys => Entries.ConvertAll(e => e.Key);

    /// <summary>The field values, in the provider's order.</summary>
    public ICollection Values => Entries.ConvertAll(e => e.Value);

    /// <inheritdoc />
    public bool IsReadOnly => true;

    /// <inheritdoc />
    public bool IsFixedSize => true;

    /// <inheritdoc />
    bool ICollection.IsSynchronized => false;

    /// <inheritdoc />
    object ICollection.SyncRoot => this;

    private List<KeyValuePair<string, object?>> Entries => _entries ??= Materialize();

    /// <summary>The value of a field (case-insensitive), or null when absent.</summary>
    public object? this[object key]
    {
        get
        {
            _ = Entries;
            return key is string name && _index!.TryGetValue(name, out var i) ? _entries![i].Value : null;
        }

        set => throw new NotSupportedException("The raw record is read-only.");
    }

    /// <summary>The exact JSON the provider sent for this object.</summary>
    public string ToJson() => Encoding.UTF8.GetString(_utf8Json);

    /// <summary>The exact UTF-8 bytes the provider sent for this object (a copy).</summary>
    public byte[] ToUtf8Bytes() => (byte[])_utf8Json.Clone();

    /// <summary>The bytes themselves, for hashing without a copy.</summary>
    internal byte[] Utf8Bytes => _utf8Json;

    /// <inheritdoc />
    public bool Contains(object key)
    {
        _ = Entries;
        return key is string name && _index!.ContainsKey(name);
    }

    /// <inheritdoc />
    public IDictionaryEnumerator GetEnumerator() => new Enumerator(Entries);

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public void CopyTo(Array array, int index)
    {
        if (array is null)
        {
            throw new ArgumentNullException(nameof(array));
        }

        foreach (var entry in Entries)
        {
            array.SetValue(new DictionaryEntry(entry.Key, entry.Value), index++);
        }
    }

    /// <inheritdoc />
    public void Add(object key, object? value) => throw new NotSupportedException("The raw record is read-only.");

    /// <inheritdoc />
    public void Clear() => throw new NotSupportedException("The raw record is read-only.");

    /// <inheritdoc />
    public void Remove(object key) => throw new NotSupportedException("The raw record is read-only.");

    /// <summary>A short summary such as "24 fields", so tables and CSV files stay readable.</summary>
    public override string ToString() => Count == 1 ? "1 field" : Invariant($"{Count} fields");

    internal static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new RawRecord(Encoding.UTF8.GetBytes(element.GetRawText())),
        JsonValueKind.Array => ConvertArray(element),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.TryGetDecimal(out var d) ? d : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static object?[] ConvertArray(JsonElement element)
    {
        var result = new object?[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            result[i++] = Convert(item);
        }

        return result;
    }

    /// <summary>Counts top-level names; a name that may repeat (names are unique case-insensitively) asks the parse.</summary>
    private int CountFields()
    {
        var reader = new Utf8JsonReader(_utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Entries.Count;
        }

        var seen = new HashSet<int> { 0 };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.HasValueSequence || reader.ValueIsEscaped || !seen.Add(AsciiCaseInsensitiveHash(reader.ValueSpan)))
            {
                return Entries.Count;
            }

            reader.Read();
            reader.Skip();
        }

        return seen.Count - 1;
    }

    /// <summary>FNV-1a over the name with ASCII letters folded; a non-ASCII name hashes to 0 and so always asks the parse.</summary>
    private static int AsciiCaseInsensitiveHash(ReadOnlySpan<byte> name)
    {
        var hash = unchecked((int)2166136261);
        foreach (var b in name)
        {
            if (b >= 0x80)
            {
                return 0;
            }

            hash = unchecked((hash ^ (b is >= (byte)'A' and <= (byte)'Z' ? b | 0x20 : b)) * 16777619);
        }

        return hash == 0 ? 1 : hash;
    }

    private List<KeyValuePair<string, object?>> Materialize()
    {
        var entries = new List<KeyValuePair<string, object?>>();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        // The page this record came from was read up to 256 levels deep (ResponseReader.MaxJsonDepth), so the record can be too.
        using (var document = JsonDocument.Parse(_utf8Json, new JsonDocumentOptions { MaxDepth = 256 }))
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    var value = Convert(property.Value);
                    if (index.TryGetValue(property.Name, out var existing))
                    {
                        entries[existing] = new KeyValuePair<string, object?>(property.Name, value);
                    }
                    else
                    {
                        index[property.Name] = entries.Count;
                        entries.Add(new KeyValuePair<string, object?>(property.Name, value));
                    }
                }
            }
        }

        _index = index;
        return entries;
    }

    private sealed class Enumerator : IDictionaryEnumerator
    {
        private readonly List<KeyValuePair<string, object?>> _entries;
        private int _position = -1;

        public Enumerator(List<KeyValuePair<string, object?>> entries) => _entries = entries;

        public DictionaryEntry Entry => new(_entries[_position].Key, _entries[_position].Value);

        public object Key => _entries[_position].Key;

        public object? Value => _entries[_position].Value;

        public object Current => Entry;

        public bool MoveNext() => ++_position < _entries.Count;

        public void Reset() => _position = -1;
    }
}
