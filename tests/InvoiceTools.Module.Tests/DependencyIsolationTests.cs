using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using System.Threading;
using InvoiceTools.Isolation;

namespace InvoiceTools.ModuleTests;

/// <summary>
/// Which copy of each assembly the module gets, on PowerShell 7 (a private load context, exercised for real on this
/// .NET) and on Windows PowerShell 5.1 (the AssemblyResolve decisions, which cannot run here).
/// </summary>
public sealed class DependencyIsolationTests
{
    private const string Token = ", Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51";

    private static readonly DependencyPolicy Policy = new(ModuleLayout.DependencyDir, File.Exists);

    private static string Shipped(string simpleName) => Path.Combine(ModuleLayout.DependencyDir, simpleName + ".dll");

    [Theory]
    // PowerShell 7.4: Polly (netstandard2.0) asks for Microsoft.Bcl.AsyncInterfaces 6.0.0.0, pwsh carries 5.0.0.0.
    [InlineData("Microsoft.Bcl.AsyncInterfaces, Version=6.0.0.0" + Token, "5.0.0.0", DependencySource.Module)]
    [InlineData("Microsoft.Bcl.AsyncInterfaces, Version=8.0.0.0" + Token, "5.0.0.0", DependencySource.Module)]
    // A PowerShell that carries a new enough one: one copy in the process.
    [InlineData("Microsoft.Bcl.AsyncInterfaces, Version=8.0.0.0" + Token, "10.0.0.0", DependencySource.Runtime)]
    // System.Text.Json 8.0.0.0 is requested; 7.4, 7.5 and 7.6 carry 8, 9 and 10, so the runtime's is used (its types are the ones .NET passes around).
    [InlineData("System.Text.Json, Version=8.0.0.0" + Token, "8.0.0.0", DependencySource.Runtime)]
    [InlineData("System.Text.Json, Version=8.0.0.0" + Token, "9.0.0.0", DependencySource.Runtime)]
    [InlineData("System.Text.Json, Version=8.0.0.0" + Token, "10.0.0.0", DependencySource.Runtime)]
    // An older runtime than the module was built for (PowerShell 7.3 on .NET 7): the module's copy, privately.
    [InlineData("System.Text.Json, Version=8.0.0.0" + Token, "7.0.0.0", DependencySource.Module)]
    [InlineData("System.Memory, Version=4.0.1.2" + Token, "8.0.0.0", DependencySource.Runtime)]
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=6.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", "8.0.0.0", DependencySource.Runtime)]
    // Third-party libraries no runtime carries: always the module's, whatever another module loaded into the default context.
    [InlineData("Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken=c8a3ffc3f8f825cc", null, DependencySource.Module)]
    [InlineData("Microsoft.Bcl.TimeProvider, Version=8.0.0.0" + Token, null, DependencySource.Module)]
    // The engine is the module's own even if something of that name were in the runtime.
    [InlineData("InvoiceTools.Core, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", "99.0.0.0", DependencySource.Module)]
    [InlineData("InvoiceTools.Sandbox, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", null, DependencySource.Module)]
    // Not shipped: the runtime and PowerShell answer.
    [InlineData("System.Management.Automation, Version=7.4.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35", "7.4.0.0", DependencySource.NotOurs)]
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", null, DependencySource.NotOurs)]
    [InlineData("System.Text.Json.resources, Version=8.0.0.0, Culture=de" + ", PublicKeyToken=cc7b13ffcd2ddd51", null, DependencySource.NotOurs)]
    [InlineData("InvoiceTools.Core, Version=0.1.0.0, Culture=de, PublicKeyToken=null", null, DependencySource.NotOurs)]
    public void PowerShell_7_decides_per_name_which_context_serves_it(string requested, string? runtimeVersion, object expectedSource)
    {
        var expected = (DependencySource)expectedSource;
        var name = new AssemblyName(requested);
        var decision = Policy.ForIsolatedContext(name, runtimeVersion is null ? null : Version.Parse(runtimeVersion));

        Assert.Equal(expected, decision.Source);
        Assert.Equal(expected == DependencySource.Module ? Shipped(name.Name!) : null, decision.Path);
    }

    [Theory]
    // Nothing of that name loaded yet: the module's copy (this is what binding redirects would have done).
    [InlineData("System.Memory, Version=4.0.1.2" + Token, null, DependencySource.Module)]
    [InlineData("InvoiceTools.Core, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", null, DependencySource.Module)]
    // Polly asks for Unsafe 4.0.4.1 and Microsoft.Bcl.AsyncInterfaces 6.0.0.0; the module ships 6.0.0.0 and 8.0.0.0.
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", null, DependencySource.Module)]
    [InlineData("Microsoft.Bcl.AsyncInterfaces, Version=6.0.0.0" + Token, null, DependencySource.Module)]
    // Az.Accounts loaded a newer or equal System.Memory first: reuse it, one set of Span types in the process.
    [InlineData("System.Memory, Version=4.0.1.2" + Token, "4.0.1.2", DependencySource.AlreadyLoaded)]
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", "6.0.0.0", DependencySource.AlreadyLoaded)]
    // Another module loaded an older one: it cannot satisfy the request, so the module's copy is loaded beside it.
    [InlineData("System.Memory, Version=4.0.1.2" + Token, "4.0.1.1", DependencySource.Module)]
    [InlineData("Microsoft.Bcl.AsyncInterfaces, Version=8.0.0.0" + Token, "1.0.0.0", DependencySource.Module)]
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", "12.0.0.0", DependencySource.NotOurs)]
    [InlineData("System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35", "3.0.0.0", DependencySource.NotOurs)]
    public void Windows_PowerShell_reuses_a_loaded_copy_only_when_it_is_new_enough(string requested, string? loadedVersion, object expectedSource)
    {
        var expected = (DependencySource)expectedSource;
        var name = new AssemblyName(requested);
        var decision = Policy.ForWindowsPowerShell(name, loadedVersion is null ? null : Version.Parse(loadedVersion));

        Assert.Equal(expected, decision.Source);
        Assert.Equal(expected == DependencySource.Module ? Shipped(name.Name!) : null, decision.Path);
    }

    [Theory]
    [InlineData("..\\..\\evil")]
    [InlineData("../evil")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Polly.Core, Version=not-a-version")]
    public void Requests_that_are_not_assembly_names_of_ours_are_never_answered(string? requested)
    {
        var name = DependencyPolicy.TryParse(requested);
        if (name is not null)
        {
            Assert.Equal(DependencySource.NotOurs, Policy.ForIsolatedContext(name, null).Source);
            Assert.Equal(DependencySource.NotOurs, Policy.ForWindowsPowerShell(name, null).Source);
        }
    }

    [Fact]
    public void Every_reference_of_every_shipped_assembly_is_shipped_at_that_version_or_newer()
    {
        // Windows PowerShell has none of these libraries, so the folder must close over itself; PowerShell 7 gets the
        // same folder, and the policy above picks the runtime's copy where it is new enough.
        var shipped = Directory.GetFiles(ModuleLayout.DependencyDir, "*.dll").Append(ModuleLayout.CmdletAssemblyPath)
            .Where(p => Path.GetFileNameWithoutExtension(p) != "InvoiceTools.Isolation")
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase);
        var versions = shipped.ToDictionary(p => p.Key, p => AssemblyName.GetAssemblyName(p.Value).Version!, StringComparer.OrdinalIgnoreCase);
        var providedByHost = new[] { "netstandard", "System.Management.Automation" };

        var problems = new List<string>();
        foreach (var (name, path) in shipped)
        {
            foreach (var reference in References(path).Where(r => !providedByHost.Contains(r.Name)))
            {
                if (!versions.TryGetValue(reference.Name!, out var have) || have < reference.Version!)
                {
                    problems.Add(name + " needs " + reference.Name + " " + reference.Version + ", the folder has " + (have?.ToString() ?? "none"));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Contains("Polly.Core", versions.Keys);
    }

    [Fact]
    public void The_cmdlet_assembly_references_no_dependency_so_no_dependency_type_crosses_into_PowerShell()
    {
        // A type of System.Text.Json or Polly in a cmdlet signature would be bound in PowerShell's context while the
        // engine binds it in its own: MissingMethodException (Azure/azure-powershell#29976). The compiler records every
        // assembly a signature uses, so the reference list is the proof.
        var names = References(ModuleLayout.CmdletAssemblyPath).Select(r => r.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "InvoiceTools.Core", "InvoiceTools.Sandbox", "System.Management.Automation", "netstandard" }, names);

        var loader = References(Shipped("InvoiceTools.Isolation")).Select(r => r.Name!).ToList();
        Assert.All(loader, n => Assert.True(n.StartsWith("System.", StringComparison.Ordinal), "The loader must need nothing but .NET: " + n));
    }

    [Fact]
    public void The_engine_runs_in_its_own_context_with_its_own_Polly_after_another_module_loaded_a_different_one()
    {
        var otherModule = OtherModuleLoadedIntoTheDefaultContext();
        var otherPolly = AssemblyLoadContext.Default.Assemblies.Single(a => a.GetName().Name == "Polly.Core");

        var context = new ModuleLoadContext(Policy, RuntimeAssemblies.FromHost().VersionOf);
        var core = context.LoadFromAssemblyName(new AssemblyName("InvoiceTools.Core"));
        var ids = RunSandbox(core, out var expectedIds);

        Assert.Equal(expectedIds, ids);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(core));
        var polly = Loaded(context, "Polly.Core");
        Assert.Equal(Shipped("Polly.Core"), polly.Location);
        Assert.NotSame(otherPolly, polly);
        Assert.Equal("8.5.2", FileVersionInfo.GetVersionInfo(polly.Location).ProductVersion!.Split('+')[0]);
        Assert.StartsWith("8.8.1", otherModule, StringComparison.Ordinal);

        // System.Text.Json comes from the runtime, which is newer than the 8.0.0.0 the engine was built against.
        var json = core.GetReferencedAssemblies().Single(r => r.Name == "System.Text.Json");
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(context.LoadFromAssemblyName(json)));
    }

    [Fact]
    public void An_older_Microsoft_Bcl_AsyncInterfaces_in_the_host_does_not_break_Polly()
    {
        // PowerShell 7.4 carries Microsoft.Bcl.AsyncInterfaces 5.0.0.0. This host has no copy of its own, so the
        // context is told the host has 5.0.0.0, as pwsh 7.4's trusted platform assemblies would say.
        var host = RuntimeAssemblies.FromHost();
        var context = new ModuleLoadContext(Policy, name => name == "Microsoft.Bcl.AsyncInterfaces" ? new Version(5, 0, 0, 0) : host.VersionOf(name));
        var core = context.LoadFromAssemblyName(new AssemblyName("InvoiceTools.Core"));

        var ids = RunSandbox(core, out var expectedIds);

        Assert.Equal(expectedIds, ids);
        var asyncInterfaces = Loaded(context, "Microsoft.Bcl.AsyncInterfaces");
        Assert.Equal(Shipped("Microsoft.Bcl.AsyncInterfaces"), asyncInterfaces.Location);
        Assert.Equal(new Version(8, 0, 0, 0), asyncInterfaces.GetName().Version);
    }

    [Fact]
    public void The_bridge_answers_PowerShells_context_with_the_engine_from_the_private_one()
    {
        LoadContextBridge.Install(ModuleLayout.DependencyDir);
        try
        {
            // What the cmdlet assembly's reference does when a cmdlet first runs.
            var core = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("InvoiceTools.Core, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"));

            Assert.Same(LoadContextBridge.Context, AssemblyLoadContext.GetLoadContext(core));
            Assert.Equal(ModuleLoadContext.ContextName, LoadContextBridge.Context!.Name);
            Assert.Equal(Shipped("InvoiceTools.Core"), core.Location);

            // A second import (another runspace) shares the context; the engine is loaded once per process.
            LoadContextBridge.Install(ModuleLayout.DependencyDir);
            LoadContextBridge.Uninstall();
            Assert.Same(core, AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("InvoiceTools.Core")));
        }
        finally
        {
            LoadContextBridge.Uninstall();
        }

        // The bridge answers only the engine's names: a dependency from dependencies/ never lands in PowerShell's context.
        Assembly? polly = null;
        var failure = Record.Exception(() => polly = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Polly.Core, Version=8.0.0.0")));
        Assert.True(failure is FileNotFoundException || polly!.Location != Shipped("Polly.Core"), "Polly.Core was loaded into the default context from dependencies/.");
    }

    private static string OtherModuleLoadedIntoTheDefaultContext()
    {
        var path = Path.Combine(ModuleLayout.OtherModuleDir, "InvoiceTools.Fixtures.OtherModule.dll");
        var otherModule = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == "InvoiceTools.Fixtures.OtherModule")
            ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(path);

        // The fixture's own references resolve next to it, as another module's resolver would do, for as long as it
        // loads them; the handler is removed after, so no other test sees it.
        Func<AssemblyLoadContext, AssemblyName, Assembly?> fromFixture = (_, name) =>
        {
            var candidate = Path.Combine(ModuleLayout.OtherModuleDir, name.Name + ".dll");
            return File.Exists(candidate) ? AssemblyLoadContext.Default.LoadFromAssemblyPath(candidate) : null;
        };
        AssemblyLoadContext.Default.Resolving += fromFixture;
        try
        {
            return (string)otherModule.GetType("InvoiceTools.Fixtures.OtherModule", throwOnError: true)!.GetMethod("Use")!.Invoke(null, null)!;
        }
        finally
        {
            AssemblyLoadContext.Default.Resolving -= fromFixture;
        }
    }

    /// <summary>Lists every Revere sandbox invoice through the engine in <paramref name="core"/>'s context: HTTP pipeline, Polly, JSON.</summary>
    private static List<string> RunSandbox(Assembly core, out List<string> expectedIds)
    {
        var sandboxAssembly = AssemblyLoadContext.GetLoadContext(core)!.LoadFromAssemblyName(new AssemblyName("InvoiceTools.Sandbox"));
        var sandbox = Activator.CreateInstance(sandboxAssembly.GetType("InvoiceTools.Sandbox.InvoiceSandbox", throwOnError: true)!, new object?[] { null })!;
        var revere = sandbox.GetType().GetProperty("Revere")!.GetValue(sandbox)!;
        expectedIds = ((IEnumerable<string>)revere.GetType().GetProperty("Ids")!.GetValue(revere)!).OrderBy(i => i, StringComparer.Ordinal).ToList();

        var optionsType = core.GetType("InvoiceTools.Requests.ConnectionOptions", throwOnError: true)!;
        var options = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty("Provider")!.SetValue(options, Enum.Parse(core.GetType("InvoiceTools.InvoiceProviderKind", throwOnError: true)!, "Revere"));
        optionsType.GetProperty("Sandbox")!.SetValue(options, true);
        // The module wires the emulator into Core (Core does not reference it); its wiring type needs no PowerShell.
        var wiring = AssemblyLoadContext.GetLoadContext(core)!.LoadFromAssemblyPath(ModuleLayout.CmdletAssemblyPath).GetType("InvoiceTools.Commands.Infrastructure.EmulatorServer", throwOnError: true)!;
        optionsType.GetProperty("SandboxInstance")!.SetValue(options, Activator.CreateInstance(wiring, BindingFlags.Instance | BindingFlags.Public, null, new[] { sandbox }, null));
        var connection = core.GetType("InvoiceTools.Connections.InvoiceConnectionFactory", throwOnError: true)!.GetMethod("Connect")!.Invoke(null, new[] { options })!;
        try
        {
            var queryType = core.GetType("InvoiceTools.Requests.InvoiceQuery", throwOnError: true)!;
            var all = queryType.GetField("All")!.GetValue(null);
            var invoices = (IEnumerable)core.GetType("InvoiceTools.Engine.InvoiceEngine", throwOnError: true)!.GetMethod("GetInvoices")!.Invoke(null, new[] { connection, all, null, CancellationToken.None })!;
            return invoices.Cast<object>().Select(i => (string)i.GetType().GetProperty("Id")!.GetValue(i)!).OrderBy(i => i, StringComparer.Ordinal).ToList();
        }
        finally
        {
            ((IDisposable)connection).Dispose();
        }
    }

    private static Assembly Loaded(AssemblyLoadContext context, string name) => context.Assemblies.Single(a => a.GetName().Name == name);

    private static List<AssemblyName> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName()).ToList();
    }
}
