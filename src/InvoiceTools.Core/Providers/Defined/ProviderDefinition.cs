using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using InvoiceTools.Requests;
using static System.FormattableString;

namespace InvoiceTools.Providers.Defined;

/// <summary>
/// A provider defined in a file, checked: one REST invoice list, its authentication, paging, field map, statuses,
/// server filters, single-invoice endpoint and rehearsal records (about_InvoiceTools_CustomProviders describes each
/// key). Built by <see cref="Read"/>, which reports every problem of a file at once.
/// </summary>
public sealed class ProviderDefinition
{
    /// <summary>The money fields of an invoice, in major units once read.</summary>
    internal static readonly string[] MoneyFields = { "Subtotal", "Tax", "Total", "AmountDue", "AmountPaid" };

    /// <summary>The date fields of an invoice, as UTC instants once read.</summary>
    internal static readonly string[] DateFields = { "CreatedAt", "IssuedAt", "DueDate", "PaidAt", "UpdatedAt" };

    /// <summary>The text fields of an invoice.</summary>
    internal static readonly string[] TextFields = { "Id", "Number", "ExternalId", "Status", "Currency", "CustomerId", "CustomerName", "CustomerEmail", "Description" };

    /// <summary>The fields of a line item.</summary>
    internal static readonly string[] LineItemFields = { "Id", "Name", "Description", "Quantity", "UnitPrice", "Amount", "Currency" };

    /// <summary>The Get-Invoice filters a definition can send to its server.</summary>
    internal static readonly string[] ServerFilterNames = { "Status", "CreatedAfter", "CreatedBefore", "Customer", "ExternalId", "Number" };

    private static readonly string[] TopKeys = { "SchemaVersion", "Name", "DisplayName", "Source", "BaseUri", "Settings", "Authentication", "Headers", "List", "Paging", "Invoice", "Statuses", "OverdueAfterDueDate", "Filters", "Item", "Sandbox" };
    // Besides the key and what the module sets itself, .NET refuses a GET request's body headers (Content-*, Expires...).
    private static readonly string[] RefusedHeaders = { "Authorization", "Cookie", "Host", "Content-Length", "Proxy-Authorization", "Content-Type", "Content-Encoding", "Content-Language", "Content-Location", "Content-MD5", "Content-Range", "Content-Disposition", "Expires", "Last-Modified", "Allow" };
    private static readonly Regex NamePattern = new("^[A-Za-z][A-Za-z0-9_-]{0,39}$", RegexOptions.CultureInvariant);
    private static readonly Regex TokenPattern = new("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", RegexOptions.CultureInvariant);
    /// <summary>A {Setting} placeholder; its group 1 is the setting's name.</summary>
    internal static readonly Regex Placeholder = new(@"\{([^{}]*)\}", RegexOptions.CultureInvariant);

    private ProviderDefinition()
    {
    }

    /// <summary>The -Provider name.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>The name messages show.</summary>
    public string DisplayName { get; private set; } = string.Empty;

    /// <summary>Where the definition's facts come from, or null.</summary>
    public string? Source { get; private set; }

    /// <summary>The definition file's name.</summary>
    public string File { get; private set; } = string.Empty;

    /// <summary>The API root, possibly with {Setting} placeholders.</summary>
    public string BaseUri { get; private set; } = string.Empty;

    /// <summary>The provider's own connection settings.</summary>
    public IReadOnlyList<SettingDefinition> Settings { get; private set; } = Array.Empty<SettingDefinition>();

    /// <summary>How the key is sent.</summary>
    public AuthenticationDefinition Authentication { get; private set; } = new();

    /// <summary>Constant headers (values may hold {Setting} placeholders).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>();

    /// <summary>The list's path under the base URI: /v1/invoices.</summary>
    public string ListPath { get; private set; } = string.Empty;

    /// <summary>JSON path of the invoice array in a list answer ('$' for the answer itself).</summary>
    public string Items { get; private set; } = "$";

    /// <summary>True when the list is sorted by creation time, newest first, so paging stops once past -CreatedAfter.</summary>
    public bool NewestFirst { get; private set; }

    /// <summary>Constant query parameters of the list.</summary>
    public IReadOnlyDictionary<string, string> ListParameters { get; private set; } = new Dictionary<string, string>();

    /// <summary>How the list pages.</summary>
    public PagingDefinition Paging { get; private set; } = new();

    /// <summary>The invoice fields mapped, by InvoiceTools.Invoice property name (LineItems is the path of the line array).</summary>
    public IReadOnlyDictionary<string, FieldDefinition> Fields { get; private set; } = new Dictionary<string, FieldDefinition>();

    /// <summary>The line-item fields mapped, by InvoiceTools.InvoiceLineItem property name.</summary>
    public IReadOnlyDictionary<string, FieldDefinition> LineItem { get; private set; } = new Dictionary<string, FieldDefinition>();

    /// <summary>The currency of invoices whose Currency path is missing or empty, or null.</summary>
    public string? DefaultCurrency { get; private set; }

    /// <summary>The API's status words and what each means.</summary>
    public IReadOnlyDictionary<string, InvoiceStatus> Statuses { get; private set; } = new Dictionary<string, InvoiceStatus>();

    /// <summary>True when an Open invoice past its DueDate is Overdue.</summary>
    public bool OverdueAfterDueDate { get; private set; }

    /// <summary>The filters the server applies, by Get-Invoice parameter name.</summary>
    public IReadOnlyDictionary<string, FilterDefinition> Filters { get; private set; } = new Dictionary<string, FilterDefinition>();

    /// <summary>The single-invoice path with {id}, or null when there is none.</summary>
    public string? ItemPath { get; private set; }

    /// <summary>JSON path of the invoice in a single-invoice answer.</summary>
    public string ItemObject { get; private set; } = "$";

    /// <summary>The rehearsal records file's name, or null.</summary>
    public string? SandboxRecordsFile { get; private set; }

    /// <summary>The rehearsal records: the UTF-8 bytes of a JSON array, or null.</summary>
    internal byte[]? SandboxRecords { get; private set; }

    /// <summary>A copy of the rehearsal records (the UTF-8 text of a JSON array), for the sandbox; null when the definition names none.</summary>
    public byte[]? SandboxRecordsJson() => SandboxRecords?.ToArray();

    /// <summary>Every JSON path of the definition, parsed once, by its text.</summary>
    internal IReadOnlyDictionary<string, JsonPath> Paths { get; private set; } = new Dictionary<string, JsonPath>();

    /// <summary>Where the built-in sandbox serves the rehearsal records: defined-stripe.</summary>
    public string SandboxRoute => $"defined-{Name.ToLowerInvariant()}";

    /// <summary>The name and the file: <c>Stripe (stripe.psd1)</c>.</summary>
    public override string ToString() => $"{Name} ({File})";

    /// <summary>The placeholders ({Name}) in <paramref name="text"/>.</summary>
    public static IEnumerable<string> PlaceholdersIn(string text) => Placeholder.Matches(text ?? string.Empty).Cast<Match>().Select(m => m.Groups[1].Value);

    /// <summary>
    /// Checks a definition read into <paramref name="root"/> (from <paramref name="file"/>, a file name; rehearsal
    /// records are read from <paramref name="folder"/>).
    /// </summary>
    /// <exception cref="InvoiceDefinitionException">Every problem found, with its line and key.</exception>
    public static ProviderDefinition Read(DefinitionNode root, string file, string? folder)
    {
        if (root is null)
        {
            throw new ArgumentNullException(nameof(root));
        }

        var check = new Checker(file ?? string.Empty);
        var definition = new ProviderDefinition { File = file ?? string.Empty };
        var top = check.Map(root, TopKeys, "the definition");
        if (top is null)
        {
            throw new InvoiceDefinitionException(check.File, check.Problems);
        }

        if (top["SchemaVersion"] is { } version && check.Int(version, 1, 1) is null)
        {
            check.Add(version, "this module reads SchemaVersion 1.");
        }

        definition.Name = check.Text(top, "Name", required: true) ?? string.Empty;
        if (definition.Name.Length > 0 && !NamePattern.IsMatch(definition.Name))
        {
            check.Add(top["Name"]!, $"'{definition.Name}' is not a provider name: start with a letter, then letters, digits, '-' or '_', at most 40.");
        }
        else if (Enum.GetNames(typeof(InvoiceProviderKind)).Any(n => string.Equals(n, definition.Name, StringComparison.OrdinalIgnoreCase)))
        {
            check.Add(top["Name"]!, $"'{definition.Name}' is the name of a built-in provider; give the definition a name of its own.");
        }

        definition.DisplayName = check.Text(top, "DisplayName") ?? definition.Name;
        definition.Source = check.Text(top, "Source");
        definition.Settings = ReadSettings(check, top["Settings"]);
        var settingNames = definition.Settings.Select(s => s.Name).ToList();
        definition.BaseUri = check.Text(top, "BaseUri", required: true) ?? string.Empty;
        if (top["BaseUri"] is { } baseNode && definition.BaseUri.Length > 0)
        {
            CheckBaseUri(check, baseNode, definition.BaseUri, settingNames);
        }

        definition.Authentication = ReadAuthentication(check, top["Authentication"], top, settingNames);
        definition.Headers = ReadHeaders(check, top["Headers"], settingNames);
        var paths = new Dictionary<string, JsonPath>(StringComparer.Ordinal);
        _ = Defined.JsonPath.TryParse("$", out var whole, out _);
        paths["$"] = whole!;
        ReadList(check, top, definition, paths);
        definition.Paging = ReadPaging(check, top, paths);
        ReadFields(check, top, definition, paths);
        definition.Statuses = ReadStatuses(check, top);
        definition.OverdueAfterDueDate = top["OverdueAfterDueDate"] is { } overdue && check.Bool(overdue) == true;
        definition.Filters = ReadFilters(check, top["Filters"]);
        foreach (var (filter, field) in new[] { ("Customer", "CustomerId"), ("Status", "Status"), ("ExternalId", "ExternalId"), ("Number", "Number"), ("CreatedAfter", "CreatedAt"), ("CreatedBefore", "CreatedAt") })
        {
            if (definition.Filters.ContainsKey(filter) && !definition.Fields.ContainsKey(field) && top["Filters"]?[filter] is { } node)
            {
                // The server compares the value with this field; without it the module could neither check nor explain what came back.
                check.Add(node, $"the server filter {filter} compares the invoice's {field}, which Invoice does not map; map Invoice.{field}{(filter == "Customer" ? " (servers filter by a customer's id)" : string.Empty)}, or drop the filter.");
            }
        }

        ReadItem(check, top["Item"], definition, paths);
        ReadSandbox(check, top["Sandbox"], definition, folder);
        definition.Paths = paths;
        if (check.Problems.Count > 0)
        {
            throw new InvoiceDefinitionException(check.File, check.Problems.OrderBy(p => p.Line ?? int.MaxValue).ToList());
        }

        return definition;
    }

    private static List<SettingDefinition> ReadSettings(Checker check, DefinitionNode? node)
    {
        var settings = new List<SettingDefinition>();
        if (node is null || check.Map(node, null, "Settings") is not { } map)
        {
            return settings;
        }

        foreach (var entry in map.Entries)
        {
            if (!NamePattern.IsMatch(entry.Key))
            {
                check.Add(entry.Value, $"'{entry.Key}' is not a setting name: start with a letter, then letters, digits, '-' or '_'.");
                continue;
            }

            if (check.Map(entry.Value, new[] { "Required", "Pattern", "Description" }, $"the setting {entry.Key}") is not { } setting)
            {
                continue;
            }

            var pattern = check.Text(setting, "Pattern");
            if (pattern is not null)
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    check.Add(setting["Pattern"]!, $"'{pattern}' is not a regular expression: {ex.Message}");
                }
            }

            settings.Add(new SettingDefinition
            {
                Name = entry.Key,
                Required = setting["Required"] is { } required && check.Bool(required) == true,
                Pattern = pattern,
                Description = check.Text(setting, "Description"),
            });
        }

        return settings;
    }

    private static void CheckBaseUri(Checker check, DefinitionNode node, string text, List<string> settings)
    {
        foreach (var name in PlaceholdersIn(text).Where(n => !settings.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            check.Add(node, $"the placeholder {{{name}}} is not one of the definition's Settings{(settings.Count == 0 ? string.Empty : $" ({string.Join(", ", settings)})")}.");
        }

        var sample = Placeholder.Replace(text, "x");
        if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            check.Add(node, $"'{text}' is not an absolute https:// address.");
        }
        else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            check.Add(node, "the base URI cannot hold a query, credentials or a fragment: constant parameters go in List.Parameters, the key in Authentication.");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            check.Add(node, $"'{text}' uses plain http, which would send the key unencrypted; use https:// (http is allowed for localhost only).");
        }
    }

    private static AuthenticationDefinition ReadAuthentication(Checker check, DefinitionNode? node, DefinitionNode top, List<string> settings)
    {
        if (node is null)
        {
            check.Add(top, "Authentication is missing: give @{ Type = 'Bearer' } (or Header, Basic, Query, None).");
            return new AuthenticationDefinition { Type = DefinedAuthenticationType.None };
        }

        if (check.Map(node, new[] { "Type", "Name", "KeyAs", "User" }, "Authentication") is not { } map)
        {
            return new AuthenticationDefinition { Type = DefinedAuthenticationType.None };
        }

        var type = check.Choice<DefinedAuthenticationType>(map, "Type", required: true) ?? DefinedAuthenticationType.None;
        var name = check.Text(map, "Name");
        var keyAs = check.Text(map, "KeyAs");
        var user = check.Text(map, "User");
        if (type is DefinedAuthenticationType.Header or DefinedAuthenticationType.Query)
        {
            if (name is null)
            {
                check.Add(map, $"Authentication.Name is missing: the {(type == DefinedAuthenticationType.Header ? "header" : "query parameter")} that carries the key.");
            }
            else if (type == DefinedAuthenticationType.Header && (!TokenPattern.IsMatch(name) || RefusedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                check.Add(map["Name"]!, RefusedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase) ? $"'{name}' is set by the module; use Type Bearer or Basic for Authorization." : $"'{name}' is not a header name.");
            }
        }
        else if (name is not null)
        {
            check.Add(map["Name"]!, $"Name is used with Type Header or Query, not {type}.");
        }

        var keyIsPassword = false;
        if (type == DefinedAuthenticationType.Basic)
        {
            if (keyAs is not null && !keyAs.Equals("User", StringComparison.OrdinalIgnoreCase) && !keyAs.Equals("Password", StringComparison.OrdinalIgnoreCase))
            {
                check.Add(map["KeyAs"]!, $"'{keyAs}' is not User or Password.");
            }

            keyIsPassword = string.Equals(keyAs, "Password", StringComparison.OrdinalIgnoreCase);
            if (keyIsPassword && user is null)
            {
                check.Add(map, "KeyAs Password needs User: the user name sent with the key.");
            }
        }
        else if (keyAs is not null || user is not null)
        {
            check.Add(map[keyAs is not null ? "KeyAs" : "User"]!, $"KeyAs and User are used with Type Basic, not {type}.");
        }

        if (user is not null)
        {
            foreach (var missing in PlaceholdersIn(user).Where(n => !settings.Contains(n, StringComparer.OrdinalIgnoreCase)))
            {
                check.Add(map["User"]!, $"the placeholder {{{missing}}} is not one of the definition's Settings.");
            }
        }

        return new AuthenticationDefinition { Type = type, Name = name, KeyIsPassword = keyIsPassword, User = user };
    }

    private static Dictionary<string, string> ReadHeaders(Checker check, DefinitionNode? node, List<string> settings)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (node is null || check.Map(node, null, "Headers") is not { } map)
        {
            return headers;
        }

        foreach (var entry in map.Entries)
        {
            if (!TokenPattern.IsMatch(entry.Key))
            {
                check.Add(entry.Value, $"'{entry.Key}' is not a header name.");
                continue;
            }

            if (RefusedHeaders.Contains(entry.Key, StringComparer.OrdinalIgnoreCase))
            {
                check.Add(entry.Value, entry.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || entry.Key.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
                    ? $"{entry.Key} cannot be a constant header: the key goes in Authentication."
                    : entry.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || entry.Key is "Expires" or "Last-Modified" or "Allow"
                        ? $"{entry.Key} describes a request body, and the list is read with GET, which has none."
                        : $"{entry.Key} cannot be a constant header: the module sets it for each request.");
                continue;
            }

            if (check.Scalar(entry.Value) is not { } value)
            {
                continue;
            }

            if (value.Any(c => c < ' ' || c > '~'))
            {
                check.Add(entry.Value, "a header value takes printable ASCII only.");
            }

            foreach (var missing in PlaceholdersIn(value).Where(n => !settings.Contains(n, StringComparer.OrdinalIgnoreCase)))
            {
                check.Add(entry.Value, $"the placeholder {{{missing}}} is not one of the definition's Settings.");
            }

            headers[entry.Key] = value;
        }

        return headers;
    }

    private static void ReadList(Checker check, DefinitionNode top, ProviderDefinition definition, Dictionary<string, JsonPath> paths)
    {
        if (top["List"] is not { } node)
        {
            check.Add(top, "List is missing: give @{ Path = '/invoices'; Items = 'data' }.");
            return;
        }

        if (check.Map(node, new[] { "Path", "Items", "Parameters", "NewestFirst" }, "List") is not { } list)
        {
            return;
        }

        definition.ListPath = check.Text(list, "Path", required: true) ?? string.Empty;
        CheckPath(check, list["Path"], definition.ListPath, null);
        definition.Items = check.JsonPath(list, "Items", paths, required: true) ?? "$";
        definition.NewestFirst = list["NewestFirst"] is { } newest && check.Bool(newest) == true;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (list["Parameters"] is { } parameterNode && check.Map(parameterNode, null, "List.Parameters") is { } parameterMap)
        {
            foreach (var entry in parameterMap.Entries)
            {
                if (check.Scalar(entry.Value) is { } value)
                {
                    parameters[entry.Key] = value;
                }
            }
        }

        definition.ListParameters = parameters;
    }

    private static void CheckPath(Checker check, DefinitionNode? node, string path, string? placeholder)
    {
        if (node is null || path.Length == 0)
        {
            return;
        }

        if (!path.StartsWith("/", StringComparison.Ordinal) || path.Contains("?") || path.Contains("#") || path.Contains("//") || path.Contains(".."))
        {
            check.Add(node, $"'{path}' is not a path under the base URI: start with '/', without a query (use Parameters), '//' or '..'.");
        }

        var names = PlaceholdersIn(path).ToList();
        if (placeholder is null ? names.Count > 0 : names.Count != 1 || names[0] != placeholder)
        {
            check.Add(node, placeholder is null ? "the list path takes no placeholder." : $"the path must hold {{{placeholder}}} once, where the invoice's id goes.");
        }
    }

    private static PagingDefinition ReadPaging(Checker check, DefinitionNode top, Dictionary<string, JsonPath> paths)
    {
        var keys = new[] { "Type", "MaxPageSize", "PageSize", "Offset", "Page", "FirstPage", "Total", "LastPage", "Next", "Cursor", "NextCursor", "HasMore" };
        if (top["Paging"] is not { } node)
        {
            check.Add(top, "Paging is missing: give @{ Type = 'Page'; Page = 'page'; PageSize = 'per_page'; MaxPageSize = 100 } (or Offset, NextLink, LinkHeader, Cursor, None).");
            return new PagingDefinition { Type = DefinedPagingType.None, MaxPageSize = 1 };
        }

        if (check.Map(node, keys, "Paging") is not { } map)
        {
            return new PagingDefinition { Type = DefinedPagingType.None, MaxPageSize = 1 };
        }

        var type = check.Choice<DefinedPagingType>(map, "Type", required: true) ?? DefinedPagingType.None;
        var uses = type switch
        {
            DefinedPagingType.Offset => new[] { "MaxPageSize", "PageSize", "Offset", "Total" },
            DefinedPagingType.Page => new[] { "MaxPageSize", "PageSize", "Page", "FirstPage", "Total", "LastPage", "HasMore" },
            DefinedPagingType.NextLink => new[] { "MaxPageSize", "PageSize", "Next", "HasMore" },
            DefinedPagingType.LinkHeader => new[] { "MaxPageSize", "PageSize" },
            DefinedPagingType.Cursor => new[] { "MaxPageSize", "PageSize", "Cursor", "NextCursor", "HasMore" },
            _ => new[] { "MaxPageSize" },
        };
        var needs = type switch
        {
            DefinedPagingType.Offset => new[] { "MaxPageSize", "PageSize", "Offset" },
            DefinedPagingType.Page => new[] { "MaxPageSize", "PageSize", "Page" },
            DefinedPagingType.NextLink => new[] { "MaxPageSize", "Next" },
            DefinedPagingType.LinkHeader => new[] { "MaxPageSize" },
            DefinedPagingType.Cursor => new[] { "MaxPageSize", "PageSize", "Cursor" },
            _ => Array.Empty<string>(),
        };
        foreach (var entry in map.Entries.Where(e => !e.Key.Equals("Type", StringComparison.OrdinalIgnoreCase) && keys.Contains(e.Key, StringComparer.OrdinalIgnoreCase) && !uses.Contains(e.Key, StringComparer.OrdinalIgnoreCase)))
        {
            check.Add(entry.Value, $"{entry.Key} is not used with paging Type {type}; it takes {string.Join(", ", uses)}.");
        }

        foreach (var missing in needs.Where(k => map[k] is null))
        {
            check.Add(map, $"{missing} is missing: paging Type {type} needs {string.Join(", ", needs)}.");
        }

        var firstPage = map["FirstPage"] is { } first ? check.Int(first, 0, 1) : 1;
        return new PagingDefinition
        {
            Type = type,
            MaxPageSize = map["MaxPageSize"] is { } max ? check.Int(max, 1, 100_000) ?? 1 : (type == DefinedPagingType.None ? 100_000 : 1),
            PageSize = check.Parameter(map, "PageSize"),
            Offset = check.Parameter(map, "Offset"),
            Page = check.Parameter(map, "Page"),
            FirstPage = firstPage ?? 1,
            Total = check.JsonPath(map, "Total", paths),
            LastPage = check.JsonPath(map, "LastPage", paths),
            Next = check.JsonPath(map, "Next", paths),
            Cursor = check.Parameter(map, "Cursor"),
            NextCursor = check.JsonPath(map, "NextCursor", paths),
            HasMore = check.JsonPath(map, "HasMore", paths),
        };
    }

    private static void ReadFields(Checker check, DefinitionNode top, ProviderDefinition definition, Dictionary<string, JsonPath> paths)
    {
        var options = new[] { "DefaultCurrency", "AmountUnit", "DateFormat", "TimeZone", "LineItem", "LineItems" };
        if (top["Invoice"] is not { } node)
        {
            check.Add(top, "Invoice is missing: the field map, at least @{ Id = 'id'; Status = 'status' }.");
            return;
        }

        var allowed = TextFields.Concat(MoneyFields).Concat(DateFields).Concat(options).ToArray();
        if (check.Map(node, allowed, "Invoice") is not { } map)
        {
            return;
        }

        var minor = check.AmountUnit(map["AmountUnit"]) ?? false;
        var format = map["DateFormat"] is { } formatNode ? check.DateFormat(formatNode) : DefinedFormats.Iso8601;
        var zone = map["TimeZone"] is { } zoneNode ? check.Zone(zoneNode) : TimeSpan.Zero;
        definition.DefaultCurrency = check.Text(map, "DefaultCurrency")?.ToUpperInvariant();
        if (definition.DefaultCurrency is { } code && !Currency.IsValidCode(code))
        {
            check.Add(map["DefaultCurrency"]!, $"'{code}' is not an ISO 4217 currency code such as USD or EUR.");
        }

        var fields = new Dictionary<string, FieldDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in TextFields.Concat(MoneyFields).Concat(DateFields).Append("LineItems"))
        {
            if (map[name] is { } field && check.Field(field, $"Invoice.{name}", paths, DateFields.Contains(name), MoneyFields.Contains(name), format, zone, minor) is { } read)
            {
                fields[name] = read;
            }
        }

        foreach (var required in new[] { "Id", "Status" }.Where(n => map[n] is null))
        {
            check.Add(map, $"{required} is missing: every invoice needs its {required}.");
        }

        if (map["Currency"] is null && definition.DefaultCurrency is null && MoneyFields.Any(map.Entries.Select(e => e.Key).Contains))
        {
            check.Add(map, "amounts are mapped but no currency: map Currency, or give DefaultCurrency = 'USD'.");
        }

        definition.Fields = fields;
        var lines = new Dictionary<string, FieldDefinition>(StringComparer.OrdinalIgnoreCase);
        if (map["LineItem"] is { } lineNode)
        {
            if (map["LineItems"] is null)
            {
                check.Add(lineNode, "LineItem maps the fields of a line, but LineItems (the path of the lines in an invoice) is missing.");
            }

            if (check.Map(lineNode, LineItemFields, "Invoice.LineItem") is { } lineMap)
            {
                foreach (var name in LineItemFields)
                {
                    if (lineMap[name] is { } field && check.Field(field, $"Invoice.LineItem.{name}", paths, false, name is "UnitPrice" or "Amount", format, zone, minor) is { } read)
                    {
                        lines[name] = read;
                    }
                }
            }
        }
        else if (map["LineItems"] is { } linesNode)
        {
            check.Add(linesNode, "LineItems is the path of the lines, but LineItem (the fields of a line: Name, Quantity, Amount...) is missing.");
        }

        definition.LineItem = lines;
    }

    private static Dictionary<string, InvoiceStatus> ReadStatuses(Checker check, DefinitionNode top)
    {
        var statuses = new Dictionary<string, InvoiceStatus>(StringComparer.OrdinalIgnoreCase);
        var names = Enum.GetNames(typeof(InvoiceStatus)).Where(n => n != nameof(InvoiceStatus.Unknown)).ToList();
        if (top["Statuses"] is not { } node)
        {
            check.Add(top, $"Statuses is missing: the API's status words and what each means, such as @{{ paid = 'Paid'; open = 'Open' }} ({string.Join(", ", names)}).");
            return statuses;
        }

        if (check.Map(node, null, "Statuses") is not { } map)
        {
            return statuses;
        }

        foreach (var entry in map.Entries)
        {
            var text = check.Scalar(entry.Value);
            var name = names.FirstOrDefault(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (text is null)
            {
                continue;
            }

            if (name is null)
            {
                check.Add(entry.Value, $"'{text}' is not an InvoiceTools status; use one of {string.Join(", ", names)}.");
                continue;
            }

            statuses[entry.Key] = (InvoiceStatus)Enum.Parse(typeof(InvoiceStatus), name);
        }

        if (map.Entries.Count == 0)
        {
            check.Add(map, "Statuses names no status word.");
        }

        return statuses;
    }

    private static Dictionary<string, FilterDefinition> ReadFilters(Checker check, DefinitionNode? node)
    {
        var filters = new Dictionary<string, FilterDefinition>(StringComparer.OrdinalIgnoreCase);
        if (node is null || check.Map(node, ServerFilterNames, "Filters") is not { } map)
        {
            return filters;
        }

        foreach (var entry in map.Entries.Where(e => ServerFilterNames.Contains(e.Key, StringComparer.OrdinalIgnoreCase)))
        {
            var name = ServerFilterNames.First(n => n.Equals(entry.Key, StringComparison.OrdinalIgnoreCase));
            var date = name is "CreatedAfter" or "CreatedBefore";
            if (check.Map(entry.Value, date ? new[] { "Parameter", "Format" } : new[] { "Parameter" }, $"the filter {name}") is not { } filter)
            {
                continue;
            }

            var parameter = check.Parameter(filter, "Parameter", required: true);
            var format = filter["Format"] is { } formatNode ? check.DateFormat(formatNode) : DefinedFormats.Iso8601;
            if (parameter is not null)
            {
                filters[name] = new FilterDefinition { Parameter = parameter, Format = format };
            }
        }

        return filters;
    }

    private static void ReadItem(Checker check, DefinitionNode? node, ProviderDefinition definition, Dictionary<string, JsonPath> paths)
    {
        if (node is null || check.Map(node, new[] { "Path", "Object" }, "Item") is not { } map)
        {
            return;
        }

        definition.ItemPath = check.Text(map, "Path", required: true);
        CheckPath(check, map["Path"], definition.ItemPath ?? string.Empty, "id");
        definition.ItemObject = check.JsonPath(map, "Object", paths) ?? "$";
    }

    private static void ReadSandbox(Checker check, DefinitionNode? node, ProviderDefinition definition, string? folder)
    {
        if (node is null || check.Map(node, new[] { "Records" }, "Sandbox") is not { } map)
        {
            return;
        }

        var records = check.Text(map, "Records", required: true);
        if (records is null)
        {
            return;
        }

        var path = Path.Combine(folder ?? Directory.GetCurrentDirectory(), records);
        definition.SandboxRecordsFile = Path.GetFileName(path);
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            check.Add(map["Records"]!, $"the records file '{records}' cannot be read ({ex.GetType().Name}): give a JSON file beside the definition.");
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = Http.ResponseReader.MaxJsonDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                check.Add(map["Records"]!, $"'{records}' holds a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an array of invoices.");
                return;
            }
        }
        catch (JsonException ex)
        {
            check.Add(map["Records"]!, Invariant($"'{records}' is not valid JSON: line {(ex.LineNumber ?? 0) + 1}: {ex.Message}"));
            return;
        }

        definition.SandboxRecords = bytes;
    }

    /// <summary>Reads values and collects problems, so that a file's every problem is reported at once.</summary>
    private sealed class Checker
    {
        public Checker(string file) => File = file;

        public string File { get; }

        public List<DefinitionProblem> Problems { get; } = new();

        public void Add(DefinitionNode node, string message) => Problems.Add(DefinitionProblem.At(File, node, message));

        /// <summary>The node as a map, with its keys checked against <paramref name="allowed"/> (any key when null); null when it is not a map.</summary>
        public DefinitionNode? Map(DefinitionNode node, IReadOnlyList<string>? allowed, string what)
        {
            if (node.Kind != DefinitionNodeKind.Map)
            {
                Add(node, $"{what} must be a hashtable @{{ ... }} (a JSON object), not {Describe(node)}.");
                return null;
            }

            if (allowed is not null)
            {
                foreach (var entry in node.Entries.Where(e => !allowed.Contains(e.Key, StringComparer.OrdinalIgnoreCase)))
                {
                    var meant = SettingValues.Closest(entry.Key, allowed);
                    Add(entry.Value, meant is null ? $"'{entry.Key}' is not a key of {what}; it takes {string.Join(", ", allowed)}." : $"'{entry.Key}' is not a key of {what}; did you mean {meant}?");
                }
            }

            return node;
        }

        /// <summary>Text under <paramref name="key"/> (numbers read as their invariant text); null when absent or not a scalar.</summary>
        public string? Text(DefinitionNode map, string key, bool required = false)
        {
            if (map[key] is not { } node)
            {
                if (required)
                {
                    Add(map, $"{key} is missing.");
                }

                return null;
            }

            var text = Scalar(node);
            if (text is not null && text.Trim().Length == 0)
            {
                Add(node, $"{key} is empty.");
                return null;
            }

            return text?.Trim();
        }

        public string? Scalar(DefinitionNode node)
        {
            switch (node.Kind)
            {
                case DefinitionNodeKind.Text:
                    return node.Text;
                case DefinitionNodeKind.Number when node.Number is decimal number:
                    return number.ToString(CultureInfo.InvariantCulture);
                case DefinitionNodeKind.Boolean:
                    return node.Boolean == true ? "true" : "false";
                default:
                    Add(node, $"expected text, not {Describe(node)}.");
                    return null;
            }
        }

        /// <summary>A query parameter name under <paramref name="key"/>.</summary>
        public string? Parameter(DefinitionNode map, string key, bool required = false)
        {
            var name = Text(map, key, required);
            if (name is not null && name.Any(c => c <= ' ' || c > '~' || c == '&' || c == '=' || c == '#' || c == '?'))
            {
                Add(map[key]!, $"'{name}' is not a query parameter name (no spaces, &, =, ? or #).");
                return null;
            }

            return name;
        }

        /// <summary>A JSON path under <paramref name="key"/>, parsed and kept in <paramref name="paths"/>.</summary>
        public string? JsonPath(DefinitionNode map, string key, Dictionary<string, JsonPath> paths, bool required = false)
        {
            var text = Text(map, key, required);
            return text is null ? null : Path(map[key]!, text, paths) ? text : null;
        }

        public bool Path(DefinitionNode node, string text, Dictionary<string, JsonPath> paths)
        {
            if (paths.ContainsKey(text))
            {
                return true;
            }

            if (!Defined.JsonPath.TryParse(text, out var path, out var problem))
            {
                Add(node, $"'{text}' is not a JSON path this module reads: {problem}.");
                return false;
            }

            paths[text] = path!;
            return true;
        }

        public int? Int(DefinitionNode node, int least, int most)
        {
            if (node.Kind == DefinitionNodeKind.Number && node.Number is decimal number && number == decimal.Truncate(number) && number >= least && number <= most)
            {
                return (int)number;
            }

            if (node.Kind == DefinitionNodeKind.Text && int.TryParse(node.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= least && parsed <= most)
            {
                return parsed;
            }

            Add(node, Invariant($"expected a whole number from {least} to {most}, not {Describe(node)}."));
            return null;
        }

        public bool? Bool(DefinitionNode node)
        {
            if (node.Kind == DefinitionNodeKind.Boolean)
            {
                return node.Boolean;
            }

            Add(node, $"expected $true or $false (JSON true or false), not {Describe(node)}.");
            return null;
        }

        public T? Choice<T>(DefinitionNode map, string key, bool required = false)
            where T : struct, Enum
        {
            var text = Text(map, key, required);
            if (text is null)
            {
                return null;
            }

            var name = Enum.GetNames(typeof(T)).FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                var meant = SettingValues.Closest(text, Enum.GetNames(typeof(T)));
                Add(map[key]!, meant is null ? $"'{text}' is not one of {string.Join(", ", Enum.GetNames(typeof(T)))}." : $"'{text}' is not one of {string.Join(", ", Enum.GetNames(typeof(T)))}; did you mean {meant}?");
                return null;
            }

            return (T)Enum.Parse(typeof(T), name);
        }

        public bool? AmountUnit(DefinitionNode? node)
        {
            if (node is null || Scalar(node) is not { } text)
            {
                return null;
            }

            if (text.Equals("Minor", StringComparison.OrdinalIgnoreCase) || text.Equals("Major", StringComparison.OrdinalIgnoreCase))
            {
                return text.Equals("Minor", StringComparison.OrdinalIgnoreCase);
            }

            Add(node, $"'{text}' is not an amount unit: use Major (12.50) or Minor (1250 cents).");
            return null;
        }

        public string DateFormat(DefinitionNode node)
        {
            var text = Scalar(node);
            if (text is null)
            {
                return DefinedFormats.Iso8601;
            }

            var named = DefinedFormats.Named.FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (named is not null)
            {
                return named;
            }

            try
            {
                // A format must name a whole date and read back what it writes; any text with a format letter
                // ('Tuesday', 'dd') would otherwise pass, and fail only on the first invoice.
                var sample = new DateTimeOffset(2026, 11, 29, 13, 45, 30, TimeSpan.Zero).ToString(text, CultureInfo.InvariantCulture);
                if (text.Length > 1 && sample != text && NamesYearMonthAndDay(text)
                    && DateTimeOffset.TryParseExact(sample, text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                {
                    return text;
                }
            }
            catch (FormatException)
            {
            }

            var meant = SettingValues.Closest(text, DefinedFormats.Named) ?? (text.StartsWith("Unix", StringComparison.OrdinalIgnoreCase) ? DefinedFormats.UnixSeconds : null);
            Add(node, meant is null
                ? $"'{text}' is not a date format: use ISO8601, UnixSeconds, UnixMilliseconds, or a .NET format with the year, month and day such as 'yyyy-MM-dd'."
                : $"'{text}' is not a date format; did you mean {meant}?");
            return DefinedFormats.Iso8601;
        }

        /// <summary>True when a .NET date format has y, M and d outside its quoted and escaped literals.</summary>
        private static bool NamesYearMonthAndDay(string format)
        {
            var letters = new StringBuilder();
            for (var i = 0; i < format.Length; i++)
            {
                var c = format[i];
                if (c is '\'' or '"')
                {
                    var end = format.IndexOf(c, i + 1);
                    i = end < 0 ? format.Length : end;
                }
                else if (c == '\\')
                {
                    i++;
                }
                else
                {
                    letters.Append(c);
                }
            }

            var kept = letters.ToString();
            return kept.IndexOf('y') >= 0 && kept.IndexOf('M') >= 0 && kept.IndexOf('d') >= 0;
        }

        public TimeSpan Zone(DefinitionNode node)
        {
            var text = Scalar(node)?.Trim();
            if (text is null)
            {
                return TimeSpan.Zero;
            }

            if (text.Equals("UTC", StringComparison.OrdinalIgnoreCase) || text == "Z")
            {
                return TimeSpan.Zero;
            }

            var match = Regex.Match(text, @"^([+-])(\d{2}):(\d{2})$", RegexOptions.CultureInvariant);
            if (match.Success && int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) <= 14 && int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) < 60)
            {
                var offset = new TimeSpan(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), 0);
                return match.Groups[1].Value == "-" ? -offset : offset;
            }

            Add(node, $"'{text}' is not a time zone this module reads: use UTC or an offset such as '+02:00'.");
            return TimeSpan.Zero;
        }

        /// <summary>One field: a JSON path, or @{ Path; Format; TimeZone; AmountUnit }.</summary>
        public FieldDefinition? Field(DefinitionNode node, string what, Dictionary<string, JsonPath> paths, bool date, bool money, string format, TimeSpan zone, bool minor)
        {
            if (node.Kind == DefinitionNodeKind.Map)
            {
                var allowed = date ? new[] { "Path", "Format", "TimeZone" } : money ? new[] { "Path", "AmountUnit" } : new[] { "Path" };
                if (Map(node, allowed, what) is not { } map)
                {
                    return null;
                }

                var path = Text(map, "Path", required: true);
                if (path is null || !Path(map["Path"]!, path, paths))
                {
                    return null;
                }

                return new FieldDefinition
                {
                    Path = path,
                    Compiled = paths[path],
                    Format = date ? (map["Format"] is { } f ? DateFormat(f) : format) : null,
                    TimeZone = date && map["TimeZone"] is { } z ? Zone(z) : zone,
                    MinorUnits = money && (AmountUnit(map["AmountUnit"]) ?? minor),
                };
            }

            if (node.Kind != DefinitionNodeKind.Text)
            {
                Add(node, $"{what} must be a JSON path (text) or @{{ Path = '...' }}, not {Describe(node)}.");
                return null;
            }

            var text = node.Text!.Trim();
            if (text.Length == 0 || !Path(node, text, paths))
            {
                if (text.Length == 0)
                {
                    Add(node, $"{what} is empty.");
                }

                return null;
            }

            return new FieldDefinition { Path = text, Compiled = paths[text], Format = date ? format : null, TimeZone = zone, MinorUnits = money && minor };
        }

        private static string Describe(DefinitionNode node) => node.Kind switch
        {
            DefinitionNodeKind.Map => "a hashtable",
            DefinitionNodeKind.List => "an array",
            DefinitionNodeKind.Text => $"'{node.Text}'",
            DefinitionNodeKind.Number => node.Number?.ToString(CultureInfo.InvariantCulture) ?? "a number",
            DefinitionNodeKind.Boolean => node.Boolean == true ? "$true" : "$false",
            _ => "$null",
        };
    }
}
