using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using InvoiceTools.Connections;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Lets -Connection take connection objects or connection names (and a mix of both).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ConnectionTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if (inputData is PSObject wrapped)
        {
            inputData = wrapped.BaseObject;
        }

        var items = inputData is IEnumerable enumerable && inputData is not string ? enumerable.Cast<object>() : new[] { inputData };
        var result = new List<InvoiceProviderConnection>();
        foreach (var raw in items)
        {
            var item = raw is PSObject ps ? ps.BaseObject : raw;
            switch (item)
            {
                case InvoiceProviderConnection connection:
                    result.Add(connection);
                    break;
                case string name:
                    result.Add(SessionConnections.Current.Get(name) ?? throw new ArgumentTransformationMetadataException(
                        "There is no connection named '" + name + "'. Connections in this session: " +
                        (SessionConnections.Current.All.Count == 0 ? "none (run Connect-InvoiceProvider)" : string.Join(", ", SessionConnections.Current.All.Select(c => c.Name))) + "."));
                    break;
                default:
                    throw new ArgumentTransformationMetadataException("-Connection takes a connection from Connect-InvoiceProvider -PassThru or Get-InvoiceProviderConnection, or a connection name; got " + (item?.GetType().Name ?? "null") + ".");
            }
        }

        return result.ToArray();
    }
}
