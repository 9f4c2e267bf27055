using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Markdig;
using Markdig.Syntax;

namespace InvoiceTools.HelpBuilder;

/// <summary>One example: a title, the code, and the paragraphs that explain it.</summary>
internal sealed record HelpExample(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A titled block of paragraphs (an input or output type, or a parameter's override).</summary>
internal sealed record HelpEntry(string Title, IReadOnlyList<string> Paragraphs);

/// <summary>The prose of one cmdlet's help, as written in docs/help/&lt;Cmdlet&gt;.md.</summary>
internal sealed class HelpText
{
    public string Name { get; set; } = string.Empty;

    public IReadOnlyList<string> Synopsis { get; set; } = Array.Empty<string>();

    public IReadOnlyList<string> Description { get; set; } = Array.Empty<string>();

    public List<HelpExample> Examples { get; } = new();

    public Dictionary<string, IReadOnlyList<string>> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<HelpEntry> Inputs { get; } = new();

    public List<HelpEntry> Outputs { get; } = new();

    public IReadOnlyList<string> Notes { get; set; } = Array.Empty<string>();

    public List<(string Text, string Uri)> Links { get; } = new();
}

/// <summary>
/// Reads the help markdown. The layout is platyPS's (# Name, ## SYNOPSIS, ## DESCRIPTION, ## EXAMPLES with ### titles and
/// fenced code, ## PARAMETERS with ### -Name, ## INPUTS, ## OUTPUTS, ## NOTES, ## RELATED LINKS), so the files stay
/// readable on GitHub and could be handed to platyPS later. Parameter text normally comes from the C# XML docs instead.
/// </summary>
internal static class HelpMarkdown
{
    public static HelpText Parse(string path)
    {
        var source = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var document = Markdown.Parse(source);
        var help = new HelpText();
        string? section = null;
        string? subsection = null;
        var paragraphs = new List<string>();
        string? code = null;

        void Flush()
        {
            switch (section)
            {
                case "SYNOPSIS":
                    help.Synopsis = paragraphs.ToList();
                    break;
                case "DESCRIPTION":
                    help.Description = paragraphs.ToList();
                    break;
                case "NOTES":
                    help.Notes = paragraphs.ToList();
                    break;
                case "EXAMPLES" when subsection is not null:
                    help.Examples.Add(new HelpExample(subsection, code ?? string.Empty, paragraphs.ToList()));
                    break;
                case "PARAMETERS" when subsection is not null:
                    help.Parameters[subsection.TrimStart('-')] = paragraphs.ToList();
                    break;
                case "INPUTS" when subsection is not null:
                    help.Inputs.Add(new HelpEntry(subsection, paragraphs.ToList()));
                    break;
                case "OUTPUTS" when subsection is not null:
                    help.Outputs.Add(new HelpEntry(subsection, paragraphs.ToList()));
                    break;
            }

            paragraphs.Clear();
            code = null;
        }

        foreach (var block in document)
        {
            switch (block)
            {
                case HeadingBlock { Level: 1 } title:
                    help.Name = Inline(source, title);
                    break;
                case HeadingBlock { Level: 2 } heading:
                    Flush();
                    section = Inline(source, heading).ToUpperInvariant();
                    subsection = null;
                    break;
                case HeadingBlock { Level: 3 } heading:
                    Flush();
                    subsection = Inline(source, heading);
                    break;
                case FencedCodeBlock fenced when section == "EXAMPLES":
                    code = code is null ? fenced.Lines.ToString() : code + "\n" + fenced.Lines.ToString();
                    break;
                case ListBlock list when section == "RELATED LINKS":
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var text = Source(source, item).Trim().TrimStart('-', '*').Trim();
                        var open = text.IndexOf("](", StringComparison.Ordinal);
                        help.Links.Add(open > 0 && text.StartsWith('[') && text.EndsWith(')')
                            ? (text[1..open], text[(open + 2)..^1])
                            : (text, string.Empty));
                    }

                    break;
                case ListBlock list:
                    paragraphs.AddRange(list.OfType<ListItemBlock>().Select(item => "- " + Collapse(Source(source, item).Trim().TrimStart('-', '*').Trim())));
                    break;
                case ParagraphBlock paragraph:
                    paragraphs.Add(Collapse(Source(source, paragraph)));
                    break;
                case FencedCodeBlock fenced:
                    paragraphs.Add(fenced.Lines.ToString());
                    break;
            }
        }

        Flush();
        return help;
    }

    private static string Inline(string source, HeadingBlock heading) => Source(source, heading).TrimStart('#').Trim();

    private static string Source(string source, Block block) => source.Substring(block.Span.Start, block.Span.Length);

    private static string Collapse(string text) => string.Join(" ", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
