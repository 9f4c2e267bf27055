using System;
using System.Collections.Generic;
using System.Linq;
using InvoiceTools.Providers.Defined;
using InvoiceTools.Sandbox;
using ApiAuth = InvoiceTools.Sandbox.DefinedAuthType;
using ApiPaging = InvoiceTools.Sandbox.DefinedPagingType;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// A provider definition as the emulator's own spec (<see cref="DefinedApiSpec"/>), so that -Sandbox serves the
/// definition's rehearsal records with its paging, authentication and server filters. The emulator shares no code
/// with the client: it reads records with its own JSON path reader, and only this mapping knows both sides.
/// </summary>
internal static class DefinedSandbox
{
    /// <summary>The spec that serves <paramref name="definition"/> under <paramref name="route"/>.</summary>
    /// <exception cref="ArgumentException">The definition names no rehearsal records.</exception>
    public static DefinedApiSpec SpecFor(ProviderDefinition definition, string route)
    {
        if (definition?.SandboxRecordsJson() is not { } records)
        {
            throw new ArgumentException($"{definition?.Name} names no rehearsal records.", nameof(definition));
        }

        var auth = definition.Authentication;
        var paging = definition.Paging;
        return new DefinedApiSpec
        {
            Route = route,
            AuthType = auth.Type switch
            {
                DefinedAuthenticationType.Bearer => ApiAuth.Bearer,
                DefinedAuthenticationType.Header => ApiAuth.Header,
                DefinedAuthenticationType.Basic => ApiAuth.Basic,
                DefinedAuthenticationType.Query => ApiAuth.Query,
                _ => ApiAuth.None,
            },
            AuthName = auth.Name,
            BasicKeyAs = auth.KeyIsPassword ? DefinedBasicKeyAs.Password : DefinedBasicKeyAs.User,

            // A user or header made of connection settings is the account's, which the sandbox does not know: any is taken.
            BasicUser = auth.User is { } user && !HasPlaceholder(user) ? user : null,
            Headers = definition.Headers.Where(h => !HasPlaceholder(h.Value)).ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase),
            ListPath = definition.ListPath,
            ItemsPath = definition.Items,
            Parameters = definition.ListParameters,
            PagingType = paging.Type switch
            {
                Providers.Defined.DefinedPagingType.Offset => ApiPaging.Offset,
                Providers.Defined.DefinedPagingType.Page => ApiPaging.Page,
                Providers.Defined.DefinedPagingType.NextLink => ApiPaging.NextLink,
                Providers.Defined.DefinedPagingType.LinkHeader => ApiPaging.LinkHeader,
                Providers.Defined.DefinedPagingType.Cursor => ApiPaging.Cursor,
                _ => ApiPaging.None,
            },
            PageSizeParameter = paging.PageSize,
            MaxPageSize = paging.MaxPageSize,
            OffsetParameter = paging.Offset,
            PageParameter = paging.Page,
            FirstPage = paging.FirstPage,
            TotalPath = paging.Total,
            LastPagePath = paging.LastPage,
            NextPath = paging.Next,
            CursorParameter = paging.Cursor,
            NextCursorPath = paging.NextCursor,
            HasMorePath = paging.HasMore,
            IdPath = definition.Fields["Id"].Path,
            ItemPath = definition.ItemPath,
            ItemObjectPath = definition.ItemObject,
            Filters = Filters(definition).ToList(),
            Records = records,
        };
    }

    /// <summary>An ArgumentException's message without .NET's parameter suffix: " (Parameter 'spec')" on .NET, a "Parameter name: spec" line on .NET Framework.</summary>
    public static string WithoutParameterName(ArgumentException exception) =>
        exception?.ParamName is not { } name
            ? exception?.Message ?? string.Empty
            : exception.Message.Replace($" (Parameter '{name}')", string.Empty).Replace($"{Environment.NewLine}Parameter name: {name}", string.Empty);

    private static bool HasPlaceholder(string text) => ProviderDefinition.PlaceholdersIn(text).Any();

    /// <summary>Each server filter of the definition, compared with the field the module reads for it.</summary>
    private static IEnumerable<DefinedApiFilter> Filters(ProviderDefinition definition)
    {
        foreach (var pair in definition.Filters)
        {
            var (field, comparison) = pair.Key switch
            {
                "Status" => ("Status", DefinedFilterComparison.Equals),
                "CreatedAfter" => ("CreatedAt", DefinedFilterComparison.After),
                "CreatedBefore" => ("CreatedAt", DefinedFilterComparison.Before),
                "Customer" => (new[] { "CustomerId", "CustomerEmail", "CustomerName" }.FirstOrDefault(definition.Fields.ContainsKey) ?? "CustomerId", DefinedFilterComparison.Equals),
                _ => (pair.Key, DefinedFilterComparison.Equals),
            };
            if (!definition.Fields.TryGetValue(field, out var mapped))
            {
                continue;
            }

            yield return new DefinedApiFilter
            {
                Parameter = pair.Value.Parameter,
                FieldPath = mapped.Path,
                Comparison = comparison,
                ParameterFormat = pair.Value.Format,
                FieldFormat = mapped.Format ?? DefinedApiSpec.Iso8601,
                FieldOffset = mapped.TimeZone,
            };
        }
    }
}
