using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using static System.FormattableString;

namespace InvoiceTools.Providers.Defined;

/// <summary>Reads a provider definition written as JSON into the same <see cref="DefinitionNode"/> tree as a .psd1.</summary>
public static class DefinitionJson
{
    private static readonly byte[] ByteOrderMark = { 0xEF, 0xBB, 0xBF };

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// Reads <paramref name="utf8Json"/> (UTF-8, with or without a byte order mark; // and /* */ comments and
    /// trailing commas allowed): one JSON object, each value with its 1-based line. Numbers become decimals.
    /// </summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="fileName">The file's name (not its folder), for the problems.</param>
    /// <exception cref="InvoiceDefinitionException">
    /// The JSON is not valid (the problem has the line of the error), the root is not an object, a key appears twice
    /// in one object (keys are case-insensitive), or a number is beyond decimal's range: every problem at once.
    /// </exception>
    public static DefinitionNode Read(byte[] utf8Json, string fileName) => Read(new ReadOnlyMemory<byte>(utf8Json ?? throw new ArgumentNullException(nameof(utf8Json))), fileName);

    /// <summary>Reads a JSON definition from memory (internal, so that the module's API holds no System.Memory type).</summary>
    internal static DefinitionNode Read(ReadOnlyMemory<byte> utf8Json, string fileName)
    {
        var bytes = utf8Json;
        if (bytes.Span.StartsWith(ByteOrderMark))
        {
            bytes = bytes.Slice(3);
        }

        var walker = new Walker(bytes, fileName ?? string.Empty);
        var root = walker.ReadRoot();
        if (walker.Problems.Count > 0)
        {
            throw new InvoiceDefinitionException(fileName ?? string.Empty, walker.Problems);
        }

        return root!;
    }

    private sealed class Walker
    {
        private const string Empty = "the file is empty: a definition is one JSON object { ... }";

        private readonly ReadOnlyMemory<byte> _bytes;
        private readonly string _file;
        private long _lineCountedTo;
        private int _line = 1;

        public Walker(ReadOnlyMemory<byte> bytes, string file)
        {
            _bytes = bytes;
            _file = file;
        }

        public List<DefinitionProblem> Problems { get; } = new();

        public DefinitionNode? ReadRoot()
        {
            var reader = new Utf8JsonReader(_bytes.Span, Options);
            var started = false;
            try
            {
                // Input with no token (empty, or only whitespace and comments) throws rather than returning false.
                started = reader.Read();
                if (!started)
                {
                    Problems.Add(new DefinitionProblem(_file, null, string.Empty, Empty));
                    return null;
                }

                var root = Value(ref reader, string.Empty);
                if (root.Kind != DefinitionNodeKind.Map)
                {
                    Problems.Add(new DefinitionProblem(_file, root.Line, string.Empty, $"a definition is one JSON object {{ ... }}: found {Describe(root.Kind)}"));
                }

                // Anything after the root is a syntax error that Read reports.
                reader.Read();
                return root;
            }
            catch (JsonException) when (!started && OnlyWhitespaceAndComments(_bytes.Span))
            {
                Problems.Add(new DefinitionProblem(_file, null, string.Empty, Empty));
                return null;
            }
            catch (JsonException e)
            {
                var line = e.LineNumber is long zeroBased ? (int)zeroBased + 1 : (int?)null;
                Problems.Add(new DefinitionProblem(_file, line, string.Empty, $"the file is not valid JSON: {Readable(e, line)}"));
                return null;
            }
        }

        private DefinitionNode Value(ref Utf8JsonReader reader, string path)
        {
            var line = LineOf(reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return Map(ref reader, path, line);
                case JsonTokenType.StartArray:
                    var items = new List<DefinitionNode>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(Value(ref reader, DefinitionNode.ItemPath(path, items.Count)));
                    }

                    return DefinitionNode.List(path, line, items);
                case JsonTokenType.String:
                    return DefinitionNode.FromText(path, line, reader.GetString()!);
                case JsonTokenType.Number:
                    if (reader.TryGetDecimal(out var number))
                    {
                        return DefinitionNode.FromNumber(path, line, number);
                    }

                    var raw = Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                    Problems.Add(new DefinitionProblem(_file, line, path, $"the number {raw} is too large: a definition's numbers have at most 28 digits"));
                    return DefinitionNode.FromNumber(path, line, null);
                case JsonTokenType.True:
                case JsonTokenType.False:
                    return DefinitionNode.FromBoolean(path, line, reader.TokenType == JsonTokenType.True);
                default:
                    return DefinitionNode.FromNull(path, line);
            }
        }

        private DefinitionNode Map(ref Utf8JsonReader reader, string path, int line)
        {
            var entries = new List<KeyValuePair<string, DefinitionNode>>();
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                var keyLine = LineOf(reader.TokenStartIndex);
                var childPath = DefinitionNode.ChildPath(path, key);
                reader.Read();
                var value = Value(ref reader, childPath);
                if (seen.TryGetValue(key, out var firstLine))
                {
                    Problems.Add(new DefinitionProblem(_file, keyLine, childPath, Invariant($"the key '{key}' appears twice in one object (first on line {firstLine}; keys are case-insensitive): keep one")));
                    continue;
                }

                seen.Add(key, keyLine);
                entries.Add(new KeyValuePair<string, DefinitionNode>(key, value));
            }

            return DefinitionNode.Map(path, line, entries);
        }

        private static bool OnlyWhitespaceAndComments(ReadOnlySpan<byte> span)
        {
            var i = 0;
            while (i < span.Length)
            {
                if (span[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    i++;
                }
                else if (span.Slice(i).StartsWith("//"u8))
                {
                    var end = span.Slice(i).IndexOf((byte)'\n');
                    i = end < 0 ? span.Length : i + end + 1;
                }
                else if (span.Slice(i).StartsWith("/*"u8))
                {
                    var end = span.Slice(i + 2).IndexOf("*/"u8);
                    if (end < 0)
                    {
                        return false;
                    }

                    i += end + 4;
                }
                else
                {
                    return false;
                }
            }

            return true;
        }

        // Tokens come in the file's order, so the count of line breaks carries on from the previous token.
        private int LineOf(long index)
        {
            var span = _bytes.Span;
            for (var i = (int)_lineCountedTo; i < index; i++)
            {
                if (span[i] == (byte)'\n')
                {
                    _line++;
                }
            }

            _lineCountedTo = Math.Max(_lineCountedTo, index);
            return _line;
        }

        // System.Text.Json ends its messages with "LineNumber: 3 | BytePositionInLine: 14."; the problem has the
        // line already, and a byte position is not what an editor shows, so it becomes a character column.
        private string Readable(JsonException e, int? line)
        {
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut >= 0)
            {
                message = message.Substring(0, cut);
            }

            message = message.TrimEnd();
            if (line is int number && e.BytePositionInLine is long bytesIn && Column(number, bytesIn) is int column)
            {
                message = Invariant($"{message} (column {column})");
            }

            return message;
        }

        private int? Column(int line, long bytesIn)
        {
            var span = _bytes.Span;
            var start = 0;
            for (var current = 1; current < line; current++)
            {
                var next = span.Slice(start).IndexOf((byte)'\n');
                if (next < 0)
                {
                    return null;
                }

                start += next + 1;
            }

            var length = (int)Math.Min(bytesIn, span.Length - start);
            return Encoding.UTF8.GetCharCount(span.Slice(start, length).ToArray()) + 1;
        }

        private static string Describe(DefinitionNodeKind kind) => kind switch
        {
            DefinitionNodeKind.List => "an array",
            DefinitionNodeKind.Text => "a string",
            DefinitionNodeKind.Number => "a number",
            DefinitionNodeKind.Boolean => "a boolean",
            _ => "null",
        };
    }
}
