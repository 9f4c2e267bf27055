using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace InvoiceTools.ModuleTests;

/// <summary>Reads the built en-US/InvoiceTools.dll-Help.xml the way Get-Help would, and holds it to the cmdlets' metadata.</summary>
public sealed class HelpCoverageTests : IDisposable
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private readonly CmdletMetadata _metadata = new();
    private readonly XDocument _help = XDocument.Load(Path.Combine(ModuleLayout.ModuleDir, "en-US", "InvoiceTools.dll-Help.xml"));

    public void Dispose() => _metadata.Dispose();

    public static TheoryData<string> CmdletNames()
    {
        using var metadata = new CmdletMetadata();
        var data = new TheoryData<string>();
        foreach (var name in metadata.CmdletTypes.Select(CmdletMetadata.CmdletName).OrderBy(n => n, StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_has_a_synopsis_and_a_description(string cmdlet)
    {
        var command = Command1(cmdlet);
        Assert.False(string.IsNullOrWhiteSpace(Text(command.Element(Command + "details")!.Element(Maml + "description"))), cmdlet + " has no synopsis");
        Assert.True(Text(command.Element(Maml + "description")).Length > 80, cmdlet + " has no real description");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_parameter_is_described(string cmdlet)
    {
        var type = _metadata.CmdletTypes.Single(t => CmdletMetadata.CmdletName(t) == cmdlet);
        var described = Command1(cmdlet).Element(Command + "parameters")!.Elements(Command + "parameter")
            .ToDictionary(p => p.Element(Maml + "name")!.Value, p => Text(p.Element(Maml + "description")), StringComparer.Ordinal);
        var missing = CmdletMetadata.Parameters(type).Select(p => p.Name).Where(n => !described.TryGetValue(n, out var text) || text.Length < 10).ToList();
        Assert.True(missing.Count == 0, cmdlet + ": no help for -" + string.Join(", -", missing));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_has_a_pipeline_an_export_and_a_runbook_example(string cmdlet)
    {
        var examples = Command1(cmdlet).Element(Command + "examples")!.Elements(Command + "example")
            .Select(e => (Title: e.Element(Maml + "title")!.Value, Code: e.Element(Dev + "code")!.Value))
            .ToList();
        Assert.True(examples.Count >= 3, cmdlet + " has " + examples.Count + " examples");
        Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Code), cmdlet + ": '" + e.Title + "' has no code"));
        Assert.Contains(examples, e => e.Code.Contains(" | ", StringComparison.Ordinal) || e.Code.Contains("|\n", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.Code.Contains("Export-Csv", StringComparison.Ordinal) || e.Code.Contains("Export-Clixml", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.Title.Contains("runbook", StringComparison.OrdinalIgnoreCase) && e.Code.Contains("Get-Automation", StringComparison.Ordinal));
    }

    [Fact]
    public void Enum_parameters_list_their_values_and_paging_parameters_are_documented()
    {
        var getInvoice = Command1("Get-Invoice");
        var parameters = getInvoice.Element(Command + "parameters")!.Elements(Command + "parameter").ToDictionary(p => p.Element(Maml + "name")!.Value);
        var statuses = parameters["Status"].Element(Command + "parameterValueGroup")!.Elements().Select(e => e.Value).ToList();
        Assert.Equal(Enum.GetNames<InvoiceStatusNames>(), statuses);
        Assert.Equal("true", parameters["Connection"].Attribute("variableLength")!.Value);
        Assert.Equal("True (ByValue, ByPropertyName)", parameters["Connection"].Attribute("pipelineInput")!.Value);
        Assert.Equal("0", parameters["Connection"].Attribute("position")!.Value);
        AssertEx.ContainsAll(new[] { "First", "Skip", "IncludeTotalCount" }, parameters.Keys);
        AssertEx.ContainsAll(new[] { "WhatIf", "Confirm" }, Command1("Disconnect-InvoiceProvider").Element(Command + "parameters")!.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
    }

    [Fact]
    public void Each_parameter_set_is_one_syntax_item_default_first()
    {
        var items = Command1("Get-Invoice").Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(3, items.Count);
        var first = items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToList();
        Assert.Contains("Status", first);
        Assert.DoesNotContain("Id", first);
        Assert.Contains(items, i => i.Elements(Command + "parameter").Any(p => p.Element(Maml + "name")!.Value == "Number"));

        // Connect-InvoiceProvider has one set: conflicting key sources or sandbox settings are explained by the
        // module ("-Sandbox uses the built-in emulator, so it cannot be combined with -BaseUri") instead of
        // PowerShell's "Parameter set cannot be resolved".
        var connect = Assert.Single(Command1("Connect-InvoiceProvider").Element(Command + "syntax")!.Elements(Command + "syntaxItem"));
        var names = connect.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToList();
        Assert.Equal("Provider", names[0]);
        AssertEx.ContainsAll(new[] { "ApiKey", "Credential", "SecretName", "Sandbox", "BaseUri", "Proxy" }, names);
    }

    [Fact]
    public void The_about_topics_ship_in_the_module()
    {
        foreach (var topic in new[] { "about_InvoiceTools", "about_InvoiceTools_Providers", "about_InvoiceTools_Paging", "about_InvoiceTools_Reliability" })
        {
            var path = Path.Combine(ModuleLayout.ModuleDir, "en-US", topic + ".help.txt");
            Assert.True(File.Exists(path), path);
            var text = File.ReadAllText(path);
            Assert.StartsWith("TOPIC", text, StringComparison.Ordinal);
            Assert.Contains(topic, text, StringComparison.Ordinal);
            Assert.Contains("SHORT DESCRIPTION", text, StringComparison.Ordinal);
        }
    }

    private XElement Command1(string name) =>
        _help.Root!.Elements(Command + "command").SingleOrDefault(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name)
        ?? throw new Xunit.Sdk.XunitException(name + " has no help in InvoiceTools.dll-Help.xml");

    private static string Text(XElement? description) =>
        description is null ? string.Empty : string.Join(" ", description.Elements(Maml + "para").Select(p => p.Value.Trim())).Trim();

    // The normalized statuses in declaration order, mirrored here so that a change to the enum is a deliberate help change.
    private enum InvoiceStatusNames
    {
        Unknown,
        Draft,
        Open,
        Overdue,
        Paid,
        PartiallyRefunded,
        Refunded,
        Void,
        Uncollectible,
        Failed,
        Expired,
    }
}
