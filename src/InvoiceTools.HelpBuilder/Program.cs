using System;
using System.Collections.Generic;
using System.IO;

namespace InvoiceTools.HelpBuilder;

/// <summary>
/// Usage: InvoiceTools.HelpBuilder --assembly InvoiceTools.dll --xmldoc InvoiceTools.xml --reference S.M.A.dll
///        --markdown docs/help --out en-US/InvoiceTools.dll-Help.xml
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!options.TryGetValue(args[i], out var values))
            {
                options[args[i]] = values = new List<string>();
            }

            values.Add(args[i + 1]);
        }

        string Single(string name) => options.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : throw new ArgumentException("Give " + name + " once.");
        try
        {
            var cmdlets = CmdletReader.Read(Single("--assembly"), options.GetValueOrDefault("--reference") ?? new List<string>());
            var docs = XmlDocs.ReadSummaries(Single("--xmldoc"));
            var markdownDir = Single("--markdown");
            var pages = new List<(CmdletDescription, HelpText)>();
            foreach (var cmdlet in cmdlets)
            {
                var path = Path.Combine(markdownDir, cmdlet.Name + ".md");
                if (!File.Exists(path))
                {
                    // The help convention test reports what is missing; the build still produces help for the rest.
                    Console.WriteLine("InvoiceTools.HelpBuilder: " + cmdlet.Name + " has no " + path);
                    pages.Add((cmdlet, new HelpText { Name = cmdlet.Name }));
                    continue;
                }

                pages.Add((cmdlet, HelpMarkdown.Parse(path)));
            }

            var output = Single("--out");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            MamlWriter.Write(pages, docs).Save(output);
            Console.WriteLine("InvoiceTools.HelpBuilder: " + pages.Count + " cmdlets -> " + output);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or BadImageFormatException or System.Xml.XmlException)
        {
            Console.Error.WriteLine("InvoiceTools.HelpBuilder: error: " + ex.Message);
            return 1;
        }
    }
}
