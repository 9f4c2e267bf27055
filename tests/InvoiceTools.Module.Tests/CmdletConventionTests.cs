using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace InvoiceTools.ModuleTests;

public sealed class CmdletConventionTests : IDisposable
{
    private static readonly string[] DependencyAssemblies = { "System.Text.Json", "Polly.Core", "Polly", "Microsoft.Bcl.AsyncInterfaces", "Microsoft.Bcl.TimeProvider" };
    private readonly CmdletMetadata _metadata = new();

    public void Dispose() => _metadata.Dispose();

    [Fact]
    public void Every_error_category_the_module_uses_exists_in_PowerShell()
    {
        var names = (string)_metadata.Core.GetType("InvoiceTools.ErrorClassification", throwOnError: true)!.GetField("CategoryNames")!.GetRawConstantValue()!;

        AssertEx.ContainsAll(names.Split(','), _metadata.ErrorCategories());
    }

    [Fact]
    public void Every_public_enum_is_backed_by_long_so_ConvertTo_Json_writes_its_name()
    {
        // ConvertTo-Json writes an enum backed by Int64 or UInt64 as its name (JavaScript cannot hold every 64-bit
        // number), on Windows PowerShell 5.1 and PowerShell 7 alike, and any other enum as a number: "Status": 2.
        var enums = _metadata.Core.GetExportedTypes().Concat(_metadata.Sandbox.GetExportedTypes()).Where(t => t.IsEnum).ToList();

        Assert.Contains(enums, t => t.FullName == "InvoiceTools.InvoiceStatus");
        Assert.Contains(enums, t => t.FullName == "InvoiceTools.InvoiceProviderKind");
        Assert.Empty(enums.Where(t => t.GetEnumUnderlyingType().FullName != "System.Int64").Select(t => t.FullName));
    }

    [Fact]
    public void The_assembly_defines_the_ten_cmdlets_and_the_manifest_exports_exactly_them()
    {
        var names = _metadata.CmdletTypes.Select(CmdletMetadata.CmdletName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "Connect-InvoiceProvider", "Disconnect-InvoiceProvider", "Get-Invoice", "Get-InvoiceLineItem", "Get-InvoiceProvider", "Get-InvoiceProviderConnection", "Measure-Invoice", "Register-InvoiceProvider", "Select-InvoiceProviderConnection", "Unregister-InvoiceProvider" }, names);
        Assert.Equal(names, ModuleLayout.ManifestList("CmdletsToExport").OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_connection_setting_is_a_Connect_parameter_and_every_Connect_parameter_a_setting()
    {
        // The keys a settings row may hold (the common ones and those the providers declare), and the cmdlet's
        // parameters: a name added to one list and forgotten in the other fails here.
        var settings = ProviderCatalog.Instance.SettingNames.Append("Credential").OrderBy(n => n, StringComparer.Ordinal);
        var connect = _metadata.CmdletTypes.Single(t => t.Name == "ConnectInvoiceProviderCommand");
        var parameters = CmdletMetadata.Parameters(connect).Select(p => p.Name)
            .Where(n => n is not ("InputObject" or "PassThru" or "Force" or "SkipKeyCheck")).OrderBy(n => n, StringComparer.Ordinal);

        Assert.Equal(settings, parameters);
    }

    [Fact]
    public void Every_setting_a_provider_declares_is_a_Connect_parameter_of_its_type_and_a_settings_row_key()
    {
        var connect = _metadata.CmdletTypes.Single(t => t.Name == "ConnectInvoiceProviderCommand");
        var parameters = CmdletMetadata.Parameters(connect).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var catalog = ProviderCatalog.Instance;
        Assert.All(catalog.Providers.SelectMany(p => p.Settings.Select(s => (Provider: p.Name, Setting: s))), x =>
        {
            var where = $"{x.Provider} declares the setting {x.Setting.Name} (Providers/{x.Provider}/{x.Provider}Settings.cs)";
            Assert.True(parameters.TryGetValue(x.Setting.Name, out var parameter), $"{where}, but Connect-InvoiceProvider has no -{x.Setting.Name} parameter.");
            Assert.True(ProviderCatalog.Compatible(x.Setting.Type, parameter!), $"{where} as {x.Setting.Type.Name}, but -{x.Setting.Name} is {parameter!.PropertyType.Name}.");
            Assert.True(catalog.SettingNames.Contains(x.Setting.Name), $"{where}, but a settings row cannot hold it.");
        });
    }

    [Fact]
    public void Every_filter_is_a_Get_Invoice_parameter_of_a_compatible_type_and_the_reverse()
    {
        var getInvoice = _metadata.CmdletTypes.Single(t => t.Name == "GetInvoiceCommand");
        var parameters = CmdletMetadata.Parameters(getInvoice).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var filters = ProviderCatalog.Instance.Filters;
        Assert.All(filters, filter =>
        {
            Assert.True(parameters.TryGetValue(filter.Name, out var parameter), $"InvoiceQuery has the filter {filter.Name}, but Get-Invoice has no -{filter.Name} parameter.");
            Assert.True(ProviderCatalog.Compatible(filter.Type, parameter!), $"The filter {filter.Name} holds {ProviderCatalog.Element(filter.Type).Name}, but -{filter.Name} binds {parameter!.PropertyType.Name}.");
        });

        // How a run reads, not what it asks for.
        var run = new[] { "Connection", "Checkpoint", "Id", "ThrottleLimit", "PageSize" };
        var unknown = parameters.Keys.Except(run).Except(filters.Select(f => f.Name)).ToList();
        Assert.True(unknown.Count == 0, $"Get-Invoice has {string.Join(", ", unknown.Select(n => "-" + n))}, which InvoiceQuery does not hold as a filter (add the property, with [QueryFilter] when only some providers apply it).");
    }

    [Fact]
    public void Every_provider_in_the_catalog_is_a_provider_kind_and_has_help()
    {
        var catalog = ProviderCatalog.Instance;
        Assert.Equal(catalog.Kinds, catalog.Providers.Select(p => p.Name));

        var about = File.ReadAllText(Path.Combine(ModuleLayout.RepoRoot, "src", "InvoiceTools", "en-US", "about_InvoiceTools_Providers.help.txt"));
        var readme = File.ReadAllText(Path.Combine(ModuleLayout.RepoRoot, "README.md"));
        foreach (var provider in catalog.Providers)
        {
            Assert.True(readme.Contains(provider.DisplayName, StringComparison.Ordinal), $"README.md does not mention {provider.DisplayName}.");
            var heading = $"(-Provider {provider.Name})";
            var start = about.IndexOf(heading, StringComparison.Ordinal);
            Assert.True(start >= 0, $"about_InvoiceTools_Providers has no section headed {provider.DisplayName.ToUpperInvariant()} {heading}.");
            var end = about.IndexOf("\n\n", start, StringComparison.Ordinal);
            var section = about[start..(end < 0 ? about.Length : end)];
            foreach (var name in provider.Settings.Select(s => s.Name).Concat(provider.ProviderFilters))
            {
                Assert.True(section.Contains("-" + name, StringComparison.Ordinal), $"about_InvoiceTools_Providers' {provider.Name} section does not name -{name}.");
            }
        }
    }

    [Fact]
    public void Every_filter_of_a_query_is_a_Get_Invoice_parameter_and_the_reverse()
    {
        var query = _metadata.Core.GetType("InvoiceTools.Requests.InvoiceQuery", throwOnError: true)!;
        var plural = new Dictionary<string, string>(StringComparer.Ordinal) { ["Statuses"] = "Status", ["ClientTypes"] = "ClientType", ["PaymentChannels"] = "PaymentChannel" };
        var filters = query.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => plural.TryGetValue(p.Name, out var name) ? name : p.Name)
            .Where(n => n is not ("Skip" or "First")).OrderBy(n => n, StringComparer.Ordinal);
        var getInvoice = _metadata.CmdletTypes.Single(t => t.Name == "GetInvoiceCommand");
        var parameters = CmdletMetadata.Parameters(getInvoice).Select(p => p.Name)
            .Where(n => n is not ("Connection" or "Checkpoint" or "Id" or "ThrottleLimit")).OrderBy(n => n, StringComparer.Ordinal); // how a run reads, not what it asks for

        Assert.Equal(filters, parameters);
    }

    [Fact]
    public void Providers_pagers_and_plans_are_internal_to_the_engine()
    {
        var exported = _metadata.Core.GetExportedTypes().Select(t => t.FullName!).ToList();
        var workings = exported.Where(n =>
            // A definition file's schema is public: the module reads a .psd1 into it, and Get-InvoiceProvider shows it.
            (n.StartsWith("InvoiceTools.Providers.", StringComparison.Ordinal) && n is not "InvoiceTools.Providers.ProviderDescriptor" and not "InvoiceTools.Providers.ProviderCatalog"
                && !(n.StartsWith("InvoiceTools.Providers.Defined.", StringComparison.Ordinal) && !n.EndsWith("Provider", StringComparison.Ordinal))) ||
            n.StartsWith("InvoiceTools.Paging.", StringComparison.Ordinal) ||
            n.EndsWith("Paging", StringComparison.Ordinal) || n is "InvoiceTools.Paging.PagingStrategy" or "InvoiceTools.Paging.PageState" or "InvoiceTools.Engine.SyncBridge" or "InvoiceTools.Requests.QueryPlan").ToList();
        Assert.True(workings.Count == 0, "Public, but the engine's own: " + string.Join(", ", workings));
    }

    [Fact]
    public void Every_cmdlet_links_Get_Help_Online_to_its_page_in_the_repository()
    {
        foreach (var type in _metadata.CmdletTypes)
        {
            var name = CmdletMetadata.CmdletName(type);
            var uri = CmdletMetadata.NamedArgument<string>(CmdletMetadata.CmdletAttribute(type)!, "HelpUri");
            Assert.Equal(ModuleLayout.ManifestValue("ProjectUri") + "/blob/main/docs/help/" + name + ".md", uri);
            Assert.True(File.Exists(Path.Combine(ModuleLayout.RepoRoot, "docs", "help", name + ".md")), name + " has no help page for -Online");
        }
    }

    [Fact]
    public void Line_items_and_measure_take_invoices_from_the_pipeline()
    {
        foreach (var name in new[] { "GetInvoiceLineItemCommand", "MeasureInvoiceCommand" })
        {
            var type = _metadata.CmdletTypes.Single(t => t.Name == name);
            var input = type.GetProperty("InputObject")!;
            // PSObject, so that deserialized invoices (Import-Clixml, Start-Job) and other objects reach the cmdlet,
            // which reads them itself instead of letting the binder make up missing values.
            Assert.Equal("System.Management.Automation.PSObject[]", input.PropertyType.FullName);
            var parameter = input.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ParameterAttribute");
            Assert.True(CmdletMetadata.NamedArgument<bool>(parameter, "ValueFromPipeline"), name);
        }
    }

    [Fact]
    public void Connect_takes_settings_from_the_pipeline_through_one_InputObject_parameter()
    {
        var connect = _metadata.CmdletTypes.Single(t => t.Name == "ConnectInvoiceProviderCommand");
        var pipelineParameters = CmdletMetadata.Parameters(connect)
            .Where(p => p.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute")
                .Any(a => CmdletMetadata.NamedArgument<bool>(a, "ValueFromPipeline") || CmdletMetadata.NamedArgument<bool>(a, "ValueFromPipelineByPropertyName")))
            .Select(p => p.Name)
            .ToList();

        // Binding by property name would fail on a CSV's empty cells and cannot read hashtables; one parameter reads both.
        Assert.Equal(new[] { "InputObject" }, pipelineParameters);
        Assert.Equal("System.Management.Automation.PSObject", connect.GetProperty("InputObject")!.PropertyType.FullName);
    }

    [Fact]
    public void Every_date_parameter_reads_strings_the_same_in_every_culture()
    {
        // Issue 19: PowerShell binds a string to a DateTime with the session's culture and calendar (th-TH: 2025 is 1482).
        var dates = _metadata.CmdletTypes
            .SelectMany(c => CmdletMetadata.Parameters(c).Select(p => (Cmdlet: c.Name, Parameter: p)))
            .Where(x => x.Parameter.PropertyType.FullName is "System.DateTime" || x.Parameter.PropertyType.FullName!.StartsWith("System.Nullable`1[[System.DateTime,", StringComparison.Ordinal))
            .ToList();

        Assert.True(dates.Count >= 8, $"only {dates.Count} date parameters found");
        Assert.All(dates, x => Assert.True(
            x.Parameter.GetCustomAttributesData().Any(a => a.AttributeType.Name == "DateTimeInputAttribute"),
            $"{x.Cmdlet} -{x.Parameter.Name} has no [DateTimeInput]"));
    }

    [Fact]
    public void Enum_like_parameters_are_enums_or_have_a_completer()
    {
        var getInvoice = _metadata.CmdletTypes.Single(t => t.Name == "GetInvoiceCommand");
        foreach (var name in new[] { "State", "ClientType" })
        {
            var type = getInvoice.GetProperty(name)!.PropertyType;
            Assert.True((type.IsArray ? type.GetElementType()! : type).IsEnum, name + " is not an enum");
        }

        // -Status completes what the connection's provider can have, which PowerShell allows only for a non-enum
        // parameter: it is string[], limited to InvoiceStatus's names at binding time.
        var status = getInvoice.GetProperty("Status")!;
        Assert.Equal("System.String[]", status.PropertyType.FullName);
        Assert.Contains(status.GetCustomAttributesData(), a => a.AttributeType.Name == "ArgumentCompleterAttribute");
        var names = status.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ValidateEnumNamesAttribute");
        Assert.Equal("InvoiceTools.InvoiceStatus", ((Type)names.ConstructorArguments[0].Value!).FullName);

        Assert.Contains(getInvoice.GetProperty("PaymentChannel")!.GetCustomAttributesData(), a => a.AttributeType.Name == "ArgumentCompleterAttribute");
        foreach (var cmdlet in _metadata.CmdletTypes)
        {
            foreach (var parameter in CmdletMetadata.Parameters(cmdlet).Where(p => p.Name is "Connection" or "Name" && p.PropertyType.FullName is "System.String[]" or "InvoiceTools.Connections.InvoiceProviderConnection[]"))
            {
                Assert.True(
                    parameter.GetCustomAttributesData().Any(a => a.AttributeType.Name == "ArgumentCompleterAttribute"),
                    cmdlet.Name + " -" + parameter.Name + " does not complete connection names");
            }
        }
    }

    [Fact]
    public void Every_output_type_has_a_view()
    {
        var views = System.Xml.Linq.XDocument.Load(Path.Combine(ModuleLayout.ModuleDir, "InvoiceTools.format.ps1xml"))
            .Descendants("TypeName").Select(e => e.Value).ToHashSet(StringComparer.Ordinal);
        var outputs = _metadata.CmdletTypes
            .SelectMany(t => t.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute"))
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(v => ((Type)v.Value!).FullName!)
            .Append("InvoiceTools.InvoiceLineItem")
            .Distinct();
        AssertEx.ContainsAll(outputs, views);
    }

    [Fact]
    public void Every_cmdlet_is_public_sealed_and_named_verb_noun_command_with_an_approved_verb()
    {
        var verbs = _metadata.ApprovedVerbs();
        Assert.Contains("Get", verbs);
        Assert.All(_metadata.CmdletTypes, type =>
        {
            var attribute = CmdletMetadata.CmdletAttribute(type)!;
            var verb = (string)attribute.ConstructorArguments[0].Value!;
            var noun = (string)attribute.ConstructorArguments[1].Value!;
            Assert.True(type.IsPublic, type.Name + " is not public");
            Assert.True(type.IsSealed, type.Name + " is not sealed");
            Assert.Equal(verb + noun + "Command", type.Name);
            Assert.Equal("InvoiceTools.Commands", type.Namespace);
            Assert.Contains(verb, verbs);
        });
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        Assert.All(_metadata.CmdletTypes, type =>
        {
            var outputTypes = type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute").ToList();
            Assert.True(outputTypes.Count > 0, type.Name + " has no [OutputType]");
            var declared = outputTypes.SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => ((Type)v.Value!).FullName);
            Assert.All(declared, name => Assert.StartsWith("InvoiceTools.", name, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Get_Invoice_supports_paging_and_takes_connections_from_the_pipeline()
    {
        var getInvoice = _metadata.CmdletTypes.Single(t => t.Name == "GetInvoiceCommand");
        Assert.True(CmdletMetadata.NamedArgument<bool>(CmdletMetadata.CmdletAttribute(getInvoice)!, "SupportsPaging"));
        var connection = getInvoice.GetProperty("Connection")!;
        var parameter = connection.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ParameterAttribute");
        Assert.True(CmdletMetadata.NamedArgument<bool>(parameter, "ValueFromPipeline"));
        Assert.Contains(connection.GetCustomAttributesData(), a => a.AttributeType.Name == "ArgumentCompleterAttribute");
        var names = CmdletMetadata.Parameters(getInvoice).Select(p => p.Name).ToHashSet();
        AssertEx.ContainsAll(new[] { "Connection", "Status", "CreatedAfter", "CreatedBefore", "Customer", "PageSize" }, names);
    }

    [Fact]
    public void Connect_InvoiceProvider_takes_secrets_only_as_SecureString_or_PSCredential()
    {
        var connect = _metadata.CmdletTypes.Single(t => t.Name == "ConnectInvoiceProviderCommand");
        Assert.Equal("System.Security.SecureString", connect.GetProperty("ApiKey")!.PropertyType.FullName);
        Assert.Equal("System.Management.Automation.PSCredential", connect.GetProperty("Credential")!.PropertyType.FullName);
        // Text, so that a provider registered from a definition file can be named; the completer lists them all.
        Assert.Equal("System.String", connect.GetProperty("Provider")!.PropertyType.FullName);
        Assert.DoesNotContain(CmdletMetadata.Parameters(connect), p => p.PropertyType == typeof(string) && p.Name.Contains("Key", StringComparison.OrdinalIgnoreCase));
        AssertEx.ContainsAll(new[] { "Provider", "ApiKey", "Credential", "BaseUri", "Sandbox", "Name", "PassThru", "GroupId" }, CmdletMetadata.Parameters(connect).Select(p => p.Name).ToHashSet());
    }

    [Fact]
    public void No_dependency_type_appears_in_a_cmdlet_signature()
    {
        foreach (var type in _metadata.CmdletTypes.Concat(_metadata.Assembly.GetTypes().Where(t => t.IsPublic)))
        {
            var used = new List<Type>();
            for (var t = type.BaseType; t is not null; t = t.BaseType)
            {
                used.Add(t);
            }

            used.AddRange(type.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.FieldType));
            used.AddRange(type.GetProperties(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).Select(p => p.PropertyType));
            Assert.All(used, t => Assert.DoesNotContain(t.Assembly.GetName().Name, DependencyAssemblies));
        }
    }

    [Fact]
    public void Exported_types_load_without_InvoiceTools_Core()
    {
        // PowerShell enumerates the exported types before OnImport registers the resolver for dependencies/, so an
        // exported type must not need Core to load: no Core value-type fields (enums included), base types or interfaces.
        foreach (var type in _metadata.Assembly.GetExportedTypes())
        {
            var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            Assert.All(fields, f => Assert.False(
                f.FieldType.IsValueType && !f.FieldType.Assembly.GetName().Name!.StartsWith("System", StringComparison.Ordinal) && f.FieldType.Assembly.GetName().Name != "netstandard" && f.FieldType.Assembly.GetName().Name != "mscorlib",
                type.Name + "." + f.Name + " is a " + f.FieldType.FullName + " field from " + f.FieldType.Assembly.GetName().Name));
            for (var t = type.BaseType; t is not null; t = t.BaseType)
            {
                Assert.NotEqual("InvoiceTools.Core", t.Assembly.GetName().Name);
            }

            Assert.DoesNotContain(type.GetInterfaces(), i => i.Assembly.GetName().Name == "InvoiceTools.Core");
        }
    }

    [Fact]
    public void The_engine_does_not_reference_PowerShell()
    {
        Assert.DoesNotContain(_metadata.Core.GetReferencedAssemblies(), a => a.Name == "System.Management.Automation");
    }

    [Fact]
    public void The_module_initializer_resolves_dependencies()
    {
        var initializers = _metadata.Assembly.GetTypes().Where(t => t.GetInterfaces().Any(i => i.FullName == "System.Management.Automation.IModuleAssemblyInitializer")).ToList();
        var initializer = Assert.Single(initializers);
        Assert.Contains(initializer.GetInterfaces(), i => i.FullName == "System.Management.Automation.IModuleAssemblyCleanup");
    }
}
