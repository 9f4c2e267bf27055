using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using InvoiceTools.Paging;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers.Defined;

/// <summary>
/// A provider built from a <see cref="ProviderDefinition"/>: the definition's paging onto the shared pagers, its
/// authentication onto the credential writer (which only ever writes to the connection's own origin), its field map
/// read with JSON paths, and its server filters planned like a built-in provider's.
/// </summary>
internal sealed class DefinedProvider : InvoiceProvider
{
    private static readonly Regex LinkValue = new(@"<([^>]*)>([^<]*)", RegexOptions.CultureInvariant);
    private static readonly Regex UriSafe = new("^[A-Za-z0-9._~-]+$", RegexOptions.CultureInvariant);
    private readonly ProviderDescriptor _descriptor;
    private readonly PagingStrategy _paging;
    private readonly SandboxDefaults _sandbox;

    /// <summary>Builds the provider for <paramref name="definition"/>.</summary>
    public DefinedProvider(ProviderDefinition definition, string? definitionFile = null)
    {
        Definition = definition ?? throw new ArgumentNullException(nameof(definition));
        var filters = new List<FilterUse>();
        foreach (var name in ProviderDefinition.ServerFilterNames)
        {
            if (definition.Filters.TryGetValue(name, out var filter))
            {
                filters.Add(FilterUse.Server(filter.Parameter, name));
            }
            else if (name != "Number" && (name != "ExternalId" || definition.Fields.ContainsKey("ExternalId")))
            {
                filters.Add(FilterUse.Module(name));
            }
        }

        var settings = definition.Settings.Select(s => s.Name).ToList();
        _descriptor = new ProviderDescriptor
        {
            Kind = InvoiceProviderKind.Defined,
            Name = definition.Name,
            DisplayName = definition.DisplayName,
            Source = definition.Source,
            DefinitionFile = definitionFile ?? definition.File,
            Definition = definition,
            DefaultBaseUri = definition.BaseUri.IndexOf('{') < 0 ? new Uri(definition.BaseUri) : null,
            AuthModes = new[] { definition.Authentication.ToString() },
            Paging = definition.Paging.ToString(),
            DatesWithoutOffset = DatesInWords(definition),
            MaxPageSize = definition.Paging.MaxPageSize,
            NewestFirst = definition.NewestFirst && definition.Fields.ContainsKey("CreatedAt"),
            PageSizeSource = $"MaxPageSize in {definition.File}",
            Filters = filters,
            StatusMap = definition.Statuses.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
            DerivedStatuses = definition.OverdueAfterDueDate ? new[] { InvoiceStatus.Overdue } : Array.Empty<InvoiceStatus>(),
            DefinedSettingNames = settings,
        };
        var p = definition.Paging;
        _paging = p.Type switch
        {
            DefinedPagingType.Offset => new OffsetLimitPaging(p.PageSize!, p.Offset!),
            DefinedPagingType.Page => new PageNumberPaging(p.Page!, p.PageSize!, p.FirstPage),
            DefinedPagingType.Cursor => new CursorPaging(p.PageSize!, p.NextCursor is not null, p.Cursor!),
            DefinedPagingType.None => new NextLinkPaging(null),
            _ => new NextLinkPaging(p.PageSize),
        };
        _sandbox = new SandboxDefaults(definition.SandboxRoute);
        if (definition.Authentication.Name is { } keyName)
        {
            // A server may echo the key in its next links or headers under this name; it is masked wherever shown.
            Http.Redactor.DeclareSecretName(keyName);
        }
    }

    /// <summary>The definition.</summary>
    public ProviderDefinition Definition { get; }

    /// <inheritdoc />
    public override ProviderDescriptor Descriptor => _descriptor;

    /// <inheritdoc />
    public override PagingStrategy Paging => _paging;

    /// <inheritdoc />
    public override SandboxDefaults SandboxDefaults => _sandbox;

    /// <summary>True when the definition has a single-invoice endpoint; without one, -Id reads the list.</summary>
    public override bool HasItemEndpoint => Definition.ItemPath is not null;

    /// <inheritdoc />
    public override SandboxDefaults SandboxDefaultsFor(ConnectionOptions options)
    {
        if (Definition.SandboxRecords is null)
        {
            throw new InvoiceConfigurationException(
                $"{Definition.DisplayName} has no sandbox: its definition ({Definition.File}) names no rehearsal records.",
                "Add Sandbox = @{ Records = 'records.json' } to the definition, with a JSON array of invoices in the API's own shape, and register it again.")
            { ParameterName = "Sandbox", Provider = InvoiceProviderKind.Defined };
        }

        return _sandbox;
    }

    /// <inheritdoc />
    public override Uri? DefaultBaseUriFor(ConnectionOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (!string.IsNullOrWhiteSpace(options.BaseUri))
        {
            // -BaseUri replaces the definition's address, placeholders and all.
            return null;
        }

        var values = CheckSettings(options.DefinedSettings, sandbox: false);
        var text = Fill(Definition.BaseUri, values, "BaseUri", inUri: true);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <inheritdoc />
    public override ProviderConfiguration ConfigureConnection(ConnectionOptions options, SandboxAccount? sandbox)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var values = CheckSettings(options.DefinedSettings, sandbox is not null);
        // A header made of optional settings that were not given is left out, not sent empty.
        var headers = Definition.Headers
            .Where(h => ProviderDefinition.PlaceholdersIn(h.Value).All(n => values.TryGetValue(n, out var v) && v.Length > 0))
            .ToDictionary(h => h.Key, h => Fill(h.Value, values, $"Headers['{h.Key}']", inUri: false), StringComparer.OrdinalIgnoreCase);
        var user = Definition.Authentication.User is { } template ? Fill(template, values, "Authentication.User", inUri: false) : null;
        return new DefinedConfiguration(values, headers, user);
    }

    /// <summary>The first setting the definition declares that the connection gives (Harvest's AccountId, Chargebee's Site): Harvest-123456.</summary>
    public override string? AccountLabel(ConnectionOptions options) =>
        options?.DefinedSettings is { Count: > 0 } given ? Definition.Settings.Select(s => Given(given, s.Name)?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v)) : null;

    /// <summary>The value given for the setting <paramref name="name"/>, its name compared without case whatever the dictionary's comparer.</summary>
    private static string? Given(IDictionary<string, string> given, string name) =>
        given.TryGetValue(name, out var exact) ? exact : given.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <inheritdoc />
    public override Uri ListEndpoint(IProviderConnection connection) =>
        QueryString.Append(Endpoint(connection, Definition.ListPath), Definition.ListParameters);

    /// <inheritdoc />
    public override Uri ItemEndpoint(IProviderConnection connection, string id) =>
        Endpoint(connection, (Definition.ItemPath ?? throw new InvalidOperationException($"{Definition.DisplayName} has no single-invoice endpoint.")).Replace("{id}", Uri.EscapeDataString(id)));

    /// <inheritdoc />
    public override void ApplyCredentials(HttpRequestMessage request, string secret, ProviderConfiguration configuration)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var auth = Definition.Authentication;
        switch (auth.Type)
        {
            case DefinedAuthenticationType.Bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                break;
            case DefinedAuthenticationType.Header:
                request.Headers.Remove(auth.Name!);
                request.Headers.TryAddWithoutValidation(auth.Name!, secret);
                break;
            case DefinedAuthenticationType.Basic:
                var pair = auth.KeyIsPassword ? $"{((DefinedConfiguration)configuration).User}:{secret}" : $"{secret}:";
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
                break;
            case DefinedAuthenticationType.Query:
                // Written on each attempt: a retry reuses the request, so the parameter replaces itself.
                request.RequestUri = QueryString.Merge(request.RequestUri!, new[] { new KeyValuePair<string, string>(auth.Name!, secret) });
                break;
        }
    }

    /// <inheritdoc />
    public override void PrepareRequest(HttpRequestMessage request, IProviderConnection connection)
    {
        base.PrepareRequest(request, connection);
        foreach (var header in ((DefinedConfiguration)(connection ?? throw new ArgumentNullException(nameof(connection))).Configuration).Headers)
        {
            request!.Headers.Remove(header.Key);
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <inheritdoc />
    public override InvoicePage ParsePage(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {
        var now = (connection ?? throw new ArgumentNullException(nameof(connection))).Now;
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Http.ResponseReader.MaxJsonDepth });
        var root = document.RootElement;
        if (!Path(Definition.Items).TryEvaluate(root, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException(Definition.Items == "$" ? $"the answer is a JSON {Kind(root)}, not the array of invoices the definition expects (List.Items '$')" : $"the answer has no array of invoices at '{Definition.Items}' (List.Items)");
        }

        var items = new List<Invoice>(array.GetArrayLength());
        var raws = RawItems(body.Span, Path(Definition.Items));
        var index = 0;
        var fieldReads = new FieldReadLog();
        using (fieldReads.Activate())
        {
            foreach (var item in array.EnumerateArray())
            {
                items.Add(Map(item, now, raws is not null && index < raws.Count ? raws[index] : null));
                fieldReads.EndItem();
                index++;
            }
        }

        var paging = Definition.Paging;
        return new InvoicePage(items)
        {
            FieldReads = fieldReads,
            TotalCount = Number(root, paging.Total, "Paging.Total"),

            // The API's number for its last page; counted from 1 here whatever FirstPage is (a 0-based API's last page 2 is the third).
            LastPage = Number(root, paging.LastPage, "Paging.LastPage") is long last ? (int)Math.Min(last - paging.FirstPage + 1, int.MaxValue) : null,
            HasMore = paging.HasMore is { } hasMore && Path(hasMore).TryEvaluate(root, out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False ? flag.GetBoolean() : null,
            NextLink = paging.Type == DefinedPagingType.NextLink ? TextAt(root, paging.Next) : null,
            NextCursor = paging.NextCursor is { } cursor ? TextAt(root, cursor) : null,
        };
    }

    /// <inheritdoc />
    public override InvoicePage WithResponse(InvoicePage page, HttpResponseMessage response)
    {
        if (Definition.Paging.Type != DefinedPagingType.LinkHeader || page is null || response is null)
        {
            return page!;
        }

        var next = response.Headers.TryGetValues("Link", out var values) ? NextFromLinkHeader(values) : null;
        return new InvoicePage(page.Items) { NextLink = next, FieldReads = page.FieldReads };
    }

    /// <summary>The URL of the rel="next" link among Link header values (RFC 8288), or null.</summary>
    internal static string? NextFromLinkHeader(IEnumerable<string> values)
    {
        // A link's URL is between < and > and may hold commas; its parameters run to the next link's '<'.
        foreach (Match link in values.SelectMany(v => LinkValue.Matches(v).Cast<Match>()))
        {
            if (Regex.IsMatch(link.Groups[2].Value, @";\s*rel\s*=\s*""?([^"";]*\s)?next(\s[^"";]*)?""?\s*(;|,|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                return link.Groups[1].Value;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override Invoice ParseItem(ReadOnlyMemory<byte> body, IProviderConnection connection)
    {
        var now = (connection ?? throw new ArgumentNullException(nameof(connection))).Now;
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Http.ResponseReader.MaxJsonDepth });
        if (!Path(Definition.ItemObject).TryEvaluate(document.RootElement, out var item) || item.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"the answer has no invoice object at '{Definition.ItemObject}' (Item.Object)");
        }

        return Map(item, now);
    }

    /// <inheritdoc />
    protected override bool PlanNumber(string number, QueryPlan plan, IProviderConnection connection)
    {
        if (!Definition.Filters.TryGetValue("Number", out var filter))
        {
            return false;
        }

        plan!.AddServerFilter(filter.Parameter, number, $"{filter.Parameter}={number}");
        return true;
    }

    /// <inheritdoc />
    protected override void PlanFilters(InvoiceQuery query, QueryPlan plan, IProviderConnection connection)
    {
        if (query is null || plan is null)
        {
            throw new ArgumentNullException(query is null ? nameof(query) : nameof(plan));
        }

        foreach (var (filter, field) in new[] { ("CreatedAfter", "CreatedAt"), ("CreatedBefore", "CreatedAt"), ("ExternalId", "ExternalId") })
        {
            if (QueryFilter.Named(filter).IsSet(query) && !Definition.Fields.ContainsKey(field))
            {
                throw new InvoiceConfigurationException(
                    $"-{filter} needs each invoice's {field}, which the definition of {Definition.DisplayName} does not map.",
                    $"Drop -{filter}, or map Invoice.{field} in {Definition.File}.")
                { ParameterName = filter, Provider = InvoiceProviderKind.Defined };
            }
        }

        if (query.Statuses.Count > 0)
        {
            var asked = Definition.OverdueAfterDueDate ? query.Statuses.Select(s => s == InvoiceStatus.Overdue ? InvoiceStatus.Open : s).Distinct().ToList() : query.Statuses.ToList();
            var words = ProviderStatusesFor(asked, plan);
            var onServer = false;
            if (words is { Count: 1 } && Definition.Filters.TryGetValue("Status", out var status))
            {
                plan.AddServerFilter(status.Parameter, words[0], $"{status.Parameter}={words[0]}");
                onServer = true;
            }
            else if (words is { Count: > 1 } && Definition.Filters.ContainsKey("Status"))
            {
                plan.AddNote($"{Definition.DisplayName} filters one status word at a time, so the statuses asked for ({string.Join(", ", words)}) are filtered here");
            }

            // The server's word is the status, unless Overdue is worked out here from an open invoice's due date.
            if (!onServer || Definition.OverdueAfterDueDate)
            {
                AddClientStatusFilter(query.Statuses, plan);
            }
        }

        if (query.CreatedAfter is DateTimeOffset after && Definition.Filters.TryGetValue("CreatedAfter", out var from))
        {
            var text = WriteDate(after, from.Format, roundUp: false);
            plan.AddServerFilter(from.Parameter, text, $"{from.Parameter}={text}");
        }

        if (query.CreatedBefore is DateTimeOffset before && Definition.Filters.TryGetValue("CreatedBefore", out var to))
        {
            // Rounded up to the format's precision: a bound cut to whole seconds or days would drop invoices the module keeps.
            var text = WriteDate(before, to.Format, roundUp: true);
            plan.AddServerFilter(to.Parameter, text, $"{to.Parameter}={text}");
        }

        AddClientCreatedFilter(query.CreatedAfter, query.CreatedBefore, plan);
        if (!string.IsNullOrWhiteSpace(query.Customer) && !IsWildcard(query.Customer!) && Definition.Filters.TryGetValue("Customer", out var customer))
        {
            plan.AddServerFilter(customer.Parameter, query.Customer!.Trim(), $"{customer.Parameter}={query.Customer.Trim()}");
        }

        AddClientCustomerFilter(query.Customer, plan);
        if (!string.IsNullOrEmpty(query.ExternalId) && Definition.Filters.TryGetValue("ExternalId", out var external))
        {
            plan.AddServerFilter(external.Parameter, query.ExternalId!, $"{external.Parameter}={query.ExternalId}");
        }
        else
        {
            AddClientExternalIdFilter(query.ExternalId, plan);
        }
    }

    /// <summary>An instant as a filter writes it: ISO 8601 in UTC, Unix seconds or milliseconds, or a .NET format in UTC.</summary>
    internal static string WriteDate(DateTimeOffset value, string format, bool roundUp)
    {
        var utc = value.ToUniversalTime();
        switch (format)
        {
            case DefinedFormats.UnixSeconds:
                var seconds = utc.ToUnixTimeSeconds();
                return (roundUp && utc > DateTimeOffset.FromUnixTimeSeconds(seconds) ? seconds + 1 : seconds).ToString(CultureInfo.InvariantCulture);
            case DefinedFormats.UnixMilliseconds:
                var milliseconds = utc.ToUnixTimeMilliseconds();
                return (roundUp && utc > DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) ? milliseconds + 1 : milliseconds).ToString(CultureInfo.InvariantCulture);
            case DefinedFormats.Iso8601:
                return utc.ToString(utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            default:
                var written = utc.ToString(format, CultureInfo.InvariantCulture);
                if (roundUp && DateTimeOffset.TryParseExact(written, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var back) && back < utc)
                {
                    // A day format cuts the time off: the next day keeps every invoice before the bound.
                    var step = format.IndexOf('H') >= 0 || format.IndexOf('h') >= 0 ? (format.IndexOf('m') >= 0 ? (format.IndexOf('s') >= 0 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1)) : TimeSpan.FromHours(1)) : TimeSpan.FromDays(1);
                    written = back.Add(step).ToString(format, CultureInfo.InvariantCulture);
                }

                return written;
        }
    }

    private Dictionary<string, string> CheckSettings(IDictionary<string, string> given, bool sandbox)
    {
        var declared = Definition.Settings;
        foreach (var name in given.Keys.Where(k => !declared.Any(s => s.Name.Equals(k, StringComparison.OrdinalIgnoreCase))))
        {
            throw new InvoiceConfigurationException(
                $"'{name}' is not a setting of {Definition.DisplayName}.",
                declared.Count == 0 ? $"{Definition.DisplayName} takes no -Setting." : $"-Setting takes {string.Join(", ", declared.Select(s => s.Name))} (from {Definition.File}).")
            { ParameterName = "Setting", Provider = InvoiceProviderKind.Defined };
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in declared)
        {
            if (Given(given, setting.Name) is not { } value || string.IsNullOrWhiteSpace(value))
            {
                if (setting.Required && !sandbox)
                {
                    throw new InvoiceConfigurationException(
                        $"{Definition.DisplayName} needs the setting {setting.Name}{(setting.Description is null ? string.Empty : $" ({setting.Description})")}.",
                        $"Add -Setting @{{ {setting.Name} = '...' }}.")
                    { ParameterName = "Setting", Provider = InvoiceProviderKind.Defined };
                }

                // A rehearsal fills a required setting with "sandbox", so its headers and Basic user look as they will; an
                // optional one not given stays empty, and a header made of it is left out.
                values[setting.Name] = sandbox && setting.Required ? "sandbox" : string.Empty;
                continue;
            }

            value = value.Trim();
            if (setting.Pattern is { } pattern && !Matches(value, pattern, setting.Name))
            {
                throw new InvoiceConfigurationException(
                    $"'{value}' is not a valid {setting.Name} for {Definition.DisplayName}{(setting.Description is null ? string.Empty : $": it is {setting.Description}")}.",
                    $"Give a value that matches {pattern}.")
                { ParameterName = "Setting", Provider = InvoiceProviderKind.Defined };
            }

            values[setting.Name] = value;
        }

        return values;
    }

    private bool Matches(string value, string pattern, string setting)
    {
        try
        {
            return Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (RegexMatchTimeoutException)
        {
            throw new InvoiceConfigurationException(
                $"The setting {setting} could not be checked against its Pattern in {Definition.File}: the pattern took too long on this value.",
                $"Simplify the Pattern of {setting} in {Definition.File} (a nested repetition such as (a+)+ is the usual cause), then register it again.")
            { ParameterName = "Setting", Provider = InvoiceProviderKind.Defined };
        }
    }

    /// <summary>Fills {Setting} placeholders; in a URI a value may only be letters, digits, '.', '_', '~' and '-', so no value can move the key to another host or path.</summary>
    private string Fill(string template, Dictionary<string, string> values, string where, bool inUri) =>
        ProviderDefinition.Placeholder.Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            var value = values.TryGetValue(name, out var given) ? given : string.Empty;
            if (inUri && (!UriSafe.IsMatch(value) || value.Trim('.').Length == 0))
            {
                throw new InvoiceConfigurationException(
                    value.Length == 0 ? $"{Definition.DisplayName}'s {where} needs the setting {name}." : $"The setting {name} ('{value}') cannot go into {Definition.DisplayName}'s address: it may hold letters, digits, '.', '_', '~' and '-' only, and not dots alone ('..' would move the address up a folder).",
                    $"Give -Setting @{{ {name} = '...' }} with the value as the provider's documentation shows it.")
                { ParameterName = "Setting", Provider = InvoiceProviderKind.Defined };
            }

            if (!inUri && value.Any(c => c < ' ' || c > '~'))
            {
                throw new InvoiceConfigurationException(
                    $"The setting {name} cannot go into {Definition.DisplayName}'s {where}: a header takes printable ASCII only.",
                    "Give the value without line breaks, accented letters or other characters outside printable ASCII.")
                { ParameterName = "Setting", Provider = InvoiceProviderKind.Defined };
            }

            return value;
        });

    private JsonPath Path(string text) => Definition.Paths[text];

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private long? Number(JsonElement root, string? path, string key)
    {
        if (path is null || !Path(path).TryEvaluate(root, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new FormatException($"{key} '{path}' is {Kind(value)} {value.GetRawText()}, not a whole number");
    }

    private string? TextAt(JsonElement root, string? path)
    {
        if (path is null || !Path(path).TryEvaluate(root, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>
    /// Each item's bytes as the answer holds them, for Raw, found with a reader that skips everything else (cheaper
    /// than writing each parsed item back out as text); null when the items path has an index, and Raw is then
    /// written from the parsed item.
    /// </summary>
    private static List<byte[]>? RawItems(ReadOnlySpan<byte> body, JsonPath items)
    {
        if (!items.IsMemberChain)
        {
            return null;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = Http.ResponseReader.MaxJsonDepth });
        if (!reader.Read())
        {
            return null;
        }

        foreach (var member in items.Members)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !Find(ref reader, member))
            {
                return null;
            }
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var raws = new List<byte[]>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            raws.Add(body.Slice(start, (int)reader.BytesConsumed - start).ToArray());
        }

        return raws;
    }

    /// <summary>Moves the reader, at an object's start, to the value of its member <paramref name="name"/>; false when it has none.</summary>
    private static bool Find(ref Utf8JsonReader reader, string name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private Invoice Map(JsonElement item, DateTimeOffset now, byte[]? raw = null)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"an invoice in the list is a JSON {Kind(item)}, not an object");
        }

        var fields = Definition.Fields;
        var id = Text(item, fields, "Id");
        if (string.IsNullOrEmpty(id))
        {
            throw new JsonException($"an invoice has no Id at '{fields["Id"].Path}' (Invoice.Id)");
        }

        var currency = (Text(item, fields, "Currency") ?? Definition.DefaultCurrency)?.ToUpperInvariant();
        var word = Text(item, fields, "Status");
        var status = _descriptor.MapStatus(word);
        var due = Date(item, fields, "DueDate");
        if (Definition.OverdueAfterDueDate && status == InvoiceStatus.Open && due is DateTimeOffset dueDate && dueDate < now)
        {
            status = InvoiceStatus.Overdue;
        }

        var total = Money(item, fields, "Total", currency);
        var lines = LineItems(item, id!, Text(item, fields, "Number"), currency);
        return new Invoice
        {
            Provider = Definition.Name,
            Id = id!,
            Number = Text(item, fields, "Number"),
            ExternalId = Text(item, fields, "ExternalId"),
            Status = status,
            ProviderStatus = word,
            Currency = currency,
            Subtotal = Money(item, fields, "Subtotal", currency),
            Tax = Money(item, fields, "Tax", currency),
            Total = total,
            AmountDue = fields.ContainsKey("AmountDue") ? Money(item, fields, "AmountDue", currency) : status switch
            {
                InvoiceStatus.Open or InvoiceStatus.Overdue => total,
                InvoiceStatus.Paid or InvoiceStatus.Void or InvoiceStatus.Refunded or InvoiceStatus.Uncollectible => total is null ? null : 0m,
                _ => null,
            },
            AmountPaid = Money(item, fields, "AmountPaid", currency),
            CustomerId = Text(item, fields, "CustomerId"),
            CustomerName = Text(item, fields, "CustomerName"),
            CustomerEmail = Text(item, fields, "CustomerEmail"),
            Description = Text(item, fields, "Description"),
            CreatedAt = Date(item, fields, "CreatedAt"),
            IssuedAt = Date(item, fields, "IssuedAt"),
            DueDate = due,
            PaidAt = Date(item, fields, "PaidAt"),
            UpdatedAt = Date(item, fields, "UpdatedAt"),
            LineItems = lines,
            Raw = new RawRecord(raw ?? Encoding.UTF8.GetBytes(item.GetRawText())),
        };
    }

    private InvoiceLineItemCollection LineItems(JsonElement item, string id, string? number, string? currency)
    {
        if (!Definition.Fields.TryGetValue("LineItems", out var field) || !Path(field.Path).TryEvaluate(item, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return InvoiceLineItemCollection.Empty;
        }

        var fields = Definition.LineItem;
        var lines = new List<InvoiceLineItem>();
        foreach (var line in array.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.Object))
        {
            var lineCurrency = Text(line, fields, "Currency")?.ToUpperInvariant() ?? currency;
            lines.Add(new InvoiceLineItem
            {
                Provider = Definition.Name,
                InvoiceId = id,
                InvoiceNumber = number,
                Id = Text(line, fields, "Id"),
                Name = Text(line, fields, "Name"),
                Description = Text(line, fields, "Description"),
                Quantity = Decimal(line, fields, "Quantity", "Invoice.LineItem.Quantity"),
                UnitPrice = Money(line, fields, "UnitPrice", lineCurrency, "Invoice.LineItem."),
                Amount = Money(line, fields, "Amount", lineCurrency, "Invoice.LineItem."),
                Currency = lineCurrency,
            });
        }

        return lines.Count == 0 ? InvoiceLineItemCollection.Empty : new InvoiceLineItemCollection(lines);
    }

    /// <summary>
    /// A value that does not fit its field (text where Total is a number, a date in another format) leaves the field
    /// empty, as the built-in providers do: the page is kept, the engine warns once per run naming the field, and the
    /// value stays in Raw.
    /// </summary>
    private static string? Dropped(string path, string key)
    {
        FieldReadLog.Dropped($"{path} ({key})");
        return null;
    }

    private static T? Dropped<T>(string path, string key)
        where T : struct
    {
        FieldReadLog.Dropped($"{path} ({key})");
        return null;
    }

    private bool TryValue(JsonElement item, IReadOnlyDictionary<string, FieldDefinition> fields, string name, out JsonElement value, out FieldDefinition? field)
    {
        value = default;
        return fields.TryGetValue(name, out field) && (field.Compiled ?? Path(field.Path)).TryEvaluate(item, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private string? Text(JsonElement item, IReadOnlyDictionary<string, FieldDefinition> fields, string name)
    {
        if (!TryValue(item, fields, name, out var value, out _))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => Dropped(fields[name].Path, $"Invoice.{name}"),
        };
    }

    private decimal? Decimal(JsonElement item, IReadOnlyDictionary<string, FieldDefinition> fields, string name, string key)
    {
        if (!TryValue(item, fields, name, out var value, out var field))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
        {
            return null;
        }

        return Dropped<decimal>(field!.Path, key);
    }

    private decimal? Money(JsonElement item, IReadOnlyDictionary<string, FieldDefinition> fields, string name, string? currency, string prefix = "Invoice.")
    {
        var amount = Decimal(item, fields, name, prefix + name);
        if (amount is not decimal value)
        {
            return null;
        }

        var digits = Currency.MinorUnitExponent(currency);
        if (fields[name].MinorUnits)
        {
            // A whole number of cents is exact in major units: 1250 is 12.50, 22000 yen is 22000, not 22000.0.
            value = value == decimal.Truncate(value) ? decimal.Round(Currency.ToMajorUnits(value, currency), digits) : Currency.ToMajorUnits(value, currency);
        }

        return Currency.WithScale(value, digits);
    }

    private DateTimeOffset? Date(JsonElement item, IReadOnlyDictionary<string, FieldDefinition> fields, string name)
    {
        if (!TryValue(item, fields, name, out var value, out var field))
        {
            return null;
        }

        var format = field!.Format ?? DefinedFormats.Iso8601;
        if (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
        {
            return null;
        }

        if (format is DefinedFormats.UnixSeconds or DefinedFormats.UnixMilliseconds)
        {
            long number;
            var read = value.ValueKind == JsonValueKind.Number ? value.TryGetInt64(out number) : long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
            if (!read)
            {
                return Dropped<DateTimeOffset>(field.Path, $"Invoice.{name}");
            }

            // 0 is how several APIs write "no date" in Unix time; milliseconds read as seconds fall beyond year 9999.
            try
            {
                return number == 0 ? null : format == DefinedFormats.UnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(number) : DateTimeOffset.FromUnixTimeMilliseconds(number);
            }
            catch (ArgumentOutOfRangeException)
            {
                return Dropped<DateTimeOffset>(field.Path, $"Invoice.{name}");
            }
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        var styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
        var parsed = format == DefinedFormats.Iso8601
            ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var instant)
            : DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, styles, out instant);
        if (!parsed)
        {
            return Dropped<DateTimeOffset>(field.Path, $"Invoice.{name}");
        }

        // Read as UTC above; a definition's zone moves times written without an offset to their real instant.
        var hasOffset = format == DefinedFormats.Iso8601 ? HasOffset(text) : format.IndexOf('z') >= 0 || format.IndexOf('K') >= 0;
        try
        {
            return (hasOffset ? instant : new DateTimeOffset(instant.UtcDateTime.Ticks, TimeSpan.Zero).Subtract(field.TimeZone)).ToUniversalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            // 0001-01-01 moved by the zone falls outside the calendar.
            return Dropped<DateTimeOffset>(field.Path, $"Invoice.{name}");
        }
    }

    /// <summary>True when ISO 8601 text ends in a zone: Z, +02, +0200 or +02:00 after its time.</summary>
    internal static bool HasOffset(string text)
    {
        var t = text.TrimEnd();
        var time = t.IndexOfAny(TimeSeparators);
        if (time < 0)
        {
            return false;
        }

        if (t.EndsWith("Z", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var sign = t.LastIndexOfAny(Signs);
        return sign > time && t.Length - sign is 3 or 5 or 6;
    }

    private static readonly char[] TimeSeparators = { 'T', 't', ' ' };
    private static readonly char[] Signs = { '+', '-' };

    private static string DatesInWords(ProviderDefinition definition)
    {
        var zones = definition.Fields.Values.Where(f => f.Format is not null).Select(f => f.TimeZone).Distinct().ToList();
        var zone = zones.Count == 1 && zones[0] == TimeSpan.Zero ? "UTC" : string.Join(", ", zones.Select(z => z == TimeSpan.Zero ? "UTC" : (z < TimeSpan.Zero ? "-" : "+") + z.ToString(@"hh\:mm", CultureInfo.InvariantCulture)));
        return $"{zone}, as the definition says (the TimeZone of its date fields, in {definition.File}).";
    }
}

/// <summary>A defined provider's connection: its settings, and its headers and Basic user with them filled in.</summary>
internal sealed class DefinedConfiguration : ProviderConfiguration
{
    public DefinedConfiguration(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> headers, string? user)
    {
        Shown = settings.Where(p => p.Value.Length > 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        Headers = headers;
        User = user;
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Shown { get; }

    /// <summary>The constant headers, filled.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Basic with the key as the password: the user, filled.</summary>
    public string? User { get; }
}
