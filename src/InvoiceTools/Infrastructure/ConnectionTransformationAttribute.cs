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
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        var items = value is IEnumerable enumerable && value is not string ? enumerable.Cast<object>().ToList() : new List<object> { inputData };
        var result = new List<InvoiceProviderConnection>();
        foreach (var raw in items)
        {
            var name = NameOf(raw);
            if (raw is PSObject { BaseObject: InvoiceProviderConnection } or InvoiceProviderConnection)
            {
                result.Add((InvoiceProviderConnection)(raw is PSObject ps ? ps.BaseObject : raw));
            }
            else if (name is not null)
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

    /// <summary>The connection name a string or a deserialized connection stands for; null for anything else.</summary>
    private static string? NameOf(object? item) => item switch
    {
        string text => text,
        PSObject { BaseObject: string text } => text,
        PSObject ps when ps.TypeNames.Contains(DeserializedConnectionType) => ps.Properties["Name"]?.Value?.ToString(),
        _ => null,
    };
}
