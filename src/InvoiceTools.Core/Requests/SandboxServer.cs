using System;
using System.Collections.Generic;
using System.Net.Http;

namespace InvoiceTools.Requests;

/// <summary>
/// The built-in sandbox as a -Sandbox connection uses it: an in-process server that answers a provider's route
/// (revere, kitchen, appgregator, ...) with the emulator's data. Core has no emulator of its own and does not
/// reference one: the module and the tests register the emulator (InvoiceTools.Sandbox, which shares no code with
/// the client) through <c>SandboxServers.Register</c> (InvoiceTools.Connections).
/// </summary>
public interface ISandboxServer
{
    /// <summary>The UTC day the sandbox's data is dated from.</summary>
    DateTimeOffset Today { get; }

    /// <summary>A handler that answers every request in-process; nothing reaches a network.</summary>
    HttpMessageHandler CreateHandler();

    /// <summary>The key the route accepts and the account settings its data uses (Revere's GroupId, Kitchen's Workspace).</summary>
    /// <exception cref="ArgumentException">The route is not one the sandbox serves.</exception>
    SandboxAccount AccountFor(string route);

    /// <summary>Why <paramref name="fault"/> cannot be rehearsed on <paramref name="route"/>, or null when it can.</summary>
    string? WhyNotFault(string fault, string route);

    /// <summary>Answers the route's next requests with <paramref name="faults"/>, one per request after the first, and adds <paramref name="latency"/> before every answer.</summary>
    void Rehearse(string route, IReadOnlyList<string> faults, TimeSpan? latency);
}

/// <summary>The key a sandbox route accepts and the account settings its data uses.</summary>
public sealed class SandboxAccount
{
    /// <summary>Creates the account.</summary>
    public SandboxAccount(string apiKey, IReadOnlyDictionary<string, string> settings)
    {
        ApiKey = apiKey;
        Settings = settings;
    }

    /// <summary>The key the route accepts.</summary>
    public string ApiKey { get; }

    /// <summary>The account settings the route's data uses, taken where a sandbox connection gives none.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }
}
