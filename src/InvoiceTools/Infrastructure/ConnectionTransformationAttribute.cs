using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Connections;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Lets -Connection take connection objects, connection names, and connections that came back deserialized
/// (Import-Clixml, Start-Job, Invoke-Command), by their name in this session. Anything else is passed through
/// unchanged, so the binder can reject it or, for pipeline input, bind the object's properties by name instead
/// (<c>Import-Csv ids.csv | Get-Invoice</c>, <c>$invoice | Get-Invoice</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ConnectionTransformationAttribute : ArgumentTransformationAttribute
{
    private const string DeserializedConnectionType = "Deserialized.InvoiceTools.Connections.InvoiceProviderConnection";

    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var result = new List<InvoiceProviderConnection>();
        foreach (var raw in Items(inputData))
        {
            if (raw is PSObject { BaseObject: InvoiceProviderConnection } or InvoiceProviderConnection)
            {
                result.Add((InvoiceProviderConnection)(raw is PSObject ps ? ps.BaseObject : raw));
            }
            else if (NameOf(raw) is { } name)
            {
                result.Add(SessionConnections.Current.Get(name) ?? throw new ArgumentTransformationMetadataException(
                    $"There is no connection named '{name}'. Connections in this session: {SessionConnections.Current.Describe()}."));
            }
            else
            {
                return inputData;
            }
        }

        return result.ToArray();
    }

    /// <summary>The connection names a -Connection value stands for, as <see cref="Transform"/> reads it; for completers, which see the value unbound.</summary>
    internal static IEnumerable<string> Names(object? value) => Items(value).Select(NameOf).OfType<string>();

    private static List<object?> Items(object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value is IEnumerable enumerable && value is not string ? enumerable.Cast<object?>().ToList() : new List<object?> { inputData };
    }

    /// <summary>The connection name a connection, a string or a deserialized connection stands for; null for anything else.</summary>
    private static string? NameOf(object? item) => item switch
    {
        string text => text,
        InvoiceProviderConnection connection => connection.Name,
        PSObject { BaseObject: string text } => text,
        PSObject { BaseObject: InvoiceProviderConnection connection } => connection.Name,
        PSObject ps when ps.TypeNames.Contains(DeserializedConnectionType) => ps.Properties["Name"]?.Value?.ToString(),
        _ => null,
    };
}
