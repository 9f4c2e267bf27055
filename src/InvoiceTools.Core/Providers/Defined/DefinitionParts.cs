using System;
using System.Collections.Generic;

namespace InvoiceTools.Providers.Defined;

/// <summary>How a defined provider sends the API key (a definition's Authentication.Type).</summary>
public enum DefinedAuthenticationType : long
{
    /// <summary>Authorization: Bearer &lt;key&gt;.</summary>
    Bearer,

    /// <summary>The key as is, in the header <see cref="AuthenticationDefinition.Name"/>.</summary>
    Header,

    /// <summary>HTTP Basic, with the key as the user (key:) or as the password (User:key).</summary>
    Basic,

    /// <summary>The key in the query parameter <see cref="AuthenticationDefinition.Name"/>.</summary>
    Query,

    /// <summary>No key is sent.</summary>
    None,
}

/// <summary>How a defined provider's list pages (a definition's Paging.Type).</summary>
public enum DefinedPagingType : long
{
    /// <summary>An offset and a page size; stops at the total, or on a short page.</summary>
    Offset,

    /// <summary>A page number and a page size; stops at the last page, the total, or on a short page.</summary>
    Page,

    /// <summary>The next page's URL, read from the answer at <see cref="PagingDefinition.Next"/>.</summary>
    NextLink,

    /// <summary>The next page's URL, read from the answer's Link header (rel="next", RFC 8288).</summary>
    LinkHeader,

    /// <summary>A cursor: read from the answer at <see cref="PagingDefinition.NextCursor"/>, or the last invoice's Id.</summary>
    Cursor,

    /// <summary>The whole list in one answer.</summary>
    None,
}

/// <summary>Where the key goes (a definition's Authentication).</summary>
public sealed class AuthenticationDefinition
{
    /// <summary>The way the key is sent.</summary>
    public DefinedAuthenticationType Type { get; init; }

    /// <summary>The header (Header) or query parameter (Query) that carries the key; null for the other types.</summary>
    public string? Name { get; init; }

    /// <summary>Basic: true when the key is the password and <see cref="User"/> the user; false when the key is the user.</summary>
    public bool KeyIsPassword { get; init; }

    /// <summary>Basic with the key as the password: the user name, which may hold {Setting} placeholders.</summary>
    public string? User { get; init; }

    /// <summary>In words, for Get-InvoiceProvider: "Bearer key (Authorization: Bearer)".</summary>
    public override string ToString() => Type switch
    {
        DefinedAuthenticationType.Bearer => "Bearer key (Authorization: Bearer)",
        DefinedAuthenticationType.Header => $"the key in the {Name} header",
        DefinedAuthenticationType.Basic => KeyIsPassword ? $"HTTP Basic, user {User}, the key as the password" : "HTTP Basic, the key as the user name",
        DefinedAuthenticationType.Query => $"the key in the query parameter {Name}",
        _ => "no key",
    };
}

/// <summary>How the list pages (a definition's Paging): parameter names and the JSON paths of what an answer reports.</summary>
public sealed class PagingDefinition
{
    /// <summary>The paging type.</summary>
    public DefinedPagingType Type { get; init; }

    /// <summary>The largest page the API accepts; also the default page size.</summary>
    public int MaxPageSize { get; init; }

    /// <summary>The query parameter for the page size, or null when the API takes none.</summary>
    public string? PageSize { get; init; }

    /// <summary>Offset: the parameter for the 0-based offset.</summary>
    public string? Offset { get; init; }

    /// <summary>Page: the parameter for the page number.</summary>
    public string? Page { get; init; }

    /// <summary>Page: the number of the first page, 1 or 0.</summary>
    public int FirstPage { get; init; } = 1;

    /// <summary>JSON path of the total number of invoices, or null.</summary>
    public string? Total { get; init; }

    /// <summary>Page: JSON path of the last page's number as the API counts pages (from <see cref="FirstPage"/>), or null.</summary>
    public string? LastPage { get; init; }

    /// <summary>NextLink: JSON path of the next page's URL.</summary>
    public string? Next { get; init; }

    /// <summary>Cursor: the parameter that takes the cursor.</summary>
    public string? Cursor { get; init; }

    /// <summary>Cursor: JSON path of the next cursor, or null when the cursor is the last invoice's Id.</summary>
    public string? NextCursor { get; init; }

    /// <summary>JSON path of a boolean that is false on the last page, or null.</summary>
    public string? HasMore { get; init; }

    /// <summary>In words, for Get-InvoiceProvider.</summary>
    public override string ToString() => Type switch
    {
        DefinedPagingType.Offset => $"{Offset} + {PageSize}{(Total is null ? string.Empty : $", total at {Total}")}",
        DefinedPagingType.Page => $"{Page} + {PageSize}{(LastPage is null ? string.Empty : $", last page at {LastPage}")}{(Total is null ? string.Empty : $", total at {Total}")}",
        DefinedPagingType.NextLink => $"next link at {Next}",
        DefinedPagingType.LinkHeader => "Link header (rel=\"next\")",
        DefinedPagingType.Cursor => NextCursor is null ? $"{Cursor} = the last invoice's id" : $"{Cursor} = {NextCursor}",
        _ => "one answer, no paging",
    };
}

/// <summary>One field of the field map: where it is in an item and how to read it.</summary>
public sealed class FieldDefinition
{
    /// <summary>The JSON path inside one invoice (or line item).</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Dates: ISO8601, UnixSeconds, UnixMilliseconds or a .NET format; null for other fields.</summary>
    public string? Format { get; init; }

    /// <summary>Dates: the offset of dates and times written without one (UTC when not given).</summary>
    public TimeSpan TimeZone { get; init; }

    /// <summary>Amounts: true when they are in the currency's minor units (cents).</summary>
    public bool MinorUnits { get; init; }

    /// <summary>The path, parsed once at Register-InvoiceProvider.</summary>
    internal JsonPath? Compiled { get; init; }

    /// <inheritdoc />
    public override string ToString() => Path;
}

/// <summary>A Get-Invoice filter the server applies: its query parameter, and how a date is written in it.</summary>
public sealed class FilterDefinition
{
    /// <summary>The query parameter.</summary>
    public string Parameter { get; init; } = string.Empty;

    /// <summary>Date filters: ISO8601 (in UTC), UnixSeconds, UnixMilliseconds or a .NET format.</summary>
    public string Format { get; init; } = DefinedFormats.Iso8601;
}

/// <summary>A defined provider's own connection setting: a {Name} placeholder in its address or headers.</summary>
public sealed class SettingDefinition
{
    /// <summary>The setting's name, as -Setting takes it.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>True when a connection must give it.</summary>
    public bool Required { get; init; }

    /// <summary>A regular expression the whole value must match, or null.</summary>
    public string? Pattern { get; init; }

    /// <summary>What it is, for messages.</summary>
    public string? Description { get; init; }
}

/// <summary>The date formats a definition names besides .NET format strings.</summary>
public static class DefinedFormats
{
    /// <summary>ISO 8601 text: 2026-11-29T10:00:00Z, or a date alone.</summary>
    public const string Iso8601 = "ISO8601";

    /// <summary>Seconds since 1970-01-01T00:00:00Z.</summary>
    public const string UnixSeconds = "UnixSeconds";

    /// <summary>Milliseconds since 1970-01-01T00:00:00Z.</summary>
    public const string UnixMilliseconds = "UnixMilliseconds";

    /// <summary>The named formats.</summary>
    public static IReadOnlyList<string> Named { get; } = new[] { Iso8601, UnixSeconds, UnixMilliseconds };
}
