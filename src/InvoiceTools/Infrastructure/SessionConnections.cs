using System.Management.Automation.Runspaces;
using InvoiceTools.Connections;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>The connection registry of the runspace the current command runs in.</summary>
internal static class SessionConnections
{
    // Hosts without a default runspace on this thread (rare: direct API use) share one fallback scope.
    private static readonly object FallbackScope = new();

    public static ConnectionRegistry Current => ConnectionRegistry.For((object?)Runspace.DefaultRunspace ?? FallbackScope);
}
