using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using InvoiceTools.Packager;

namespace InvoiceTools.ModuleTests;

/// <summary>The Azure Automation zip of the built module folder (what ./build.ps1 Package writes).</summary>
public sealed class PackageLayoutTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("invoicetools-package-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void The_zip_holds_the_module_folder_with_the_manifest_at_its_top_and_fits_Azure_Automation()
    {
        var zipPath = Path.Combine(_work, "InvoiceTools.zip");

        var written = ModulePackage.Create(ModuleLayout.ModuleDir, zipPath);

        using var zip = ZipFile.OpenRead(zipPath);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(written, entries);
        Assert.All(entries, e => Assert.StartsWith("InvoiceTools/", e, StringComparison.Ordinal));
        Assert.All(entries, e => Assert.DoesNotContain('\\', e));
        Assert.All(entries, e => Assert.True(e.Length <= 140, e + " is " + e.Length + " characters"));
        Assert.Contains("InvoiceTools/InvoiceTools.psd1", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("InvoiceTools/0.", StringComparison.Ordinal) || e.Split('/').Length > 1 && Version.TryParse(e.Split('/')[1], out _));
        Assert.DoesNotContain(entries, e => e.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
        Assert.True(new FileInfo(zipPath).Length <= 100L * 1024 * 1024);

        // Every file the folder imports from is in the zip, byte for byte.
        var expected = Directory.GetFiles(ModuleLayout.ModuleDir, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase))
            .Select(f => "InvoiceTools/" + Path.GetRelativePath(ModuleLayout.ModuleDir, f).Replace('\\', '/'))
            .OrderBy(e => e, StringComparer.Ordinal);
        Assert.Equal(expected, entries);
        AssertEx.ContainsAll(new[] { "InvoiceTools/InvoiceTools.dll", "InvoiceTools/dependencies/InvoiceTools.Core.dll", "InvoiceTools/dependencies/InvoiceTools.Isolation.dll", "InvoiceTools/dependencies/Polly.Core.dll", "InvoiceTools/en-US/InvoiceTools.dll-Help.xml", "InvoiceTools/InvoiceTools.format.ps1xml" }, entries);
        using var manifest = new StreamReader(zip.GetEntry("InvoiceTools/InvoiceTools.psd1")!.Open());
        Assert.Equal(File.ReadAllText(ModuleLayout.ManifestPath), manifest.ReadToEnd());
    }

    [Fact]
    public void A_path_over_140_characters_stops_the_package_and_names_the_file()
    {
        var module = Directory.CreateDirectory(Path.Combine(_work, "InvoiceTools"));
        File.WriteAllText(Path.Combine(module.FullName, "InvoiceTools.psd1"), "@{}");
        var deep = Directory.CreateDirectory(Path.Combine(module.FullName, "dependencies", new string('d', 60)));
        var longName = new string('x', 70) + ".dll";
        File.WriteAllText(Path.Combine(deep.FullName, longName), "x");
        var zipPath = Path.Combine(_work, "out.zip");

        var ex = Assert.Throws<InvalidOperationException>(() => ModulePackage.Create(module.FullName, zipPath));

        Assert.Contains("140 characters", ex.Message, StringComparison.Ordinal);
        Assert.Contains(longName, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(zipPath));
    }

    [Fact]
    public void A_folder_not_named_after_the_module_or_without_its_manifest_is_refused()
    {
        var wrongName = Directory.CreateDirectory(Path.Combine(_work, "InvoiceTools-0.1.0"));
        File.WriteAllText(Path.Combine(wrongName.FullName, "InvoiceTools.psd1"), "@{}");
        Assert.Contains("named InvoiceTools", Assert.Throws<InvalidOperationException>(() => ModulePackage.Create(wrongName.FullName, Path.Combine(_work, "a.zip"))).Message, StringComparison.Ordinal);

        var noManifest = Directory.CreateDirectory(Path.Combine(_work, "elsewhere", "InvoiceTools"));
        Assert.Contains("no InvoiceTools.psd1", Assert.Throws<InvalidOperationException>(() => ModulePackage.Create(noManifest.FullName, Path.Combine(_work, "b.zip"))).Message, StringComparison.Ordinal);
    }
}
