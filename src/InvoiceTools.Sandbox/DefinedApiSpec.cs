using System;
using System.Collections.Generic;

namespace InvoiceTools.Sandbox;

/// <summary>How a <see cref="DefinedApi"/> expects the API key.</summary>
public enum DefinedAuthType : long
{
    /// <summary>No key: every request is served.</summary>
    None,

    /// <summary><c>Authorization: Bearer &lt;key&gt;</c> (the scheme is case-insensitive).</summary>
    Bearer,

    /// <summary>The key as is in the header <see cref="DefinedApiSpec.AuthName"/>.</summary>
    Header,

    /// <summary>HTTP Basic, the key as user or password (<see cref="DefinedApiSpec.BasicKeyAs"/>).</summary>
    Basic,

    /// <summary>The key in the query parameter <see cref="DefinedApiSpec.AuthName"/>.</summary>
    Query,
}

/// <summary>Where HTTP Basic carries the key.</summary>
public enum DefinedBasicKeyAs : long
{
    /// <summary>The key is the user name and the password is empty: <c>key:</c>.</summary>
    User,

    /// <summary>The key is the password of <see cref="DefinedApiSpec.BasicUser"/>: <c>user:key</c>.</summary>
    Password,
}

/// <summary>How a <see cref="DefinedApi"/> pages its list.</summary>
public enum DefinedPagingType : long
{
    /// <summary>Every matching record in one answer; page parameters are ignored.</summary>
    None,

    /// <summary>A 0-based offset (<see cref="DefinedApiSpec.OffsetParameter"/>) and a page size.</summary>
    Offset,

    /// <summary>A page number from <see cref="DefinedApiSpec.FirstPage"/> (<see cref="DefinedApiSpec.PageParameter"/>) and a page size.</summary>
    Page,

    /// <summary>The next page's absolute URL in the answer at <see cref="DefinedApiSpec.NextPath"/>; null on the last page.</summary>
    NextLink,

    /// <summary>The next page's absolute URL in an RFC 8288 <c>Link: &lt;url&gt;; rel="next"</c> header; none on the last page.</summary>
    LinkHeader,

    /// <summary>A cursor in <see cref="DefinedApiSpec.CursorParameter"/>: an opaque one written at <see cref="DefinedApiSpec.NextCursorPath"/>, or the last item's id.</summary>
    Cursor,
}

/// <summary>How a server filter compares a record's field with the query parameter.</summary>
public enum DefinedFilterComparison : long
{
    /// <summary>The field's text (a string as is, a number or boolean as written in the file) equals the parameter, ignoring case.</summary>
    Equals,

    /// <summary>The field's date is at or after the parameter's date.</summary>
    After,

    /// <summary>The field's date is before the parameter's date.</summary>
    Before,
}

/// <summary>One filter a <see cref="DefinedApi"/> applies on the server when its query parameter is present.</summary>
public sealed class DefinedApiFilter
{
    /// <summary>The query parameter, e.g. <c>status</c> or <c>created[gte]</c>. When a request repeats it, the last value counts.</summary>
    public string Parameter { get; init; } = string.Empty;

    /// <summary>The JSON path of the compared value inside one record (members and [index]), e.g. <c>created</c> or <c>customer.id</c>.</summary>
    public string FieldPath { get; init; } = string.Empty;

    /// <summary>How the field is compared with the parameter.</summary>
    public DefinedFilterComparison Comparison { get; init; }

    /// <summary>
    /// After and Before: the format of the parameter's date: <c>ISO8601</c> (default; without an offset it is UTC),
    /// <c>UnixSeconds</c>, <c>UnixMilliseconds</c>, or a .NET format such as <c>yyyy-MM-dd</c> (read in UTC). A parameter
    /// that does not parse is answered with 400.
    /// </summary>
    public string ParameterFormat { get; init; } = DefinedApiSpec.Iso8601;

    /// <summary>
    /// After and Before: the format of the field's date, as <see cref="ParameterFormat"/>. Unix formats accept a JSON
    /// number or a numeric string. A record whose field is missing, null or does not parse does not match.
    /// </summary>
    public string FieldFormat { get; init; } = DefinedApiSpec.Iso8601;

    /// <summary>After and Before: the offset of field dates written without one (the definition's TimeZone); default UTC.</summary>
    public TimeSpan FieldOffset { get; init; }
}

/// <summary>
/// A REST invoice list described as data (a provider definition's rehearsal), for <see cref="DefinedApi"/> to serve
/// from sample records. Plain settable values; <see cref="DefinedApi"/>'s constructor checks them and throws an
/// <see cref="ArgumentException"/> that lists every problem.
/// </summary>
/// <remarks>
/// JSON paths use the dot notation subset: <c>data</c>, <c>meta.total</c>, <c>items[0].id</c>, <c>['odd key'].value</c>,
/// an optional leading <c>$.</c>, and <c>$</c> alone for the whole answer (or record). Paths the emulator writes into an
/// answer (<see cref="ItemsPath"/>, <see cref="TotalPath"/>, <see cref="LastPagePath"/>, <see cref="NextPath"/>,
/// <see cref="NextCursorPath"/>, <see cref="HasMorePath"/>, <see cref="ItemObjectPath"/>) take member names only; nested
/// objects are created and shared (<c>meta.total</c> and <c>meta.last_page</c> write one <c>meta</c> object). Paths it
/// reads in a record (<see cref="IdPath"/>, filter fields) take members and indexes.
/// </remarks>
public sealed class DefinedApiSpec
{
    /// <summary>The default <see cref="AcceptedKey"/>: the key <c>Connect-InvoiceProvider -Sandbox</c> connects with.</summary>
    public const string SandboxKey = "sandbox-key";

    /// <summary>The ISO 8601 date format name.</summary>
    public const string Iso8601 = "ISO8601";

    /// <summary>Seconds since 1970-01-01 UTC.</summary>
    public const string UnixSeconds = "UnixSeconds";

    /// <summary>Milliseconds since 1970-01-01 UTC.</summary>
    public const string UnixMilliseconds = "UnixMilliseconds";

    /// <summary>The position parameter of the links NextLink and LinkHeader write when <see cref="PageParameter"/> is not set.</summary>
    public const string DefaultLinkParameter = "page_token";

    /// <summary>Required. The first path segment the API is mounted under, e.g. <c>defined-acme</c> (no '/', '?' or '#').</summary>
    public string Route { get; init; } = string.Empty;

    /// <summary>How the key is sent; wrong or missing → 401 <c>{"error": ...}</c>.</summary>
    public DefinedAuthType AuthType { get; init; } = DefinedAuthType.Bearer;

    /// <summary>Header: the header name; Query: the query parameter name. Required for those two.</summary>
    public string? AuthName { get; init; }

    /// <summary>Basic: whether the key is the user name (<c>key:</c>, empty password) or the password (<c>user:key</c>).</summary>
    public DefinedBasicKeyAs BasicKeyAs { get; init; } = DefinedBasicKeyAs.User;

    /// <summary>Basic with the key as password: the user name required; null accepts any user name.</summary>
    public string? BasicUser { get; init; }

    /// <summary>The key the API accepts; default <see cref="SandboxKey"/>.</summary>
    public string AcceptedKey { get; init; } = SandboxKey;

    /// <summary>
    /// Constant headers the client sends with every request (the definition's Headers, placeholders filled; leave out
    /// those the client cannot fill). A request without one, or with another value, is answered with 400.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Required. The list's path under the route, e.g. <c>/v1/invoices</c>; a trailing '/' is ignored.</summary>
    public string ListPath { get; init; } = string.Empty;

    /// <summary>Where the array of records goes in a list answer; <c>$</c> (default): the answer is the array itself, and nothing else can be written.</summary>
    public string ItemsPath { get; init; } = "$";

    /// <summary>
    /// Constant query parameters the client sends with every list request (the definition's List.Parameters). A list
    /// request without one, or with another value, is answered with 400, so a rehearsal shows a client that drops them.
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>How the list pages.</summary>
    public DefinedPagingType PagingType { get; init; } = DefinedPagingType.None;

    /// <summary>
    /// The page-size query parameter; null: every page has <see cref="MaxPageSize"/> records. A size that is not an integer
    /// from 1 to <see cref="MaxPageSize"/> → 400. Not read by None.
    /// </summary>
    public string? PageSizeParameter { get; init; }

    /// <summary>The largest page size accepted, and the size when the request names none. At least 1; default 100.</summary>
    public int MaxPageSize { get; init; } = 100;

    /// <summary>Offset: required; the 0-based offset parameter (absent = 0).</summary>
    public string? OffsetParameter { get; init; }

    /// <summary>
    /// Page: required; the page-number parameter (absent = <see cref="FirstPage"/>). NextLink and LinkHeader: the name of
    /// the opaque position parameter in the links written (default <see cref="DefaultLinkParameter"/>).
    /// </summary>
    public string? PageParameter { get; init; }

    /// <summary>Page: the number of the first page, 0 or 1 (default).</summary>
    public int FirstPage { get; init; } = 1;

    /// <summary>Where to write the number of matching records (all pages), any paging; null writes none.</summary>
    public string? TotalPath { get; init; }

    /// <summary>Page: where to write the last page's number (<see cref="FirstPage"/> when nothing matches); null writes none.</summary>
    public string? LastPagePath { get; init; }

    /// <summary>NextLink: required; where to write the next page's absolute URL (null on the last page).</summary>
    public string? NextPath { get; init; }

    /// <summary>Cursor: required; the parameter that takes the position.</summary>
    public string? CursorParameter { get; init; }

    /// <summary>
    /// Cursor: where to write an opaque next cursor (null on the last page), which the API then accepts back. Null: the
    /// cursor is the id (at <see cref="IdPath"/>) of the previous page's last record, as Stripe's <c>starting_after</c>.
    /// An unknown cursor → 400.
    /// </summary>
    public string? NextCursorPath { get; init; }

    /// <summary>Where to write a boolean, true while more pages follow, any paging; null writes none.</summary>
    public string? HasMorePath { get; init; }

    /// <summary>The JSON path of a record's id (a string or number, unique among the records); default <c>id</c>.</summary>
    public string IdPath { get; init; } = "id";

    /// <summary>The single-invoice path under the route with an <c>{id}</c> placeholder, e.g. <c>/v1/invoices/{id}</c>; null: no item endpoint.</summary>
    public string? ItemPath { get; init; }

    /// <summary>Where the record goes in an item answer; <c>$</c> (default): the answer is the record. An unknown id → 404.</summary>
    public string ItemObjectPath { get; init; } = "$";

    /// <summary>The server filters, applied before paging to list requests that carry their parameter. Other parameters are ignored.</summary>
    public IReadOnlyList<DefinedApiFilter> Filters { get; init; } = Array.Empty<DefinedApiFilter>();

    /// <summary>
    /// Required. The sample records: the UTF-8 text of a JSON array of objects, as read from the definition's records file
    /// (a byte order mark, comments and trailing commas are allowed). Served in the file's order; the first is taken as
    /// the newest.
    /// </summary>
    public byte[] Records { get; init; } = Array.Empty<byte>();
}
