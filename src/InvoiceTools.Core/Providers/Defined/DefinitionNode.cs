using System;
using System.Collections.Generic;
using System.Linq;
using static System.FormattableString;

namespace InvoiceTools.Providers.Defined;

/// <summary>The kind of value a <see cref="DefinitionNode"/> holds.</summary>
public enum DefinitionNodeKind : long
{
    /// <summary>A hashtable (.psd1) or object (JSON): keys in <see cref="DefinitionNode.Entries"/>.</summary>
    Map,

    /// <summary>An array: values in <see cref="DefinitionNode.Items"/>.</summary>
    List,

    /// <summary>A string: <see cref="DefinitionNode.Text"/>.</summary>
    Text,

    /// <summary>A number: <see cref="DefinitionNode.Number"/>.</summary>
    Number,

    /// <summary>$true or $false (JSON true or false): <see cref="DefinitionNode.Boolean"/>.</summary>
    Boolean,

    /// <summary>$null (JSON null).</summary>
    Null,
}

/// <summary>
/// One value of a provider definition file as read, before it is checked: the same tree whether the file is a
/// PowerShell data file or JSON, with where each value is so that every problem can name its key and line. The
/// module reads a .psd1 into this tree (with PowerShell's data-file rules); DefinitionJson reads JSON.
/// </summary>
public sealed class DefinitionNode
{
    private static readonly IReadOnlyList<KeyValuePair<string, DefinitionNode>> NoEntries = Array.Empty<KeyValuePair<string, DefinitionNode>>();

    private DefinitionNode(DefinitionNodeKind kind, string path, int? line)
    {
        Kind = kind;
        Path = path ?? string.Empty;
        Line = line;
    }

    /// <summary>What the value is.</summary>
    public DefinitionNodeKind Kind { get; }

    /// <summary>
    /// Where the value is, as keys from the root: <c>Paging.Type</c>, <c>Headers['Acme-Version']</c>,
    /// <c>Invoice.LineItem.Amount</c>, <c>List.Items</c>; an array's values add <c>[0]</c>. Empty for the root.
    /// </summary>
    public string Path { get; }

    /// <summary>The 1-based line of the file the value starts on, or null when not known.</summary>
    public int? Line { get; }

    /// <summary>A Map's keys and values, in the file's order; empty for other kinds.</summary>
    public IReadOnlyList<KeyValuePair<string, DefinitionNode>> Entries { get; private set; } = NoEntries;

    /// <summary>A List's values, in order; empty for other kinds.</summary>
    public IReadOnlyList<DefinitionNode> Items { get; private set; } = Array.Empty<DefinitionNode>();

    /// <summary>A Text's string; null for other kinds.</summary>
    public string? Text { get; private set; }

    /// <summary>A Number's value; null for other kinds (or a number too large for decimal).</summary>
    public decimal? Number { get; private set; }

    /// <summary>A Boolean's value; null for other kinds.</summary>
    public bool? Boolean { get; private set; }

    /// <summary>A map: <paramref name="entries"/> keep their order; keys are compared without case by readers.</summary>
    public static DefinitionNode Map(string path, int? line, IEnumerable<KeyValuePair<string, DefinitionNode>> entries) =>
        new(DefinitionNodeKind.Map, path, line) { Entries = (entries ?? throw new ArgumentNullException(nameof(entries))).ToList() };

    /// <summary>An array.</summary>
    public static DefinitionNode List(string path, int? line, IEnumerable<DefinitionNode> items) =>
        new(DefinitionNodeKind.List, path, line) { Items = (items ?? throw new ArgumentNullException(nameof(items))).ToList() };

    /// <summary>A string.</summary>
    public static DefinitionNode FromText(string path, int? line, string text) =>
        new(DefinitionNodeKind.Text, path, line) { Text = text ?? throw new ArgumentNullException(nameof(text)) };

    /// <summary>A number.</summary>
    public static DefinitionNode FromNumber(string path, int? line, decimal? number) => new(DefinitionNodeKind.Number, path, line) { Number = number };

    /// <summary>A boolean.</summary>
    public static DefinitionNode FromBoolean(string path, int? line, bool value) => new(DefinitionNodeKind.Boolean, path, line) { Boolean = value };

    /// <summary>A null.</summary>
    public static DefinitionNode FromNull(string path, int? line) => new(DefinitionNodeKind.Null, path, line);

    /// <summary>The path of <paramref name="key"/> under a map at <paramref name="parent"/>: <c>Paging.Type</c>, or <c>Headers['Acme-Version']</c> for a key that is not a plain name.</summary>
    public static string ChildPath(string parent, string key)
    {
        var plain = !string.IsNullOrEmpty(key) && (char.IsLetter(key[0]) || key[0] == '_') && key.All(c => char.IsLetterOrDigit(c) || c == '_');
        if (!plain)
        {
            return $"{parent}['{key?.Replace("'", "''")}']";
        }

        return string.IsNullOrEmpty(parent) ? key! : $"{parent}.{key}";
    }

    /// <summary>The path of the value at <paramref name="index"/> under a list at <paramref name="parent"/>: <c>Items[2]</c>.</summary>
    public static string ItemPath(string parent, int index) => Invariant($"{parent}[{index}]");

    /// <summary>The value under <paramref name="key"/> (without case), or null when the map has none or this is not a map.</summary>
    public DefinitionNode? this[string key] =>
        Entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Select(e => e.Value).FirstOrDefault();
}
