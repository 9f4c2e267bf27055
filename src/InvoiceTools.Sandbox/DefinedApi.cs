using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InvoiceTools.Sandbox;

/// <summary>
/// Serves a provider definition's sample records (<see cref="DefinedApiSpec"/>) with the definition's own
/// authentication, paging, server filters and item endpoint, for rehearsals: <c>GET /{Route}{ListPath}</c> and
/// <c>GET /{Route}{ItemPath}</c>. Mount it with <see cref="InvoiceSandbox.Mount"/>.
/// </summary>
/// <remarks>
/// Every answer is JSON; errors are <c>{"error": "..."}</c>: 401 for a missing or wrong key, 400 for a page size above
/// <see cref="DefinedApiSpec.MaxPageSize"/>, a bad offset, page, cursor or date parameter, or a missing constant parameter or header,
/// 404 for an unknown path or id, 405 for a method other than GET. Filters apply before paging; other query parameters
/// are ignored; constant headers and list parameters must be sent as defined. Next links keep the request's query parameters but the key (Query authentication): a client adds its key
/// to every request, links included.
/// </remarks>
public sealed class DefinedApi : SandboxApi
{
    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private readonly List<Row> _records;
    private readonly SandboxJsonPath _id;
    private readonly SandboxJsonPath? _total;
    private readonly SandboxJsonPath? _next;
    private readonly AnswerShape _list = new();
    private readonly AnswerShape _item = new();
    private readonly List<(DefinedApiFilter Filter, SandboxJsonPath Field)> _filters = new();
    private readonly string _listPath;
    private readonly string? _itemPrefix;
    private readonly string? _itemSuffix;
    private int _sequence;

    /// <summary>
    /// Checks <paramref name="spec"/> and reads its records; throws <see cref="ArgumentException"/> naming the route and
    /// every problem (a missing paging parameter, a bad JSON path or date format, paths that overlap in an answer,
    /// records that are not a JSON array of objects, or whose id is missing, not a string or number, or repeated).
    /// </summary>
    public DefinedApi(DefinedApiSpec spec)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(spec.Route) || spec.Route.IndexOfAny(new[] { '/', '?', '#', ' ', '\\' }) >= 0)
        {
            problems.Add($"Route '{spec.Route}' must be one path segment (no '/', '?', '#' or spaces)");
        }

        if (spec.AuthType is DefinedAuthType.Header or DefinedAuthType.Query && string.IsNullOrWhiteSpace(spec.AuthName))
        {
            problems.Add($"AuthName is required with AuthType {spec.AuthType}");
        }

        if (spec.AuthType != DefinedAuthType.None && string.IsNullOrEmpty(spec.AcceptedKey))
        {
            problems.Add("AcceptedKey cannot be empty");
        }

        _listPath = Normalize(spec.ListPath);
        if (string.IsNullOrWhiteSpace(spec.ListPath) || spec.ListPath.IndexOfAny(new[] { '?', '#' }) >= 0)
        {
            problems.Add($"ListPath '{spec.ListPath}' must be a path such as '/v1/invoices' (constant query parameters go in Parameters)");
        }

        if (spec.MaxPageSize < 1)
        {
            problems.Add("MaxPageSize must be at least 1");
        }

        if (spec.FirstPage is not (0 or 1))
        {
            problems.Add("FirstPage must be 0 or 1");
        }

        var needed = spec.PagingType switch
        {
            DefinedPagingType.Offset => (nameof(spec.OffsetParameter), spec.OffsetParameter),
            DefinedPagingType.Page => (nameof(spec.PageParameter), spec.PageParameter),
            DefinedPagingType.NextLink => (nameof(spec.NextPath), spec.NextPath),
            DefinedPagingType.Cursor => (nameof(spec.CursorParameter), spec.CursorParameter),
            _ => (string.Empty, "-"),
        };
        if (string.IsNullOrWhiteSpace(needed.Item2))
        {
            problems.Add($"{needed.Item1} is required with PagingType {spec.PagingType}");
        }

        _id = Path(nameof(spec.IdPath), spec.IdPath, problems) ?? SandboxJsonPath.Parse("id");
        if (_id.IsRoot)
        {
            problems.Add("IdPath cannot be '$': a record is an object and its id one of its values");
            _id = SandboxJsonPath.Parse("id");
        }

        Shape(_list, nameof(spec.ItemsPath), spec.ItemsPath, problems);
        _total = Shape(_list, nameof(spec.TotalPath), spec.TotalPath, problems);
        Shape(_list, nameof(spec.LastPagePath), spec.PagingType == DefinedPagingType.Page ? spec.LastPagePath : null, problems);
        _next = Shape(_list, nameof(spec.NextPath), spec.PagingType == DefinedPagingType.NextLink ? spec.NextPath : null, problems);
        Shape(_list, nameof(spec.NextCursorPath), spec.PagingType == DefinedPagingType.Cursor ? spec.NextCursorPath : null, problems);
        Shape(_list, nameof(spec.HasMorePath), spec.HasMorePath, problems);
        Shape(_item, nameof(spec.ItemObjectPath), spec.ItemObjectPath, problems);

        if (spec.ItemPath is { } itemPath)
        {
            var normalized = Normalize(itemPath);
            var at = normalized.IndexOf("{id}", StringComparison.Ordinal);
            if (at < 0 || normalized.IndexOf("{id}", at + 4, StringComparison.Ordinal) >= 0 || normalized.IndexOfAny(new[] { '?', '#' }) >= 0)
            {
                problems.Add($"ItemPath '{itemPath}' must be a path with one {{id}}, such as '/v1/invoices/{{id}}'");
            }
            else
            {
                _itemPrefix = normalized.Substring(0, at);
                _itemSuffix = normalized.Substring(at + 4);
            }
        }

        foreach (var filter in spec.Filters ?? Array.Empty<DefinedApiFilter>())
        {
            var name = $"Filter '{filter?.Parameter}'";
            if (filter is null || string.IsNullOrWhiteSpace(filter.Parameter))
            {
                problems.Add("a filter needs a Parameter");
                continue;
            }

            if (_filters.Any(f => string.Equals(f.Filter.Parameter, filter.Parameter, StringComparison.Ordinal)))
            {
                problems.Add($"{name} is listed twice");
            }

            if (filter.Comparison != DefinedFilterComparison.Equals)
            {
                foreach (var (what, format) in new[] { ("ParameterFormat", filter.ParameterFormat), ("FieldFormat", filter.FieldFormat) })
                {
                    if (DefinedDates.WhyNot(format) is { } why)
                    {
                        problems.Add($"{name} {what}: {why}");
                    }
                }
            }

            if (Path(name + " FieldPath", filter.FieldPath, problems) is { } field)
            {
                _filters.Add((filter, field));
            }
        }

        _records = Read(spec.Records, _id, spec.IdPath, problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The sandbox API '{spec.Route}' cannot be served: {string.Join("; ", problems)}.", nameof(spec));
        }
    }

    /// <summary>The definition served.</summary>
    public DefinedApiSpec Spec { get; }

    /// <inheritdoc />
    public override string Name => Spec.Route;

    /// <inheritdoc />
    public override string AcceptedKey => Spec.AcceptedKey;

    /// <summary>Records served now (the sample records, changed by <see cref="AddNewest"/> and <see cref="RemoveNewest"/>).</summary>
    public int Count => _records.Count;

    /// <summary>The records' ids (the value at <see cref="DefinedApiSpec.IdPath"/> as text), in the order served.</summary>
    public IReadOnlyList<string> Ids => _records.Select(r => r.Id).ToList();

    /// <inheritdoc />
    public override SandboxResponse Handle(SandboxRequest request, string localPath)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var path = Normalize(localPath ?? string.Empty);
        var isList = string.Equals(path, _listPath, StringComparison.Ordinal);
        string? itemId = null;
        if (!isList && _itemPrefix is not null && _itemSuffix is not null
            && path.Length > _itemPrefix.Length + _itemSuffix.Length
            && path.StartsWith(_itemPrefix, StringComparison.Ordinal) && path.EndsWith(_itemSuffix, StringComparison.Ordinal))
        {
            itemId = path.Substring(_itemPrefix.Length, path.Length - _itemPrefix.Length - _itemSuffix.Length);
        }

        if (!isList && itemId is null)
        {
            var served = "GET /" + Name + _listPath + (_itemPrefix is null ? string.Empty : " and GET /" + Name + Normalize(Spec.ItemPath!));
            return Error(404, $"No such path: /{Name}{localPath}. This API serves {served}.");
        }

        if (!string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            return Error(405, $"Method {request.Method} is not allowed; this API serves GET only.");
        }

        if (Unauthorized(request) is { } why)
        {
            return Error(401, why);
        }

        foreach (var constant in Spec.Headers ?? new Dictionary<string, string>())
        {
            if (!string.Equals(request.Header(constant.Key), constant.Value, StringComparison.Ordinal))
            {
                return Error(400, $"The header '{constant.Key}' must be '{constant.Value}'.");
            }
        }

        return itemId is null ? List(request) : Item(itemId);
    }

    /// <summary>
    /// Copies the first record <paramref name="count"/> times, each with a new id (the largest numeric id plus one, or the
    /// first id with <c>-new-N</c> appended), and puts the copies first; returns their ids, the newest first. Throws
    /// <see cref="InvalidOperationException"/> when there is no record to copy.
    /// </summary>
    public override IReadOnlyList<string> AddNewest(int count)
    {
        if (_records.Count == 0)
        {
            throw new InvalidOperationException($"The sandbox API '{Name}' has no sample record to copy as a new invoice.");
        }

        var template = _records[0];
        var added = new List<string>();
        for (var k = 0; k < count; k++)
        {
            var root = JsonNode.Parse(template.Element.GetRawText())!;
            var numeric = template.IdElement.ValueKind == JsonValueKind.Number;
            string id;
            if (numeric)
            {
                var max = _records.Select(r => r.IdElement.ValueKind == JsonValueKind.Number && r.IdElement.TryGetInt64(out var n) ? n : 0).Max();
                id = (max + 1).ToString(CultureInfo.InvariantCulture);
                _id.TrySet(root, JsonValue.Create(max + 1));
            }
            else
            {
                do
                {
                    id = template.Id + "-new-" + (++_sequence).ToString(CultureInfo.InvariantCulture);
                }
                while (_records.Any(r => r.Id == id));

                _id.TrySet(root, JsonValue.Create(id));
            }

            using var document = JsonDocument.Parse(root.ToJsonString());
            var element = document.RootElement.Clone();
            _id.TryRead(element, out var idElement);
            _records.Insert(0, new Row(id, element, idElement));
            added.Insert(0, id);
        }

        return added;
    }

    /// <summary>Removes the first <paramref name="count"/> records (the newest) and returns their ids.</summary>
    public override IReadOnlyList<string> RemoveNewest(int count) => RemoveFirst(_records, count, r => r.Id);

    /// <summary>Null when the fault <paramref name="kind"/> can happen on this API; otherwise why not.</summary>
    internal string? WhyNotFault(SandboxFaultKind kind) => kind switch
    {
        SandboxFaultKind.TotalChanged when _total is null =>
            $"TotalChanged needs a definition that reports its total (a TotalPath); '{Name}' has none.",
        SandboxFaultKind.ForeignNextLink when Spec.PagingType is not (DefinedPagingType.NextLink or DefinedPagingType.LinkHeader) =>
            $"ForeignNextLink needs next links (NextLink or LinkHeader paging); '{Name}' pages by {Spec.PagingType}.",
        SandboxFaultKind.InsertWhilePaging when _records.Count == 0 =>
            $"InsertWhilePaging copies a sample record, and '{Name}' has none.",
        _ => null,
    };

    /// <summary>The answer with the total at <see cref="DefinedApiSpec.TotalPath"/> raised by <paramref name="increase"/>.</summary>
    internal SandboxResponse WithTotalRaised(SandboxResponse normal, int increase)
    {
        if (_total is null || normal.StatusCode != 200)
        {
            return normal;
        }

        using var document = JsonDocument.Parse(normal.Body);
        if (!_total.TryRead(document.RootElement, out var total) || !total.TryGetInt64(out var value))
        {
            return normal;
        }

        var root = JsonNode.Parse(normal.Body)!;
        _total.TrySet(root, JsonValue.Create(value + increase));
        return Copy(normal, Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    /// <summary>The answer with its next link (body or Link header) pointing at <paramref name="host"/>.</summary>
    internal SandboxResponse WithForeignNextLink(SandboxResponse normal, string host)
    {
        if (normal.StatusCode != 200)
        {
            return normal;
        }

        static string Elsewhere(string link, string host) => "https://" + host + new Uri(link).PathAndQuery;
        if (Spec.PagingType == DefinedPagingType.LinkHeader)
        {
            var changed = Copy(normal, normal.Body);
            if (normal.Headers.TryGetValue("Link", out var header))
            {
                var start = header.IndexOf('<') + 1;
                var end = header.IndexOf('>');
                changed.Headers["Link"] = "<" + Elsewhere(header.Substring(start, end - start), host) + ">" + header.Substring(end + 1);
            }

            return changed;
        }

        using var document = JsonDocument.Parse(normal.Body);
        if (_next is null || !_next.TryRead(document.RootElement, out var next) || next.ValueKind != JsonValueKind.String)
        {
            return normal;
        }

        var root = JsonNode.Parse(normal.Body)!;
        _next.TrySet(root, JsonValue.Create(Elsewhere(next.GetString()!, host)));
        return Copy(normal, Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    private SandboxResponse Item(string id)
    {
        var found = _records.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal));
        if (found is null)
        {
            return Error(404, $"No invoice with id '{id}'.");
        }

        return SandboxResponse.Json(200, w => _item.Write(w, new Dictionary<string, Action<Utf8JsonWriter>>
        {
            [nameof(DefinedApiSpec.ItemObjectPath)] = found.Element.WriteTo,
        }));
    }

    private SandboxResponse List(SandboxRequest request)
    {
        foreach (var constant in Spec.Parameters ?? new Dictionary<string, string>())
        {
            if (!string.Equals(request.QueryValue(constant.Key), constant.Value, StringComparison.Ordinal))
            {
                return Error(400, $"The query parameter '{constant.Key}' must be '{constant.Value}'.");
            }
        }

        var matches = _records;
        foreach (var (filter, field) in _filters)
        {
            if (request.QueryValue(filter.Parameter) is not { } wanted)
            {
                continue;
            }

            if (filter.Comparison == DefinedFilterComparison.Equals)
            {
                matches = matches.Where(r => field.TryRead(r.Element, out var value) && Text(value) is { } text
                    && string.Equals(text, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
                continue;
            }

            if (!DefinedDates.TryParse(wanted, filter.ParameterFormat, TimeSpan.Zero, out var bound))
            {
                return Error(400, $"The query parameter '{filter.Parameter}' must be a date in the format {filter.ParameterFormat}; '{wanted}' is not.");
            }

            var after = filter.Comparison == DefinedFilterComparison.After;
            matches = matches.Where(r => field.TryRead(r.Element, out var value)
                && DefinedDates.TryRead(value, filter.FieldFormat, filter.FieldOffset, out var date)
                && (after ? date >= bound : date < bound)).ToList();
        }

        int size = matches.Count;
        if (Spec.PagingType != DefinedPagingType.None)
        {
            size = Spec.MaxPageSize;
            if (Spec.PageSizeParameter is { } sizeName && request.QueryValue(sizeName) is { } sizeText
                && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > Spec.MaxPageSize))
            {
                return Error(400, Invariant($"The query parameter '{sizeName}' must be a whole number from 1 to {Spec.MaxPageSize}; '{sizeText}' is not."));
            }
        }

        var start = 0;
        string? positionError = null;
        switch (Spec.PagingType)
        {
            case DefinedPagingType.Offset when request.QueryValue(Spec.OffsetParameter!) is { } offsetText:
                if (!int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out start))
                {
                    positionError = $"The query parameter '{Spec.OffsetParameter}' must be a whole number from 0; '{offsetText}' is not.";
                }

                break;
            case DefinedPagingType.Page when request.QueryValue(Spec.PageParameter!) is { } pageText:
                if (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < Spec.FirstPage)
                {
                    positionError = Invariant($"The query parameter '{Spec.PageParameter}' must be a whole number from {Spec.FirstPage}; '{pageText}' is not.");
                }
                else
                {
                    start = (int)Math.Min(int.MaxValue, (long)(page - Spec.FirstPage) * size);
                }

                break;
            case DefinedPagingType.NextLink or DefinedPagingType.LinkHeader when request.QueryValue(LinkParameter) is { Length: > 0 } token:
                if (Unwrap(token, "offset:") is not { } offsetToken || !int.TryParse(offsetToken, NumberStyles.None, CultureInfo.InvariantCulture, out start))
                {
                    positionError = $"The query parameter '{LinkParameter}' is not a page token this API wrote.";
                }

                break;
            case DefinedPagingType.Cursor when request.QueryValue(Spec.CursorParameter!) is { Length: > 0 } cursor:
                var after = Spec.NextCursorPath is null ? cursor : Unwrap(cursor, "after:");
                var index = after is null ? -1 : matches.FindIndex(r => string.Equals(r.Id, after, StringComparison.Ordinal));
                if (index < 0)
                {
                    positionError = Spec.NextCursorPath is null
                        ? $"The query parameter '{Spec.CursorParameter}' must be the id of a listed invoice; '{cursor}' is not."
                        : $"The query parameter '{Spec.CursorParameter}' is not a cursor this API wrote, or its invoice is gone.";
                }

                start = index + 1;
                break;
        }

        if (positionError is not null)
        {
            return Error(400, positionError);
        }

        var items = matches.Skip(start).Take(size).ToList();
        var more = (long)start + items.Count < matches.Count;
        var link = more && Spec.PagingType is DefinedPagingType.NextLink or DefinedPagingType.LinkHeader ? NextLink(request, size, start + items.Count) : null;
        var values = new Dictionary<string, Action<Utf8JsonWriter>>
        {
            [nameof(DefinedApiSpec.ItemsPath)] = w =>
            {
                w.WriteStartArray();
                foreach (var item in items)
                {
                    item.Element.WriteTo(w);
                }

                w.WriteEndArray();
            },
            [nameof(DefinedApiSpec.TotalPath)] = w => w.WriteNumberValue(matches.Count),
            [nameof(DefinedApiSpec.LastPagePath)] = w => w.WriteNumberValue(Spec.FirstPage + Math.Max(0, ((matches.Count + size - 1) / Math.Max(1, size)) - 1)),
            [nameof(DefinedApiSpec.HasMorePath)] = w => w.WriteBooleanValue(more),
        };
        if (link is not null)
        {
            values[nameof(DefinedApiSpec.NextPath)] = w => w.WriteStringValue(link);
        }

        if (more && items.Count > 0)
        {
            var cursor = Wrap("after:" + items[items.Count - 1].Id);
            values[nameof(DefinedApiSpec.NextCursorPath)] = w => w.WriteStringValue(cursor);
        }

        var response = SandboxResponse.Json(200, w => _list.Write(w, values));
        if (link is not null && Spec.PagingType == DefinedPagingType.LinkHeader)
        {
            response.Headers["Link"] = "<" + link + ">; rel=\"next\"";
        }

        return response;
    }

    private string LinkParameter => Spec.PageParameter ?? DefinedApiSpec.DefaultLinkParameter;

    private string NextLink(SandboxRequest request, int size, int offset)
    {
        var dropped = new List<string> { LinkParameter };
        if (Spec.PageSizeParameter is { } sizeName)
        {
            dropped.Add(sizeName);
        }

        if (Spec.AuthType == DefinedAuthType.Query)
        {
            dropped.Add(Spec.AuthName!);
        }

        var query = request.Query.Where(p => !dropped.Contains(p.Key, StringComparer.Ordinal)).ToList();
        if (Spec.PageSizeParameter is { } name)
        {
            query.Add(new KeyValuePair<string, string>(name, size.ToString(CultureInfo.InvariantCulture)));
        }

        query.Add(new KeyValuePair<string, string>(LinkParameter, Wrap("offset:" + offset.ToString(CultureInfo.InvariantCulture))));
        return request.Uri.GetLeftPart(UriPartial.Path) + "?" + string.Join("&", query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
    }

    private string? Unauthorized(SandboxRequest request)
    {
        var key = Spec.AcceptedKey;
        switch (Spec.AuthType)
        {
            case DefinedAuthType.Bearer:
                var bearer = Credentials(request, "Bearer");
                return bearer is null ? "Missing API key: send it as 'Authorization: Bearer <key>'."
                    : bearer.Length == 0 ? "Invalid Authorization header: send the key as 'Bearer <key>'."
                    : bearer == key ? null : "Invalid API key in the Bearer token.";
            case DefinedAuthType.Header:
                var header = request.Header(Spec.AuthName!);
                return header is null ? $"Missing API key: send it in the header '{Spec.AuthName}'."
                    : header == key ? null : $"Invalid API key in the header '{Spec.AuthName}'.";
            case DefinedAuthType.Query:
                var value = request.QueryValue(Spec.AuthName!);
                return value is null ? $"Missing API key: send it in the query parameter '{Spec.AuthName}'."
                    : value == key ? null : $"Invalid API key in the query parameter '{Spec.AuthName}'.";
            case DefinedAuthType.Basic:
                var expected = Spec.BasicKeyAs == DefinedBasicKeyAs.User ? "'key:' (the key as user name, no password)" : $"'{Spec.BasicUser ?? "user"}:key' (the key as password)";
                var basic = Credentials(request, "Basic");
                if (basic is null)
                {
                    return $"Missing API key: send HTTP Basic credentials {expected}.";
                }

                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basic));
                }
                catch (FormatException)
                {
                    return "The Basic credentials are not Base64.";
                }

                var colon = decoded.IndexOf(':');
                var user = colon < 0 ? decoded : decoded.Substring(0, colon);
                var password = colon < 0 ? string.Empty : decoded.Substring(colon + 1);
                var valid = Spec.BasicKeyAs == DefinedBasicKeyAs.User
                    ? user == key && password.Length == 0
                    : password == key && (Spec.BasicUser is null || user == Spec.BasicUser);
                return valid ? null : $"Invalid HTTP Basic credentials: expected {expected}.";
            default:
                return null;
        }
    }

    private static string? Credentials(SandboxRequest request, string scheme)
    {
        var authorization = request.Header("Authorization");
        if (authorization is null)
        {
            return null;
        }

        var space = authorization.IndexOf(' ');
        return space > 0 && string.Equals(authorization.Substring(0, space), scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization.Substring(space + 1).Trim()
            : string.Empty;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    private static string Wrap(string position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(position)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Unwrap(string token, string prefix)
    {
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            return text.StartsWith(prefix, StringComparison.Ordinal) ? text.Substring(prefix.Length) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Normalize(string path)
    {
        path = (path ?? string.Empty).Trim().TrimEnd('/');
        return path.Length == 0 || path[0] == '/' ? path : "/" + path;
    }

    private static SandboxJsonPath? Path(string what, string? text, List<string> problems)
    {
        try
        {
            return SandboxJsonPath.Parse(text ?? string.Empty);
        }
        catch (FormatException e)
        {
            problems.Add($"{what}: {e.Message}");
            return null;
        }
    }

    private static SandboxJsonPath? Shape(AnswerShape shape, string slot, string? text, List<string> problems)
    {
        if (text is null || Path(slot, text, problems) is not { } path)
        {
            return null;
        }

        try
        {
            shape.Add(slot, path);
            return path;
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message.TrimEnd('.'));
            return null;
        }
    }

    private static List<Row> Read(byte[]? records, SandboxJsonPath id, string idPath, List<string> problems)
    {
        var rows = new List<Row>();
        var bytes = records ?? Array.Empty<byte>();
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, start, bytes.Length - start), ReadOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problems.Add($"Records are not valid JSON: {e.Message}");
            return rows;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"Records must be a JSON array of invoices, not {root.ValueKind.ToString().ToLowerInvariant()}");
            return rows;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var element in root.EnumerateArray())
        {
            number++;
            var which = "record " + number.ToString(CultureInfo.InvariantCulture);
            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{which} is not a JSON object");
                continue;
            }

            if (!id.TryRead(element, out var idElement) || Text(idElement) is not { } text || idElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                problems.Add($"{which} has no id (a string or number) at '{idPath}'");
                continue;
            }

            if (seen.TryGetValue(text, out var earlier))
            {
                problems.Add($"{which} has the same id '{text}' as record {earlier.ToString(CultureInfo.InvariantCulture)}");
                continue;
            }

            seen[text] = number;
            rows.Add(new Row(text, element, idElement));
        }

        return rows;
    }

    private static SandboxResponse Error(int status, string message) => SandboxResponse.JsonObject(status, ("error", message));

    private static SandboxResponse Copy(SandboxResponse normal, byte[] body)
    {
        var copy = new SandboxResponse(normal.StatusCode, body, normal.ContentType!);
        foreach (var header in normal.Headers)
        {
            copy.Headers[header.Key] = header.Value;
        }

        return copy;
    }

    private static string Invariant(FormattableString message) => FormattableString.Invariant(message);

    private sealed class Row
    {
        public Row(string id, JsonElement element, JsonElement idElement)
        {
            Id = id;
            Element = element;
            IdElement = idElement;
        }

        public string Id { get; }

        public JsonElement Element { get; }

        public JsonElement IdElement { get; }
    }
}
