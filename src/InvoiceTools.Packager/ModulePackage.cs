using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace InvoiceTools.Packager;

/// <summary>
/// The zip Azure Automation imports: one folder named after the module at the top, the manifest directly in it (no
/// version folder), '/' separators, every path at most 140 characters, the whole at most 100 MB.
/// </summary>
internal static class ModulePackage
{
    public const string ModuleName = "InvoiceTools";
    public const int MostPathLength = 140;
    public const long MostBytes = 100L * 1024 * 1024;

    /// <summary>Writes <paramref name="zipPath"/> from <paramref name="moduleDirectory"/>; symbols stay out.</summary>
    /// <returns>The entry names written.</returns>
    /// <exception cref="InvalidOperationException">The folder or the zip breaks one of Azure Automation's rules.</exception>
    public static IReadOnlyList<string> Create(string moduleDirectory, string zipPath)
    {
        var root = new DirectoryInfo(moduleDirectory);
        if (!root.Exists)
        {
            throw new InvalidOperationException("There is no module folder at " + moduleDirectory + ". Build it first: ./build.ps1 (or dotnet build).");
        }

        if (!string.Equals(root.Name, ModuleName, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Azure Automation needs the folder to be named " + ModuleName + ", not " + root.Name + ".");
        }

        if (!File.Exists(Path.Combine(root.FullName, ModuleName + ".psd1")))
        {
            throw new InvalidOperationException("The module folder has no " + ModuleName + ".psd1 at its top; Azure Automation would not find the module.");
        }

        var files = root.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => !f.Extension.Equals(".pdb", StringComparison.OrdinalIgnoreCase))
            .Select(f => (File: f, Entry: ModuleName + "/" + Path.GetRelativePath(root.FullName, f.FullName).Replace('\\', '/')))
            .OrderBy(f => f.Entry, StringComparer.Ordinal)
            .ToList();
        var tooLong = files.Where(f => f.Entry.Length > MostPathLength).Select(f => f.Entry + " (" + f.Entry.Length + ")").ToList();
        if (tooLong.Count > 0)
        {
            throw new InvalidOperationException("Azure Automation rejects paths over " + MostPathLength + " characters: " + string.Join(", ", tooLong));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(zipPath))!);
        File.Delete(zipPath);
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            foreach (var (file, entry) in files)
            {
                zip.CreateEntryFromFile(file.FullName, entry, CompressionLevel.Optimal);
            }
        }

        var size = new FileInfo(zipPath).Length;
        if (size > MostBytes)
        {
            File.Delete(zipPath);
            throw new InvalidOperationException("The package is " + size + " bytes; Azure Automation accepts at most " + MostBytes + ".");
        }

        return files.Select(f => f.Entry).ToList();
    }
}
