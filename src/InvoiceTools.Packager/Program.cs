using System;
using System.IO;
using InvoiceTools.Packager;

if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: InvoiceTools.Packager <module folder> <zip path>");
    return 2;
}

try
{
    var entries = ModulePackage.Create(args[0], args[1]);
    Console.WriteLine("Package: " + Path.GetFullPath(args[1]) + " (" + entries.Count + " files, " + (new FileInfo(args[1]).Length / 1024) + " KB)");
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
