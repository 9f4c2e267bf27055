using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using static System.FormattableString;

namespace InvoiceTools.Providers.Defined;

/// <summary>
/// A JSON path of a provider definition: the dot-notation subset of JSONPath that names exactly one value. Member
/// names <c>data.total</c>, array indexes <c>items[0]</c>, bracketed names <c>['odd key']</c> or <c>["odd key"]</c>
/// (inside the quotes a backslash escapes the quote and itself, as in RFC 9535: <c>['it\'s']</c>), an optional
/// leading <c>$.</c> or <c>$[</c>, and <c>$</c> alone for the value itself. Wildcards, filters, slices, unions,
/// recursive descent and negative indexes are refused. Parsed once; <see cref="TryEvaluate"/> allocates nothing.
/// </summary>
internal sealed class JsonPath
{
    private const string OneValue = "a definition names one value per field";

    private readonly Step[] _steps;

    private JsonPath(string text, Step[] steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>True for <c>$</c>: the value itself.</summary>
    public bool IsRoot => _steps.Length == 0;

    /// <summary>True when every step is a member name (no index): <see cref="Members"/> is then the chain.</summary>
    public bool IsMemberChain => _steps.All(s => s.Name is not null);

    /// <summary>The member names from the outside in (<c>meta.total</c>: meta, total); empty for the root.</summary>
    /// <exception cref="InvalidOperationException">The path has an index (<see cref="IsMemberChain"/> is false).</exception>
    public IReadOnlyList<string> Members =>
        IsMemberChain ? _steps.Select(s => s.Name!).ToList() : throw new InvalidOperationException($"The JSON path '{Text}' has an index, not only member names.");

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>
    /// Reads <paramref name="text"/>. On failure <paramref name="problem"/> says what is wrong and where, with
    /// 1-based character positions: <c>unexpected ']' at character 5 of 'data]'</c>.
    /// </summary>
    public static bool TryParse(string text, out JsonPath? path, out string? problem)
    {
        path = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "the JSON path is empty: write a member name such as 'data', or '$' for the whole value";
            return false;
        }

        problem = new Parser(text).Parse(out var steps);
        if (problem is null)
        {
            path = new JsonPath(text, steps!);
        }

        return problem is null;
    }

    /// <summary>
    /// The value the path names inside <paramref name="element"/>. False when a member or index is missing, or a
    /// step meets the wrong kind (a member on an array, an index on an object, any step on a string, number,
    /// boolean or null). Member names compare ordinally, as JSON's do.
    /// </summary>
    public bool TryEvaluate(JsonElement element, out JsonElement value)
    {
        var current = element;
        foreach (var step in _steps)
        {
            if (step.Utf8Name is { } name)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    value = default;
                    return false;
                }
            }
            else if (current.ValueKind != JsonValueKind.Array || step.Index >= current.GetArrayLength())
            {
                value = default;
                return false;
            }
            else
            {
                current = current[step.Index];
            }
        }

        value = current;
        return true;
    }

    private readonly struct Step
    {
        public Step(string name)
        {
            Name = name;
            Utf8Name = Encoding.UTF8.GetBytes(name);
            Index = -1;
        }

        public Step(int index)
        {
            Name = null;
            Utf8Name = null;
            Index = index;
        }

        public string? Name { get; }

        // Pre-encoded so that TryGetProperty compares bytes without transcoding the name at each evaluation.
        public byte[]? Utf8Name { get; }

        public int Index { get; }
    }

    private sealed class Parser
    {
        private readonly string _text;
        private readonly List<Step> _steps = new();
        private int _at;

        public Parser(string text) => _text = text;

        private bool AtEnd => _at >= _text.Length;

        private char Current => _text[_at];

        public string? Parse(out Step[]? steps)
        {
            steps = null;
            var problem = ParseSteps();
            if (problem is null)
            {
                steps = _steps.ToArray();
            }

            return problem;
        }

        private string? ParseSteps()
        {
            if (Current == '$')
            {
                _at++;
                if (AtEnd)
                {
                    return null;
                }

                if (Current != '.' && Current != '[')
                {
                    return Problem("expected '.' or '[' after '$'", _at);
                }
            }
            else if (Current != '[')
            {
                // A path without '$' starts with a member name, as if '$.' came before it.
                if (MemberName() is { } first)
                {
                    return first;
                }
            }

            while (!AtEnd)
            {
                var problem = Current switch
                {
                    '.' => Dot(),
                    '[' => Bracket(),
                    _ => Unexpected(),
                };
                if (problem is not null)
                {
                    return problem;
                }
            }

            return null;
        }

        private string? Dot()
        {
            _at++;
            if (AtEnd)
            {
                return Problem("empty member name", _at);
            }

            if (Current == '.')
            {
                return Problem("'..' (recursive descent)", _at - 1, $"it is not supported: {OneValue}");
            }

            return MemberName();
        }

        private string? MemberName()
        {
            var start = _at;
            while (!AtEnd && Current != '.' && Current != '[')
            {
                switch (Current)
                {
                    case '*':
                        return Wildcard();
                    case ']':
                    case '\'':
                    case '"':
                        return Unexpected();
                    default:
                        if (char.IsWhiteSpace(Current))
                        {
                            return Problem("a space in a member name", _at, "write such a name in brackets: ['first name']");
                        }

                        break;
                }

                _at++;
            }

            if (_at == start)
            {
                return Problem("empty member name", _at);
            }

            _steps.Add(new Step(_text.Substring(start, _at - start)));
            return null;
        }

        private string? Bracket()
        {
            var open = _at;
            _at++;
            if (AtEnd)
            {
                return Problem("'[' not closed", open);
            }

            var problem = Current switch
            {
                '\'' or '"' => QuotedName(),
                '*' => Wildcard(),
                '?' => Problem("'[?' (a filter)", open, $"it is not supported: {OneValue}"),
                '-' => Problem("a negative index", _at, "it is not supported: count from the start, [0] is the first value"),
                ':' => Slice(open),
                ']' => Problem("empty brackets '[]'", open, "write an index such as [0] or a name such as ['id']"),
                >= '0' and <= '9' => Index(open),
                _ => Unexpected(),
            };
            if (problem is not null)
            {
                return problem;
            }

            if (AtEnd)
            {
                return Problem("'[' not closed", open);
            }

            return Current switch
            {
                ']' => Close(),
                ',' => Problem("',' (a union)", _at, $"it is not supported: {OneValue}"),
                ':' => Slice(open),
                _ => Unexpected(),
            };
        }

        private string? Close()
        {
            _at++;
            return null;
        }

        private string? Index(int open)
        {
            var start = _at;
            while (!AtEnd && Current is >= '0' and <= '9')
            {
                _at++;
            }

            if (!int.TryParse(_text.Substring(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return Problem("an index too large", start);
            }

            _steps.Add(new Step(index));
            return null;
        }

        private string? QuotedName()
        {
            var quote = Current;
            var start = _at;
            _at++;
            var name = new StringBuilder();
            while (!AtEnd && Current != quote)
            {
                if (Current == '\\')
                {
                    _at++;
                    if (AtEnd || (Current != quote && Current != '\\'))
                    {
                        return Problem("'\\'", _at - 1, $"in a quoted name it escapes only {quote} and \\");
                    }
                }

                name.Append(Current);
                _at++;
            }

            if (AtEnd)
            {
                return Problem($"a name quoted with {quote} not closed", start);
            }

            _at++;
            _steps.Add(new Step(name.ToString()));
            return null;
        }

        private string Wildcard() => Problem("'*' (a wildcard)", _at, $"it is not supported: {OneValue}");

        private string Slice(int open) => Problem("a slice", open, $"it is not supported: {OneValue}");

        private string Unexpected() => Problem($"unexpected '{Current}'", _at);

        // at is 0-based; messages count characters from 1.
        private string Problem(string what, int at, string? advice = null) =>
            Invariant($"{what} at character {at + 1} of '{_text}'") + (advice is null ? string.Empty : ": " + advice);
    }
}
