using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using InvoiceTools.Connections;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// The emulator (InvoiceTools.Sandbox) as Core's <see cref="ISandboxServer"/>. Core does not reference the emulator,
/// and the emulator shares no code with the client, so this wiring lives with whoever brings both: the module, and
/// (linked into them) the tests and the benchmark.
/// </summary>
internal sealed class EmulatorServer : ISandboxServer
{
    /// <summary>Serves connections from <paramref name="emulator"/>.</summary>
    public EmulatorServer(InvoiceSandbox emulator) => Emulator = emulator ?? throw new ArgumentNullException(nameof(emulator));

    /// <summary>The emulator behind it, for tests that inspect its requests.</summary>
    public InvoiceSandbox Emulator { get; }

    /// <summary>The fault names -SandboxFault takes: the emulator's fault matrix.</summary>
    public static IReadOnlyList<string> FaultNames { get; } = typeof(SandboxFaultKind).GetEnumNames();

    /// <summary>Registers the emulator as this process's built-in sandbox.</summary>
    public static void Register() =>
        SandboxServers.Register(today => new EmulatorServer(new InvoiceSandbox(new SandboxOptions { Today = today })), FaultNames);

    /// <inheritdoc />
    public DateTimeOffset Today => Emulator.Options.Today;

    /// <inheritdoc />
    public HttpMessageHandler CreateHandler() => new SandboxHttpHandler(Emulator);

    /// <inheritdoc />
    public SandboxAccount AccountFor(string route) =>
        (Emulator.Api(route) ?? MountDefinition(route)) is { } api
            ? new(api.AcceptedKey, api.AccountSettings)
            : throw new ArgumentException($"The sandbox serves no route '{route}'; it serves {string.Join(", ", Emulator.ApiNames)}.", nameof(route));

    /// <summary>Serves a registered definition's rehearsal records under its route (defined-acme), or returns null.</summary>
    private DefinedApi? MountDefinition(string route)
    {
        var definition = ProviderCatalog.Descriptors.Select(d => d.Definition).FirstOrDefault(d => d is not null && string.Equals(route, d.SandboxRoute, StringComparison.OrdinalIgnoreCase));
        if (definition?.SandboxRecordsFile is null)
        {
            return null;
        }

        DefinedApi api;
        try
        {
            api = new DefinedApi(DefinedSandbox.SpecFor(definition, route));
        }
        catch (ArgumentException ex)
        {
            // The emulator checks the records as a server would hold them: an id missing or repeated, a record not an object.
            throw new InvoiceConfigurationException(
                $"The sandbox cannot serve {definition.Name}'s records ({definition.SandboxRecordsFile}): {DefinedSandbox.WithoutParameterName(ex)}",
                "Correct the records file beside the definition, then run Register-InvoiceProvider again.");
        }

        Emulator.Mount(api);
        return api;
    }

    /// <inheritdoc />
    public string? WhyNotFault(string fault, string route) =>
        Enum.TryParse<SandboxFaultKind>(fault, ignoreCase: true, out var kind) && FaultNames.Contains(fault, StringComparer.OrdinalIgnoreCase)
            ? Emulator.WhyNotFault(kind, route)
            : $"'{fault}' is not a sandbox fault.";

    /// <inheritdoc />
    public void Rehearse(string route, IReadOnlyList<string> faults, TimeSpan? latency)
    {
        if (latency is TimeSpan added)
        {
            Emulator.Options.Latency = added;
        }

        // The first page is answered normally, so a rehearsal shows what happens to invoices already returned.
        for (var i = 0; i < faults.Count; i++)
        {
            _ = Enum.TryParse<SandboxFaultKind>(faults[i], ignoreCase: true, out var kind);
            Emulator.InjectFault(kind, times: 1, api: route, afterRequests: i == 0 ? 1 : 0);
        }
    }
}
