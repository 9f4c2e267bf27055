using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace InvoiceTools.HelpBuilder;

/// <summary>Writes MAML, the XML that Get-Help reads for binary cmdlets (en-US/&lt;Assembly&gt;.dll-Help.xml).</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    // PowerShell adds these parameters to every cmdlet that declares SupportsPaging or SupportsShouldProcess; Get-Help
    // lists them only if the MAML does.
    private static readonly (string Name, string Type, string Text)[] PagingParameters =
    {
        ("First", "UInt64", "Returns only the first N objects. With one connection, no page beyond the one holding the Nth invoice is requested."),
        ("Skip", "UInt64", "Ignores the first N objects, then returns the rest. Providers with offset paging skip on the server."),
        ("IncludeTotalCount", "SwitchParameter", "Writes the total number of matching objects first (a PSObject with the count and an accuracy), when the provider reports one."),
    };

    private static readonly (string Name, string Type, string Text)[] ShouldProcessParameters =
    {
        ("WhatIf", "SwitchParameter", "Shows what would happen if the cmdlet runs. The cmdlet is not run."),
        ("Confirm", "SwitchParameter", "Prompts you for confirmation before running the cmdlet."),
    };

    public static XDocument Write(IEnumerable<(CmdletDescription Cmdlet, HelpText Text)> cmdlets, IReadOnlyDictionary<string, string> xmlDocs)
    {
        var items = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
        foreach (var (cmdlet, text) in cmdlets)
        {
            items.Add(Command1(cmdlet, text, xmlDocs));
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), items);
    }

    private static XElement Command1(CmdletDescription cmdlet, HelpText text, IReadOnlyDictionary<string, string> xmlDocs)
    {
        var parameters = cmdlet.Parameters.Select(p => (Parameter: p, Text: ParameterText(p, text, xmlDocs))).ToList();
        var extra = (cmdlet.SupportsPaging ? PagingParameters : Array.Empty<(string, string, string)>())
            .Concat(cmdlet.SupportsShouldProcess ? ShouldProcessParameters : Array.Empty<(string, string, string)>())
            .ToList();

        return new XElement(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(
                Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description(text.Synopsis)),
            Description(text.Description),
            new XElement(Command + "syntax", SyntaxItems(cmdlet, parameters, extra)),
            new XElement(
                Command + "parameters",
                parameters.Select(p => Parameter(p.Parameter, p.Text, null)),
                extra.Select(e => Extra(e))),
            new XElement(
                Command + "inputTypes",
                Inputs(cmdlet, text).Select(i => new XElement(Command + "inputType", Type(i.Title), Description(i.Paragraphs)))),
            new XElement(
                Command + "returnValues",
                Outputs(cmdlet, text).Select(o => new XElement(Command + "returnValue", Type(o.Title), Description(o.Paragraphs)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(text.Notes))),
            new XElement(
                Command + "examples",
                text.Examples.Select((e, i) => new XElement(
                    Command + "example",
                    new XElement(Maml + "title", "-------------------------- " + e.Title + " --------------------------"),
                    new XElement(Dev + "code", e.Code.TrimEnd()),
                    new XElement(Dev + "remarks", Paras(e.Remarks))))),
            new XElement(
                Command + "relatedLinks",
                text.Links.Select(l => new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri)))));
    }

    private static IReadOnlyList<string> ParameterText(CmdletParameter parameter, HelpText text, IReadOnlyDictionary<string, string> xmlDocs)
    {
        if (text.Parameters.TryGetValue(parameter.Name, out var written) && written.Count > 0)
        {
            return written;
        }

        return parameter.DocumentationId is not null && xmlDocs.TryGetValue(parameter.DocumentationId, out var summary) && summary.Length > 0
            ? new[] { summary }
            : Array.Empty<string>();
    }

    private static IEnumerable<XElement> SyntaxItems(CmdletDescription cmdlet, List<(CmdletParameter Parameter, IReadOnlyList<string> Text)> parameters, List<(string Name, string Type, string Text)> extra)
    {
        var named = parameters.SelectMany(p => p.Parameter.Sets).Select(s => s.SetName).Where(s => s != CmdletReader.AllSets).Distinct().ToList();
        var sets = named.Count == 0 ? new List<string> { CmdletReader.AllSets } : named.OrderBy(s => s == cmdlet.DefaultParameterSet ? 0 : 1).ToList();
        foreach (var set in sets)
        {
            var members = parameters
                .Select(p => (p.Parameter, p.Text, Binding: p.Parameter.Sets.FirstOrDefault(s => s.SetName == set) ?? p.Parameter.Sets.FirstOrDefault(s => s.SetName == CmdletReader.AllSets)))
                .Where(p => p.Binding is not null)
                .OrderBy(p => p.Binding!.Position ?? int.MaxValue)
                .ThenBy(p => p.Binding!.Mandatory ? 0 : 1)
                .ToList();
            yield return new XElement(
                Command + "syntaxItem",
                new XElement(Maml + "name", cmdlet.Name),
                members.Select(m => Parameter(m.Parameter, m.Text, m.Binding)),
                extra.Select(e => Extra(e)));
        }
    }

    private static XElement Parameter(CmdletParameter parameter, IReadOnlyList<string> text, ParameterSetBinding? binding)
    {
        // In the parameters section a parameter is described once; it is required or positional if it is so anywhere.
        var mandatory = binding?.Mandatory ?? parameter.Sets.Any(s => s.Mandatory);
        var position = binding is not null ? binding.Position : parameter.Sets.Select(s => s.Position).FirstOrDefault(p => p is not null);
        var byValue = binding?.ByValue ?? parameter.Sets.Any(s => s.ByValue);
        var byName = binding?.ByPropertyName ?? parameter.Sets.Any(s => s.ByPropertyName);
        var pipeline = byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
        return new XElement(
            Command + "parameter",
            new XAttribute("required", mandatory ? "true" : "false"),
            new XAttribute("variableLength", parameter.TypeName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", parameter.SupportsWildcards ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(text),
            parameter.AcceptedValues.Count == 0
                ? null
                : new XElement(Command + "parameterValueGroup", parameter.AcceptedValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v))),
            parameter.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), parameter.ShortTypeName),
            Type(parameter.TypeName),
            new XElement(Dev + "defaultValue", parameter.IsSwitch ? "False" : "None"));
    }

    private static XElement Extra((string Name, string Type, string Text) parameter) => new(
        Command + "parameter",
        new XAttribute("required", "false"),
        new XAttribute("variableLength", "false"),
        new XAttribute("globbing", "false"),
        new XAttribute("pipelineInput", "False"),
        new XAttribute("position", "named"),
        new XAttribute("aliases", parameter.Name == "WhatIf" ? "wi" : parameter.Name == "Confirm" ? "cf" : "none"),
        new XElement(Maml + "name", parameter.Name),
        Description(new[] { parameter.Text }),
        parameter.Type == "SwitchParameter" ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), parameter.Type),
        Type(parameter.Type == "SwitchParameter" ? "System.Management.Automation.SwitchParameter" : "System." + parameter.Type),
        new XElement(Dev + "defaultValue", parameter.Type == "SwitchParameter" ? "False" : "None"));

    private static IEnumerable<HelpEntry> Inputs(CmdletDescription cmdlet, HelpText text)
    {
        if (text.Inputs.Count > 0)
        {
            return text.Inputs;
        }

        var piped = cmdlet.Parameters.Where(p => p.Sets.Any(s => s.ByValue)).Select(p => new HelpEntry(p.TypeName, new[] { "You can pipe " + p.TypeName + " to -" + p.Name + "." })).ToList();
        return piped.Count > 0 ? piped : new[] { new HelpEntry("None", new[] { "This cmdlet takes no pipeline input by value." }) };
    }

    private static IEnumerable<HelpEntry> Outputs(CmdletDescription cmdlet, HelpText text) =>
        text.Outputs.Count > 0 ? text.Outputs : cmdlet.OutputTypes.Select(t => new HelpEntry(t, Array.Empty<string>()));

    private static XElement Type(string name) => new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", Wrap(p)));

    /// <summary>
    /// Get-Help indents a paragraph by four or eight columns and cuts it at the console's width wherever that falls,
    /// mid-word; lines of at most 71 characters keep every word whole in an 80-column console. Code and lists,
    /// already laid out in lines, are left as they are.
    /// </summary>
    internal static string Wrap(string paragraph, int width = 71)
    {
        if (paragraph.Contains('\n'))
        {
            return paragraph;
        }

        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in paragraph.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        lines.Add(line.ToString());
        return string.Join("\n", lines);
    }
}
