using System;
using System.Collections.Generic;
using InvoiceTools.Requests;

namespace InvoiceTools.Connections;

/// <summary>Where Core finds the built-in sandbox: registered once per process by whoever brings the emulator.</summary>
public static class SandboxServers
{
    private static Func<DateTimeOffset, ISandboxServer>? _create;
    private static IReadOnlyList<string> _faultNames = Array.Empty<string>();

    /// <summary>Registers how to make a sandbox dated from a given day, and the names of the faults it can rehearse.</summary>
    public static void Register(Func<DateTimeOffset, ISandboxServer> create, IReadOnlyList<string> faultNames)
    {
        _faultNames = faultNames ?? throw new ArgumentNullException(nameof(faultNames));
        _create = create ?? throw new ArgumentNullException(nameof(create));
    }

    /// <summary>The faults -SandboxFault can name; empty until a sandbox is registered.</summary>
    public static IReadOnlyList<string> FaultNames => _faultNames;

    /// <summary>A new sandbox dated from <paramref name="today"/>.</summary>
    /// <exception cref="InvoiceConfigurationException">No sandbox was registered in this process.</exception>
    internal static ISandboxServer Create(DateTimeOffset today) =>
        _create?.Invoke(today) ?? throw new InvoiceConfigurationException(
            "The built-in sandbox is not available: nothing in this process registered it.",
            "Use the InvoiceTools module, which brings the sandbox; a program hosting InvoiceTools.Core calls SandboxServers.Register with the emulator.")
        { ParameterName = "Sandbox" };
}
