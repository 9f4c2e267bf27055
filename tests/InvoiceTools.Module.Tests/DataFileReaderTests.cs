using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

namespace InvoiceTools.ModuleTests;

/// <summary>
/// A provider definition written as a .psd1, read by the built module's DataFileReader with the real PowerShell
/// parser (the System.Management.Automation of the pinned pwsh tool, loaded into a context of its own with the
/// module): the tree, its lines and key paths, and every construct that is not a literal refused, unrun.
/// </summary>
public sealed class DataFileReaderTests : IDisposable
{
    private const string OnlyLiterals = "only literals, hashtables and arrays are allowed in a definition: found ";

    private readonly string _folder = Directory.CreateTempSubdirectory("invoicetools-psd1-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text, string name = "acme.psd1")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return path;
    }

    private List<string> Read(string text) => ModuleReader.Flatten(ModuleReader.Read(Write(text)));

    private IReadOnlyList<ModuleReader.Problem> Problems(string text, string name = "acme.psd1")
    {
        var failure = ModuleReader.Fails(Write(text, name));
        Assert.Equal(name, failure.File);
        Assert.DoesNotContain(_folder, failure.Message, StringComparison.Ordinal);
        return failure.Problems;
    }

    [Fact]
    public void A_data_file_reads_into_the_tree_with_the_line_and_path_of_every_value()
    {
        var tree = Read("""
            # Acme's invoice API
            @{
                Name        = 'Acme'
                DisplayName = "Acme Billing"
                'Odd Key'   = 'x'
                Headers     = @{ 'Acme-Version' = '2024-01'; "X-Other" = 'it''s' }
                Paging      = @{
                    Type        = 'Page'
                    MaxPageSize = 100
                    Rate        = -12.75
                    Negative    = -5
                    Hex         = 0x10
                    Size        = 1kb
                    Big         = 12345678901234567890
                }
                Statuses    = @(
                    @{ Word = 'paid'; Status = 'Paid' }
                    @{
                        Word = 'open'
                    }
                )
                Pair        = 'a', 'b'
                Single      = @('only')
                Flattened   = @(@(1, 2); 3)
                Matrix      = @(1, 2), @(3)
                Empty       = @()
                EmptyMap    = @{}
                On          = $true
                Off         = $False
                Nothing     = $null
                Here        = @'
            line one
            '@
                Plain       = "tab`there"
            }
            """);

        Assert.Equal(new[]
        {
            "|Map|2|Name,DisplayName,Odd Key,Headers,Paging,Statuses,Pair,Single,Flattened,Matrix,Empty,EmptyMap,On,Off,Nothing,Here,Plain",
            "Name|Text|3|Acme",
            "DisplayName|Text|4|Acme Billing",
            "['Odd Key']|Text|5|x",
            "Headers|Map|6|Acme-Version,X-Other",
            "Headers['Acme-Version']|Text|6|2024-01",
            "Headers['X-Other']|Text|6|it's",
            "Paging|Map|7|Type,MaxPageSize,Rate,Negative,Hex,Size,Big",
            "Paging.Type|Text|8|Page",
            "Paging.MaxPageSize|Number|9|100",
            "Paging.Rate|Number|10|-12.75",
            "Paging.Negative|Number|11|-5",
            "Paging.Hex|Number|12|16",
            "Paging.Size|Number|13|1024",
            "Paging.Big|Number|14|12345678901234567890",
            "Statuses|List|16|2",
            "Statuses[0]|Map|17|Word,Status",
            "Statuses[0].Word|Text|17|paid",
            "Statuses[0].Status|Text|17|Paid",
            "Statuses[1]|Map|18|Word",
            "Statuses[1].Word|Text|19|open",
            "Pair|List|22|2",
            "Pair[0]|Text|22|a",
            "Pair[1]|Text|22|b",
            "Single|List|23|1",
            "Single[0]|Text|23|only",
            "Flattened|List|24|3",
            "Flattened[0]|Number|24|1",
            "Flattened[1]|Number|24|2",
            "Flattened[2]|Number|24|3",
            "Matrix|List|25|2",
            "Matrix[0]|List|25|2",
            "Matrix[0][0]|Number|25|1",
            "Matrix[0][1]|Number|25|2",
            "Matrix[1]|List|25|1",
            "Matrix[1][0]|Number|25|3",
            "Empty|List|26|0",
            "EmptyMap|Map|27|",
            "On|Boolean|28|true",
            "Off|Boolean|29|false",
            "Nothing|Null|30|",
            "Here|Text|31|line one",
            "Plain|Text|34|tab\there",
        }, tree);
    }

    [Fact]
    public void A_byte_order_mark_and_CRLF_line_ends_read_the_same()
    {
        var path = Path.Combine(_folder, "bom.psd1");
        File.WriteAllText(path, "@{\r\n  Name = 'Acme'\r\n  List = @{ Items = 'data' }\r\n}\r\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal(new[] { "|Map|1|Name,List", "Name|Text|2|Acme", "List|Map|3|Items", "List.Items|Text|3|data" }, ModuleReader.Flatten(ModuleReader.Read(path)));
    }

    [Theory]
    [InlineData("$env:HOME", "the variable $env:HOME")]
    [InlineData("$x", "the variable $x")]
    [InlineData("$global:true", "the variable $global:true")]
    [InlineData("(Get-Date)", "an expression in parentheses: (Get-Date)")]
    [InlineData("('text')", "an expression in parentheses: ('text')")]
    [InlineData("\"$x\"", "a string that expands variables or subexpressions: \"$x\" (write it in single quotes)")]
    [InlineData("\"$(1+1)\"", "a string that expands variables or subexpressions: \"$(1+1)\" (write it in single quotes)")]
    [InlineData("[int]'5'", "a cast: [int]'5'")]
    [InlineData("[int]", "a type: [int]")]
    [InlineData("{ }", "a script block: { }")]
    [InlineData("$(1)", "a subexpression: $(1)")]
    [InlineData("Get-Process", "a command: Get-Process")]
    [InlineData("Invoke-Expression 'x'", "a command: Invoke-Expression 'x'")]
    [InlineData("Bearer", "the command Bearer (a string is quoted: 'Bearer')")]
    [InlineData("'a'.ToUpper()", "a method call: 'a'.ToUpper()")]
    [InlineData("'a'.Length", "a property: 'a'.Length")]
    [InlineData("'a' + 'b'", "an operator: 'a' + 'b'")]
    [InlineData("-'5'", "an operator: -'5'")]
    [InlineData("'a' | Write-Output", "a pipeline: 'a' | Write-Output")]
    [InlineData("@('a', $x)", "the variable $x")]
    [InlineData("@{ Inner = $x }", "the variable $x")]
    public void A_value_that_is_not_a_literal_is_a_problem_at_its_line_and_key(string value, string found)
    {
        var problem = Assert.Single(Problems($"@{{\n    Name = 'Acme'\n    Paging = @{{\n        Value = {value}\n    }}\n}}\n"));

        Assert.Equal(4, problem.Line);
        Assert.StartsWith("Paging.Value", problem.Key, StringComparison.Ordinal);
        Assert.Equal(OnlyLiterals + found, problem.Message);
    }

    [Fact]
    public void A_forbidden_value_deep_in_arrays_names_its_item()
    {
        var problems = Problems("@{\n  Statuses = @(\n    @{ Word = 'paid' }\n    @{ Word = $env:PAID }\n  )\n}\n");

        Assert.Equal(new[] { "acme.psd1:4: Statuses[1].Word: " + OnlyLiterals + "the variable $env:PAID" }, problems.Select(p => p.Text));
    }

    [Fact]
    public void Keys_that_are_not_names_or_strings_are_problems()
    {
        var problems = Problems("@{\n  1 = 'one'\n  $key = 'two'\n  Headers = @{ (Get-Date) = 'three' }\n}\n");

        Assert.Equal(new[]
        {
            "acme.psd1:2: a key is a name or a string: found the number 1",
            "acme.psd1:3: " + OnlyLiterals + "the variable $key",
            "acme.psd1:4: Headers: " + OnlyLiterals + "an expression in parentheses: (Get-Date)",
        }, problems.Select(p => p.Text));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var problems = Problems("@{\n  Name = $env:USER\n  BaseUri = 'https://acme.example'\n  List = @{ Path = (Get-Date); Items = 'data' }\n}\n");

        Assert.Equal(new[]
        {
            "acme.psd1:2: Name: " + OnlyLiterals + "the variable $env:USER",
            "acme.psd1:4: List.Path: " + OnlyLiterals + "an expression in parentheses: (Get-Date)",
        }, problems.Select(p => p.Text));
    }

    [Theory]
    [InlineData("123n", "123")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("+7", "7")]
    [InlineData("1.5e3", "1500")]
    [InlineData("0xFF", "255")]
    [InlineData("2mb", "2097152")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void Every_form_of_number_is_a_decimal(string literal, string value)
    {
        Assert.Equal($"Size|Number|2|{value}", Read($"@{{\n  Size = {literal}\n}}\n")[1]);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1234567890123456789012345678901234567890n")]
    public void A_number_beyond_decimal_is_a_problem(string literal)
    {
        var problem = Assert.Single(Problems($"@{{\n  Size = {literal}\n}}\n"));

        Assert.Equal("acme.psd1:2: Size: the number " + literal + " is too large: a definition's numbers have at most 28 digits", problem.Text);
    }

    [Fact]
    public void A_key_twice_without_case_is_a_problem_at_its_line()
    {
        var problem = Assert.Single(Problems("@{\n  Name = 'a'\n  Paging = @{ Type = 'Page' }\n  name = 'b'\n}\n"));

        Assert.Equal(4, problem.Line);
        Assert.Equal("the key 'name' appears twice in one hashtable (keys are case-insensitive): keep one", problem.Message);
    }

    [Fact]
    public void A_file_PowerShell_cannot_parse_gives_its_parse_errors_with_their_lines()
    {
        var problems = Problems("@{\n  Name = 'Acme'\n  List = @{ Path = '/v1' \n");

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.StartsWith("PowerShell cannot parse the file: ", p.Message, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.NotNull(p.Line));
        Assert.Contains(problems, p => p.Message.Contains('}', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", null, "a definition is one hashtable @{ ... }: the file has none")]
    [InlineData("# only a comment\n", null, "a definition is one hashtable @{ ... }: the file has none")]
    [InlineData("'Acme'\n", 1, "a definition is one hashtable @{ ... } and nothing else: found 'Acme'")]
    [InlineData("@{ Name = 'a' }\n@{ Name = 'b' }\n", 2, "a definition is one hashtable @{ ... }: found a second one")]
    [InlineData("@{ Name = 'a' }\n42\n", 2, "a definition is one hashtable @{ ... } and nothing else: found 42")]
    [InlineData("Invoke-Expression 'x'\n@{ Name = 'a' }\n", 1, OnlyLiterals + "a command: Invoke-Expression 'x'")]
    [InlineData("param($x)\n@{ Name = 'a' }\n", 1, OnlyLiterals + "a param block: param($x)")]
    [InlineData("@{ Name = 'a' }\n$x = 1\n", 2, OnlyLiterals + "an assignment: $x = 1")]
    [InlineData("using namespace System.IO\n@{ Name = 'a' }\n", 1, OnlyLiterals + "a using statement: using namespace System.IO")]
    [InlineData("# a comment\nusing assembly System.Xml\n@{ Name = 'a' }\n", 2, OnlyLiterals + "a using statement: using assembly System.Xml")]
    [InlineData("@{ Name = 'a' }; Using Module ./x.psm1\n", 1, OnlyLiterals + "a using statement: Using Module ./x.psm1")]
    [InlineData("@{\n  Name = 'a'\n  Here = @'\n  using module x\n'@\n}\n", 4, OnlyLiterals + "a using statement: using module x")]
    public void The_file_is_one_hashtable_and_nothing_else(string text, int? line, string message)
    {
        var problem = Assert.Single(Problems(text));

        Assert.Equal(line, problem.Line);
        Assert.Equal("", problem.Key);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Nothing_in_a_definition_runs()
    {
        var marker = Path.Combine(_folder, "ran");
        string Make(int i) => $"New-Item -ItemType File -Path '{marker}{i}'";
        var problems = Problems(
            $"{Make(0)}\n@{{\n  A = ({Make(1)})\n  B = \"$({Make(2)})\"\n  C = {{ {Make(3)} }}\n  D = $({Make(4)})\n  E = {Make(5)}\n  F = @({Make(6)})\n}}\nInvoke-Expression \"{Make(7)}\"\n");

        Assert.Equal(new int?[] { 1, 3, 4, 5, 6, 7, 8, 10 }, problems.Select(p => p.Line));
        Assert.All(problems, p => Assert.StartsWith(OnlyLiterals, p.Message, StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_folder, "ran*"));
    }

    [Theory]
    [InlineData("using module '{0}'")]
    [InlineData("using assembly '{1}'")]
    [InlineData("# a comment\n  USING MODULE {0}")]
    public void A_using_statement_is_refused_before_PowerShell_parses_it(string statement)
    {
        var marker = Path.Combine(_folder, "ran");
        var module = Path.Combine(_folder, "evil.psm1");
        File.WriteAllText(module, $"New-Item -ItemType File -Path '{marker}'\nclass Evil {{ }}\n");
        var assembly = Path.Combine(_folder, "evil.dll");
        File.WriteAllText(assembly, "not an assembly");
        // Relative to the definition, as PowerShell resolves them (and so that no folder is in the message).
        var text = string.Format(CultureInfo.InvariantCulture, statement, "./evil.psm1", "./evil.dll");

        var problem = Assert.Single(Problems(text + "\n@{ Name = 'a' }\n"));

        Assert.Equal(text.Count(c => c == '\n') + 1, problem.Line);
        Assert.Equal(OnlyLiterals + "a using statement: " + text.Split('\n')[^1].Trim(), problem.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void A_file_that_does_not_exist_is_one_problem_naming_the_file_only()
    {
        var failure = ModuleReader.Fails(Path.Combine(_folder, "missing.psd1"));

        Assert.Equal("missing.psd1", failure.File);
        var problem = Assert.Single(failure.Problems);
        Assert.Equal("missing.psd1: the file does not exist", problem.Text);
        Assert.DoesNotContain(_folder, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_not_a_readable_file()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "acme.psd1")).FullName;

        var problem = Assert.Single(ModuleReader.Fails(folder).Problems);

        Assert.StartsWith("the file cannot be read (", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The built module's DataFileReader, loaded with the PowerShell of the pinned pwsh tool (the module compiles
    /// against reference assemblies only), and the tree and problems it returns, read by reflection.
    /// </summary>
    private static class ModuleReader
    {
        private static readonly Lazy<MethodInfo> ReadMethod = new(Load);

        public sealed record Problem(int? Line, string Key, string Message, string Text);

        public sealed record Failure(string File, string Message, IReadOnlyList<Problem> Problems);

        public static object Read(string path)
        {
            try
            {
                return ReadMethod.Value.Invoke(null, new object[] { path })!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }

        public static Failure Fails(string path)
        {
            var e = Assert.ThrowsAny<Exception>(() => Read(path));
            Assert.True(e.GetType().FullName == "InvoiceTools.Providers.Defined.InvoiceDefinitionException", e.ToString());
            var problems = ((IEnumerable)Get(e, "Problems")!).Cast<object>()
                .Select(p => new Problem((int?)Get(p, "Line"), (string)Get(p, "Key")!, (string)Get(p, "Message")!, p.ToString()!))
                .ToList();
            return new Failure((string)Get(e, "File")!, e.Message, problems);
        }

        /// <summary>Every node, depth first, as "path|kind|line|value" (a map's value is its keys, a list's its count).</summary>
        public static List<string> Flatten(object root)
        {
            var lines = new List<string>();
            void Walk(object node)
            {
                var kind = Get(node, "Kind")!.ToString();
                var entries = ((IEnumerable)Get(node, "Entries")!).Cast<object>().Select(e => (Key: (string)Get(e, "Key")!, Value: Get(e, "Value")!)).ToList();
                var items = ((IEnumerable)Get(node, "Items")!).Cast<object>().ToList();
                var value = kind switch
                {
                    "Text" => (string)Get(node, "Text")!,
                    "Number" => ((decimal?)Get(node, "Number"))?.ToString(CultureInfo.InvariantCulture),
                    "Boolean" => (bool)Get(node, "Boolean")! ? "true" : "false",
                    "Map" => string.Join(",", entries.Select(e => e.Key)),
                    "List" => items.Count.ToString(CultureInfo.InvariantCulture),
                    _ => "",
                };
                lines.Add($"{Get(node, "Path")}|{kind}|{Get(node, "Line")}|{value}");
                foreach (var child in entries.Select(e => e.Value).Concat(items))
                {
                    Walk(child);
                }
            }

            Walk(root);
            return lines;
        }

        private static object? Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target);

        private static MethodInfo Load()
        {
            var context = new ModuleContext(PwshFolder());
            var module = context.LoadFromAssemblyPath(ModuleLayout.CmdletAssemblyPath);
            return module.GetType("InvoiceTools.Commands.Infrastructure.DataFileReader", throwOnError: true)!
                .GetMethod("Read", BindingFlags.Public | BindingFlags.Static)!;
        }

        /// <summary>The folder of the pinned pwsh tool's assemblies, in the NuGet package folder the tests restore into.</summary>
        private static string PwshFolder()
        {
            using var tools = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModuleLayout.RepoRoot, ".config", "dotnet-tools.json")));
            var version = tools.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
            var packages = Path.GetFullPath(Path.Combine(ModuleLayout.PesterModuleDir, "..", "..", ".."));
            var package = Path.Combine(packages, "powershell", version, "tools");
            var folder = Directory.Exists(package)
                ? Directory.GetDirectories(package, OperatingSystem.IsWindows() ? "win" : "unix", SearchOption.AllDirectories).FirstOrDefault()
                : null;
            return folder is not null && File.Exists(Path.Combine(folder, "System.Management.Automation.dll"))
                ? folder
                : throw new InvalidOperationException($"The pinned pwsh {version} is not restored in {packages}: run 'dotnet tool restore' in {ModuleLayout.RepoRoot}.");
        }

        /// <summary>The module and Core from the built module folder; PowerShell and its dependencies from pwsh; the rest from this runtime.</summary>
        private sealed class ModuleContext : AssemblyLoadContext
        {
            private readonly string _pwsh;

            public ModuleContext(string pwsh)
                : base("DataFileReaderTests")
            {
                _pwsh = pwsh;
            }

            protected override Assembly? Load(AssemblyName name)
            {
                if (name.Name!.StartsWith("InvoiceTools", StringComparison.Ordinal))
                {
                    var shipped = Path.Combine(ModuleLayout.DependencyDir, name.Name + ".dll");
                    return File.Exists(shipped) ? LoadFromAssemblyPath(shipped) : null;
                }

                var fromPwsh = Path.Combine(_pwsh, name.Name + ".dll");
                if (File.Exists(fromPwsh))
                {
                    return LoadFromAssemblyPath(fromPwsh);
                }

                // The parser resolves type names against PowerShell's type accelerators, some of which live in
                // platform-specific assemblies (Microsoft.Management.Infrastructure) under runtimes/.
                var platform = OperatingSystem.IsWindows() ? "win" : "unix";
                var specific = Directory.GetFiles(Path.Combine(_pwsh, "runtimes"), name.Name + ".dll", SearchOption.AllDirectories)
                    .FirstOrDefault(p => p.Contains(Path.DirectorySeparatorChar + platform, StringComparison.Ordinal));
                return specific is null ? null : LoadFromAssemblyPath(specific);
            }

            // PowerShell's logging (libpsl-native on Linux and macOS) is under runtimes/<rid>/native.
            protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
            {
                var native = Path.Combine(_pwsh, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native");
                var file = Directory.Exists(native)
                    ? Directory.GetFiles(native).FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) is { } n && (n == unmanagedDllName || n == "lib" + unmanagedDllName))
                    : null;
                return file is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(file);
            }
        }
    }
}
