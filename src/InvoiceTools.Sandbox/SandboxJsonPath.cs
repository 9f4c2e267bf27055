using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InvoiceTools.Sandbox;

/// <summary>
/// A JSON path in the dot notation subset definitions use: <c>data</c>, <c>meta.total</c>, <c>items[0].id</c>,
/// <c>['odd key'].value</c>, an optional leading <c>$.</c>, and <c>$</c> alone for the root. The emulator's own reader,
/// independent of the client's.
/// </summary>
internal sealed class SandboxJsonPath
{
    private SandboxJsonPath(string text, IReadOnlyList<Segment> segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Its steps from the root; none for <c>$</c>.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>True for <c>$</c>.</summary>
    public bool IsRoot => Segments.Count == 0;

    /// <summary>True when every step is a member name (a path the emulator can write).</summary>
    public bool MembersOnly => Segments.All(s => s.Name is not null);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying what is wrong and where.</summary>
    public static SandboxJsonPath Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("a JSON path cannot be empty ('$' is the whole answer)");
        }

        var segments = new List<Segment>();
        var i = 0;
        if (text[0] == '$')
        {
            i = 1;
            if (i < text.Length && text[i] != '.' && text[i] != '[')
            {
                throw Bad(text, i, "'$' must be followed by '.' or '['");
            }
        }
        else if (text[0] != '[')
        {
            i = ReadName(text, 0, segments);
        }

        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                if (i + 1 >= text.Length || text[i + 1] == '.' || text[i + 1] == '[')
                {
                    throw Bad(text, i, "'.' must be followed by a member name");
                }

                i = ReadName(text, i + 1, segments);
            }
            else if (text[i] == '[')
            {
                i = ReadBracket(text, i, segments);
            }
            else
            {
                throw Bad(text, i, "expected '.' or '['");
            }
        }

        return new SandboxJsonPath(text, segments);
    }

    /// <summary>The value at this path inside <paramref name="root"/>, or false when a step is missing.</summary>
    public bool TryRead(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var segment in Segments)
        {
            if (segment.Name is { } name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind != JsonValueKind.Array || segment.Index >= value.GetArrayLength())
            {
                return false;
            }
            else
            {
                value = value[segment.Index];
            }
        }

        return true;
    }

    /// <summary>Sets the value at this path inside <paramref name="root"/>, whose every step but the last must exist; false when one does not.</summary>
    public bool TrySet(JsonNode root, JsonNode? value)
    {
        if (IsRoot)
        {
            return false;
        }

        var parent = root;
        foreach (var segment in Segments.Take(Segments.Count - 1))
        {
            parent = segment.Name is { } name
                ? (parent as JsonObject)?[name]
                : parent is JsonArray array && segment.Index < array.Count ? array[segment.Index] : null;
            if (parent is null)
            {
                return false;
            }
        }

        var last = Segments[Segments.Count - 1];
        if (last.Name is { } member && parent is JsonObject target)
        {
            target[member] = value;
            return true;
        }

        if (last.Name is null && parent is JsonArray list && last.Index < list.Count)
        {
            list[last.Index] = value;
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static int ReadName(string text, int start, List<Segment> segments)
    {
        var i = start;
        while (i < text.Length && text[i] != '.' && text[i] != '[')
        {
            if (text[i] is ']' or '\'' or '"' or '$')
            {
                throw Bad(text, i, "a member name with '" + text[i] + "' must be written in brackets: ['name']");
            }

            i++;
        }

        if (i == start)
        {
            throw Bad(text, i, "expected a member name");
        }

        segments.Add(Segment.Member(text.Substring(start, i - start)));
        return i;
    }

    private static int ReadBracket(string text, int open, List<Segment> segments)
    {
        var i = open + 1;
        if (i < text.Length && text[i] is '\'' or '"')
        {
            var quote = text[i];
            var name = new StringBuilder();
            i++;
            while (i < text.Length && text[i] != quote)
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                }

                name.Append(text[i]);
                i++;
            }

            if (i + 1 >= text.Length || text[i + 1] != ']')
            {
                throw Bad(text, open, "a quoted member name must end with " + quote + "]");
            }

            segments.Add(Segment.Member(name.ToString()));
            return i + 2;
        }

        var close = text.IndexOf(']', i);
        var digits = close < 0 ? string.Empty : text.Substring(i, close - i);
        if (digits.Length == 0 || !digits.All(c => c is >= '0' and <= '9')
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw Bad(text, open, "'[' must hold an array index (digits) or a quoted member name");
        }

        segments.Add(Segment.At(index));
        return close + 1;
    }

    private static FormatException Bad(string text, int position, string why) =>
        new($"'{text}' is not a valid JSON path at character {(position + 1).ToString(CultureInfo.InvariantCulture)}: {why}");

    /// <summary>One step: a member name, or an array index when <see cref="Name"/> is null.</summary>
    internal sealed class Segment
    {
        private Segment(string? name, int index)
        {
            Name = name;
            Index = index;
        }

        public string? Name { get; }

        public int Index { get; }

        public static Segment Member(string name) => new(name, 0);

        public static Segment At(int index) => new(null, index);
    }
}
