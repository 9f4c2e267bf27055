using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace InvoiceTools.Connections;

/// <summary>
/// The connections of one scope (PowerShell passes its runspace). Two runspaces, or two Azure Automation jobs
/// sharing a process, never see each other's connections or default.
/// </summary>
public sealed class ConnectionRegistry
{
    private static readonly ConditionalWeakTable<object, ConnectionRegistry> Scopes = new();
    private readonly object _lock = new();
    private readonly Dictionary<string, InvoiceProviderConnection> _connections = new(StringComparer.OrdinalIgnoreCase);
    private string? _defaultName;

    // Every connection that was the default, most recent last: closing the default goes back to the one before it.
    private readonly List<string> _defaultHistory = new();

    /// <summary>The registry of <paramref name="scope"/>, created on first use and collected with it.</summary>
    public static ConnectionRegistry For(object scope)
    {
        if (scope is null)
        {
            throw new ArgumentNullException(nameof(scope));
        }

        return Scopes.GetValue(scope, _ => new ConnectionRegistry());
    }

    /// <summary>The connection Get-Invoice uses when none is given.</summary>
    public InvoiceProviderConnection? Default
    {
        get
        {
            lock (_lock)
            {
                return _defaultName is not null && _connections.TryGetValue(_defaultName, out var connection) ? connection : null;
            }
        }
    }

    /// <summary>Every connection, in name order.</summary>
    public IReadOnlyList<InvoiceProviderConnection> All
    {
        get
        {
            lock (_lock)
            {
                return _connections.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="connection"/> and makes it the default (or only when there is none). A connection of the same
    /// name is replaced and closed when <paramref name="replace"/> is true; otherwise that is an error.
    /// </summary>
    /// <returns>The connection that was replaced, already closed, or null.</returns>
    /// <exception cref="InvoiceConfigurationException">The name is in use and <paramref name="replace"/> is false.</exception>
    public InvoiceProviderConnection? Add(InvoiceProviderConnection connection, bool makeDefault = true, bool replace = true)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        InvoiceProviderConnection? replaced;
        lock (_lock)
        {
            _connections.TryGetValue(connection.Name, out replaced);
            if (replaced is not null && !replace && !ReferenceEquals(replaced, connection))
            {
                throw NameInUse(replaced);
            }

            _connections[connection.Name] = connection;
            if (makeDefault || _defaultName is null)
            {
                MakeDefault(connection.Name);
            }
        }

        if (replaced is not null && !ReferenceEquals(replaced, connection))
        {
            replaced.Dispose();
            return replaced;
        }

        return null;
    }

    /// <summary>Throws the error <see cref="Add"/> would when <paramref name="name"/> is taken, before anything is connected.</summary>
    /// <exception cref="InvoiceConfigurationException">A connection of that name is open.</exception>
    public void EnsureFree(string name)
    {
        if (Get(name) is { } inUse)
        {
            throw NameInUse(inUse);
        }
    }

    private static InvoiceConfigurationException NameInUse(InvoiceProviderConnection inUse) =>
        new($"A connection named '{inUse.Name}' is already open: {inUse}.", $"Give another -Name, add -Force to replace it, or close it first with Disconnect-InvoiceProvider -Name '{inUse.Name}'.")
        {
            ParameterName = "Name",
            Provider = inUse.Kind,
        };

    /// <summary><paramref name="name"/> if no connection has it, else the first of name-2, name-3, ... that is free.</summary>
    public string FreeName(string name)
    {
        lock (_lock)
        {
            var candidate = name;
            for (var n = 2; _connections.ContainsKey(candidate); n++)
            {
                candidate = $"{name}-{n}";
            }

            return candidate;
        }
    }

    /// <summary>Makes the named connection the default and returns it.</summary>
    /// <exception cref="InvoiceConfigurationException">No connection has that name; the message lists the open ones.</exception>
    public InvoiceProviderConnection SetDefault(string name)
    {
        lock (_lock)
        {
            if (name is not null && _connections.TryGetValue(name, out var connection))
            {
                MakeDefault(connection.Name);
                return connection;
            }
        }

        throw new InvoiceConfigurationException($"There is no connection named '{name}' in this session.", $"Connections in this session: {Describe()}.") { ParameterName = "Name" };
    }

    /// <summary>The connection named <paramref name="name"/> (case-insensitive), or null.</summary>
    public InvoiceProviderConnection? Get(string name)
    {
        lock (_lock)
        {
            return name is not null && _connections.TryGetValue(name, out var connection) ? connection : null;
        }
    }

    private void MakeDefault(string name)
    {
        _defaultHistory.RemoveAll(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        _defaultHistory.Add(name);
        _defaultName = name;
    }

    /// <summary>The connections' names for a message, for example "Revere-Sandbox, prod", or "none (run Connect-InvoiceProvider)".</summary>
    public string Describe()
    {
        var names = All.Select(c => c.Name).ToList();
        return names.Count == 0 ? "none (run Connect-InvoiceProvider)" : string.Join(", ", names);
    }

    /// <summary>Removes and closes the named connection; the default goes back to the one that was the default before it, else the most recent.</summary>
    public bool Remove(string name)
    {
        InvoiceProviderConnection? removed;
        lock (_lock)
        {
            if (name is null || !_connections.TryGetValue(name, out removed))
            {
                return false;
            }

            _connections.Remove(name);
            _defaultHistory.RemoveAll(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (string.Equals(_defaultName, name, StringComparison.OrdinalIgnoreCase))
            {
                _defaultName = _defaultHistory.Count > 0
                    ? _defaultHistory[_defaultHistory.Count - 1]
                    : _connections.Values.OrderByDescending(c => c.ConnectedAt).Select(c => c.Name).FirstOrDefault();
            }
        }

        removed.Dispose();
        return true;
    }
}
