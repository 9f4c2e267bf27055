using System;
using System.Collections.Generic;
using System.Text.Json;

namespace InvoiceTools.Sandbox;

/// <summary>
/// The layout of a JSON answer built from member-name paths: each path ends in a named slot, and paths with a common
/// prefix share its objects (<c>meta.total</c> and <c>meta.last_page</c> write one <c>meta</c>). Slots keep the order
/// they were added in.
/// </summary>
internal sealed class AnswerShape
{
    private readonly Node _root = new();

    /// <summary>
    /// Adds the slot <paramref name="slot"/> at <paramref name="path"/>; throws <see cref="ArgumentException"/> when the
    /// path holds an index, or another slot already is at, above or below that place.
    /// </summary>
    public void Add(string slot, SandboxJsonPath path)
    {
        if (!path.MembersOnly)
        {
            throw new ArgumentException($"{slot} '{path}' holds an array index, but the emulator writes answers by member names only.");
        }

        var node = _root;
        foreach (var segment in path.Segments)
        {
            if (node.Slot is not null)
            {
                throw new ArgumentException($"{slot} '{path}' goes inside {node.Slot} '{node.SlotPath}', which is not an object.");
            }

            var name = segment.Name!;
            var child = node.Members.Find(m => string.Equals(m.Key, name, StringComparison.Ordinal)).Value;
            if (child is null)
            {
                child = new Node();
                node.Members.Add(new KeyValuePair<string, Node>(name, child));
            }

            node = child;
        }

        if (node.Slot is not null)
        {
            throw new ArgumentException($"{slot} '{path}' is the same place as {node.Slot} '{node.SlotPath}'.");
        }

        if (node.Members.Count > 0)
        {
            throw new ArgumentException($"{slot} '{path}' is an object that other paths write into, so it cannot hold a value.");
        }

        node.Slot = slot;
        node.SlotPath = path.Text;
    }

    /// <summary>Writes the answer; a slot without a value in <paramref name="values"/> is written as null.</summary>
    public void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, Action<Utf8JsonWriter>> values) => Write(writer, _root, values);

    private static void Write(Utf8JsonWriter writer, Node node, IReadOnlyDictionary<string, Action<Utf8JsonWriter>> values)
    {
        if (node.Slot is { } slot)
        {
            if (values.TryGetValue(slot, out var value))
            {
                value(writer);
            }
            else
            {
                writer.WriteNullValue();
            }

            return;
        }

        writer.WriteStartObject();
        foreach (var member in node.Members)
        {
            writer.WritePropertyName(member.Key);
            Write(writer, member.Value, values);
        }

        writer.WriteEndObject();
    }

    private sealed class Node
    {
        public List<KeyValuePair<string, Node>> Members { get; } = new();

        public string? Slot { get; set; }

        public string? SlotPath { get; set; }
    }
}
