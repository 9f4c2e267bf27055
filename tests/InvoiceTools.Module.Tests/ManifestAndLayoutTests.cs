using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace InvoiceTools.ModuleTests;

public sealed class ManifestAndLayoutTests
{
    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_the_assembly_defines()
    {
        using var metadata = new CmdletMetadata();
        var exported = ModuleLayout.ManifestList("CmdletsToExport");
        Assert.DoesNotContain(exported, name => name.Contains('*', StringComparison.Ordinal));
        Assert.Equal(metadata.CmdletTypes.Select(CmdletMetadata.CmdletName).OrderBy(n => n, StringComparer.Ordinal), exported.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Empty(ModuleLayout.ManifestList("FunctionsToExport"));
        Assert.Empty(ModuleLayout.ManifestList("AliasesToExport"));
    }

    [Fact]
    public void Manifest_declares_both_editions_and_the_oldest_supported_hosts()
    {
        Assert.Equal(new[] { "Desktop", "Core" }, ModuleLayout.ManifestList("CompatiblePSEditions"));
        Assert.Equal("5.1", ModuleLayout.ManifestValue("PowerShellVersion"));
        Assert.Equal("4.7.2", ModuleLayout.ManifestValue("DotNetFrameworkVersion"));
        Assert.Equal("InvoiceTools.dll", ModuleLayout.ManifestValue("RootModule"));
        Assert.True(ModuleLayout.ManifestValue("Description")!.Length > 60);
        Assert.Contains("Invoice", ModuleLayout.ManifestList("Tags"));
        // The manifest is copied as it is by every build (dotnet publish included), so it holds no placeholder, and
        // every link it has points into the repository whose help pages the cmdlets' HelpUri names.
        Assert.DoesNotContain("__", ModuleLayout.ManifestText, StringComparison.Ordinal);
        Assert.Equal("https://github.com/invoicetools/InvoiceTools", ModuleLayout.ManifestValue("ProjectUri"));
        Assert.Null(ModuleLayout.ManifestValue("LicenseUri"));
    }

    [Fact]
    public void Module_folder_holds_manifest_dlls_formats_and_dependencies()
    {
        Assert.True(File.Exists(ModuleLayout.ManifestPath));
        Assert.True(File.Exists(ModuleLayout.CmdletAssemblyPath));
        foreach (var format in ModuleLayout.ManifestList("FormatsToProcess"))
        {
            Assert.True(File.Exists(Path.Combine(ModuleLayout.ModuleDir, format)), format + " is listed but missing");
        }

        Assert.Equal(new[] { "InvoiceTools.dll" }, Directory.GetFiles(ModuleLayout.ModuleDir, "*.dll").Select(Path.GetFileName));
        var dependencies = Directory.GetFiles(ModuleLayout.DependencyDir, "*.dll").Select(Path.GetFileName).ToList();
        AssertEx.ContainsAll(new[] { "InvoiceTools.Core.dll", "InvoiceTools.Sandbox.dll", "System.Text.Json.dll", "Polly.Core.dll", "Microsoft.Bcl.AsyncInterfaces.dll", "System.Memory.dll", "InvoiceTools.Isolation.dll" }, dependencies);
        Assert.Empty(Directory.GetFiles(ModuleLayout.ModuleDir, "System.Management.Automation.dll", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(ModuleLayout.ModuleDir, "en-US", "about_InvoiceTools.help.txt")));
    }

    [Fact]
    public void Format_views_are_valid_and_select_real_types()
    {
        using var metadata = new CmdletMetadata();
        var document = XDocument.Load(Path.Combine(ModuleLayout.ModuleDir, "InvoiceTools.format.ps1xml"));
        var selected = document.Descendants("TypeName").Select(e => e.Value).Distinct().ToList();
        Assert.Contains("InvoiceTools.Invoice", selected);
        // A view for one provider's invoices selects InvoiceTools.Invoice#<Provider>, the type name Get-Invoice adds.
        var providers = metadata.Core.GetType("InvoiceTools.InvoiceProviderKind", throwOnError: true)!.GetEnumNames();
        Assert.All(selected, name => Assert.True(
            metadata.Core.GetType(name) is not null || (name.Split('#') is [var type, var provider] && metadata.Core.GetType(type) is not null && providers.Contains(provider)),
            name + " is neither a type of the module nor one of its types for a provider"));
        var invoiceTable = document.Descendants("View").First(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "InvoiceTools.Invoice" && v.Element("TableControl") is not null);
        var labels = invoiceTable.Descendants("Label").Select(l => l.Value).ToList();
        Assert.Equal(new[] { "Connection", "Invoice", "Status", "Customer", "Total", "Due" }, labels);
    }
}
