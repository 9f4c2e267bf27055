using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Providers;
using InvoiceTools.Providers.Defined;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Adds an invoice API of your own, described in a definition file, as a provider every cmdlet can use.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "InvoiceProvider", SupportsShouldProcess = true, DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Register-InvoiceProvider.md")]
[OutputType(typeof(ProviderDescriptor))]
public sealed class RegisterInvoiceProviderCommand : InvoiceToolsCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>
    /// Definition files (.psd1 or .json) or folders holding them; wildcards allowed. A folder registers every
    /// definition in it (JSON arrays there, such as rehearsal records, are skipped).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Definition files or folders, taken exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>With a folder, look for definitions in its subfolders too (examples/Stripe/stripe.psd1 under examples).</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Replace a provider of the same name registered from another file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var file in Files())
        {
            Register(file);
        }
    }

    private IEnumerable<string> Files()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var given in (literal ? LiteralPath : Path) ?? Array.Empty<string>())
        {
            List<string> resolved;
            try
            {
                resolved = literal
                    ? new List<string> { SessionState.Path.GetUnresolvedProviderPathFromPSPath(given) }
                    : GetResolvedProviderPathFromPSPath(given, out _).ToList();
            }
            catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"No definition file or folder is at '{given}'.", ex), "InvoiceToolsDefinitionNotFound", ErrorCategory.ObjectNotFound, given));
                continue;
            }

            foreach (var path in resolved)
            {
                if (Directory.Exists(path))
                {
                    var depth = Recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
                    var inside = Directory.GetFiles(path, "*.psd1", depth).Concat(Directory.GetFiles(path, "*.json", depth).Where(IsJsonObject)).OrderBy(f => f, StringComparer.OrdinalIgnoreCase).ToList();
                    WriteVerbose($"{path} holds {inside.Count} .psd1 and .json file(s); each that is a definition is registered.");
                    foreach (var file in inside)
                    {
                        yield return file;
                    }
                }
                else if (File.Exists(path))
                {
                    yield return path;
                }
                else
                {
                    WriteError(new ErrorRecord(new FileNotFoundException($"No definition file or folder is at '{given}'."), "InvoiceToolsDefinitionNotFound", ErrorCategory.ObjectNotFound, given));
                }
            }
        }
    }

    /// <summary>Rehearsal records are checked now as the sandbox will serve them (every record an object with a unique id), not at the first -Sandbox.</summary>
    private static void CheckRecords(ProviderDefinition definition)
    {
        if (definition.SandboxRecordsFile is null)
        {
            return;
        }

        try
        {
            _ = new InvoiceTools.Sandbox.DefinedApi(DefinedSandbox.SpecFor(definition, definition.SandboxRoute));
        }
        catch (ArgumentException ex)
        {
            throw new InvoiceDefinitionException(definition.File, new[] { new DefinitionProblem(definition.File, null, "Sandbox.Records", $"{definition.SandboxRecordsFile} cannot be served: {DefinedSandbox.WithoutParameterName(ex)}") });
        }
    }

    /// <summary>False for a JSON file that starts as an array: rehearsal records beside a definition, not one.</summary>
    private bool IsJsonObject(string path)
    {
        int c;
        try
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            while ((c = reader.Read()) >= 0 && char.IsWhiteSpace((char)c))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // One unreadable file (a broken link) is its own error; the folder's other definitions are registered.
            WriteError(new ErrorRecord(new IOException($"{System.IO.Path.GetFileName(path)} cannot be read: {ex.Message}", ex), "InvoiceToolsDefinitionNotRead", ErrorCategory.ReadError, path));
            return false;
        }

        if (c == '[')
        {
            WriteVerbose($"{System.IO.Path.GetFileName(path)} holds a JSON array (rehearsal records), not a definition: skipped.");
            return false;
        }

        return true;
    }

    private void Register(string path)
    {
        var fileName = System.IO.Path.GetFileName(path);
        ProviderDefinition definition;
        try
        {
            DefinitionNode root;
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                root = DefinitionJson.Read(File.ReadAllBytes(path), fileName);
            }
            else if (path.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase))
            {
                root = DataFileReader.Read(path);
            }
            else
            {
                WriteError(new ErrorRecord(
                    new ArgumentException($"{fileName} is neither a .psd1 nor a .json file; a provider definition is one of those."),
                    "InvoiceToolsDefinitionNotRead",
                    ErrorCategory.InvalidArgument,
                    path));
                return;
            }

            definition = ProviderDefinition.Read(root, fileName, System.IO.Path.GetDirectoryName(path));
            CheckRecords(definition);
        }
        catch (InvoiceDefinitionException ex)
        {
            var record = new ErrorRecord(ex, "InvoiceToolsInvalidDefinition", ErrorCategory.InvalidData, path);
            if (ex.RecommendedAction is { } action)
            {
                record.ErrorDetails = ErrorRecords.Details(ex.Message, action);
            }

            WriteError(record);
            return;
        }
        catch (IOException ex)
        {
            WriteError(new ErrorRecord(new IOException($"{fileName} cannot be read: {ex.Message}", ex), "InvoiceToolsDefinitionNotRead", ErrorCategory.ReadError, path));
            return;
        }

        var existing = ProviderCatalog.Find(definition.Name);
        if (!ShouldProcess($"{definition.DisplayName} ({definition.Name}) from {path}", existing is null ? "Register invoice provider" : "Replace invoice provider"))
        {
            return;
        }

        ProviderDescriptor descriptor;
        try
        {
            descriptor = ProviderCatalog.Register(definition, path, replaceOtherFile: Force);
        }
        catch (InvoiceConfigurationException ex)
        {
            WriteError(new ErrorRecord(ex, ex.ParameterName == "Force" ? "InvoiceToolsDefinitionExists" : "InvoiceToolsDefinitionConflict", ErrorCategory.ResourceExists, path)
            {
                ErrorDetails = ErrorRecords.Details(ex.Message, ex.RecommendedAction ?? string.Empty),
            });
            return;
        }

        WriteVerbose(existing is null
            ? $"Registered {definition.Name} from {fileName}: {definition.Paging} paging, {definition.Fields.Count} invoice field(s) mapped, {definition.Filters.Count} server filter(s){(definition.SandboxRecordsFile is null ? string.Empty : $", a sandbox of the records in {definition.SandboxRecordsFile}")}."
            : $"Replaced {definition.Name} with the definition in {fileName}; connections opened before keep the earlier definition until they are reopened.");
        WriteObject(descriptor);
    }
}
