using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace InvoiceTools.Providers.Defined;

/// <summary>A JSON path in JSONPath's dot notation: members and indexes only (a first version; see DefinitionReadingTests).</summary>
internal sealed class JsonPath
{
    private readonly List<object> _steps;

    private JsonPath(string text, List<object> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    public bool IsRoot => _steps.Count == 0;

    public static bool TryParse(string text, out JsonPath? path, out string? problem)
    {
        path = null;
        problem = null;
        var body = text.Trim();
        if (body == "$")
        {
            path = new JsonPath(text, new List<object>());
            return true;
        }

        if (body.StartsWith("$.", StringComparison.Ordinal))
        {
            body = body.Substring(2);
        }

        var steps = new List<object>();
        foreach (var part in body.Split('.'))
        {
            var name = part;
            var bracket = name.IndexOf('[');
            var indexes = new List<int>();
            if (bracket >= 0)
            {
                var rest = name.Substring(bracket);
                name = name.Substring(0, bracket);
                while (rest.Length > 0)
                {
                    var close = rest.IndexOf(']');
                    if (!rest.StartsWith("[", StringComparison.Ordinal) || close < 0 || !int.TryParse(rest.Substring(1, close - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    {
                        problem = $"'{rest}' is not an index such as [0]";
                        return false;
                    }

                    indexes.Add(index);
                    rest = rest.Substring(close + 1);
                }
            }

            if (name.Length == 0 && indexes.Count == 0)
            {
                problem = "a member name is empty";
                return false;
            }

            if (name.IndexOfAny(new[] { '*', '?', '(', ')', '@', ' ' }) >= 0)
            {
                problem = $"'{name}' is not a member name";
                return false;
            }

            if (name.Length > 0)
            {
                steps.Add(name);
            }

            foreach (var index in indexes)
            {
                steps.Add(index);
            }
        }

        path = new JsonPath(text, steps);
        return true;
    }

    public bool TryEvaluate(JsonElement element, out JsonElement value)
    {
        value = element;
        foreach (var step in _steps)
        {
            if (step is string name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else
            {
                var index = (int)step;
                if (value.ValueKind != JsonValueKind.Array || index >= value.GetArrayLength())
                {
                    return false;
                }

                value = value[index];
            }
        }

        return true;
    }

    public override string ToString() => Text;
}
