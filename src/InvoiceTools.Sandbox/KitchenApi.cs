using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace InvoiceTools.Sandbox;

/// <summary>
/// Emulates Kitchen's <c>GET /api/invoices</c>: Bearer auth (a redirect to the login page unless the client asks
/// for JSON), <c>state</c> all/active/archived (default active), <c>per_page</c> 1–100 (default 20), Laravel
/// length-aware pages newest first, and Laravel's JSON errors.
/// </summary>
public sealed class KitchenApi : SandboxApi
{
    /// <summary>The path segment the API is mounted under.</summary>
    public const string ApiName = "kitchen";

    /// <summary>The API key the emulator accepts.</summary>
    public const string ApiKey = "kitchen_sandbox_5e8f21a7c3";

    private static readonly string[] States = { "all", "active", "archived" };
    private static readonly string[] Currencies = { "USD", "USD", "EUR", "GBP" };
    private readonly List<KitchenRecord> _invoices;
    private readonly SampleData _extra;
    private readonly DateTimeOffset _today;
    private int _sequence;

    /// <summary>Creates the emulator with its generated data set.</summary>
    public KitchenApi(SandboxOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var data = new SampleData(options.Seed + 11);
        _today = options.Today;
        var start = options.Moved(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var spacing = (_today - start).Ticks / Math.Max(1, options.KitchenInvoiceCount);
        _invoices = Enumerable.Range(1, options.KitchenInvoiceCount).Select(n => Generate(data, n, start.AddTicks(spacing * (n - 1)), _today)).ToList();
        _invoices.Sort((a, b) => b.CreatedAt != a.CreatedAt ? b.CreatedAt.CompareTo(a.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        _extra = new SampleData(options.Seed + 12);
        _sequence = options.KitchenInvoiceCount;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> AddNewest(int count)
    {
        var added = new List<string>();
        for (var k = 0; k < count; k++)
        {
            var record = Generate(_extra, ++_sequence, (_invoices.Count == 0 ? _today : _invoices[0].CreatedAt).AddHours(2), _today);
            _invoices.Insert(0, record);
            added.Add(record.Id);
        }

        return added;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> RemoveNewest(int count) => RemoveFirst(_invoices, count, i => i.Id);

    /// <inheritdoc />
    public override string Name => ApiName;

    /// <inheritdoc />
    public override string AcceptedKey => ApiKey;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> AccountSettings { get; } = new Dictionary<string, string> { ["Workspace"] = "sandbox" };

    /// <summary>Real-API variant: next links are absolute URLs (the excerpt shows root-relative ones).</summary>
    public bool AbsoluteLinks { get; set; }

    /// <summary>Laravel's default drops every query parameter but <c>page</c> from its links; true keeps them (appends()).</summary>
    public bool LinksKeepQuery { get; set; }

    /// <summary>Fault: the next link points at another host.</summary>
    public string? ForeignNextLinkHost { get; set; }

    /// <summary>Legacy-docs variant: totals spelled total_mount and tax_mount.</summary>
    public bool LegacySpelling { get; set; }

    /// <summary>Invoices in the account, archived included.</summary>
    public int Count => _invoices.Count;

    /// <inheritdoc />
    public override SandboxResponse Handle(SandboxRequest request, string localPath)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var requested = localPath.TrimEnd('/');
        var item = requested.StartsWith("/api/invoices/", StringComparison.Ordinal) ? requested.Substring("/api/invoices/".Length) : null;
        if (requested != "/api/invoices" && item is null)
        {
            return SandboxResponse.JsonObject(404, ("message", "Not Found"));
        }

        var wantsJson = (request.Header("Accept") ?? string.Empty).IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0
            || request.Header("X-Requested-With") == "XMLHttpRequest";
        if (request.Header("Authorization") != "Bearer " + ApiKey)
        {
            if (!wantsJson)
            {
                var redirect = SandboxResponse.Text(302, "<html><body>Redirecting to <a href=\"/login\">/login</a></body></html>", "text/html; charset=UTF-8");
                redirect.Headers["Location"] = "/login";
                return redirect;
            }

            return SandboxResponse.JsonObject(401, ("message", "Unauthenticated."));
        }

        if (item is not null)
        {
            // Laravel API resources wrap a single model in "data".
            var found = _invoices.FirstOrDefault(i => i.Id == item);
            return found is null
                ? SandboxResponse.JsonObject(404, ("message", "Invoice not found."))
                : SandboxResponse.Json(200, w =>
                {
                    w.WriteStartObject();
                    w.WritePropertyName("data");
                    Write(w, found, LegacySpelling);
                    w.WriteEndObject();
                });
        }

        var state = request.QueryValue("state") ?? "active";
        if (Array.IndexOf(States, state) < 0)
        {
            return Laravel.ValidationError("state", "The selected state is invalid.");
        }

        var perPage = 20;
        var perPageText = request.QueryValue("per_page") ?? request.QueryValue("limit");
        if (perPageText is not null && (!int.TryParse(perPageText, NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || perPage < 1 || perPage > 100))
        {
            return Laravel.ValidationError("per_page", "The per page field must be between 1 and 100.");
        }

        var page = 1;
        var pageText = request.QueryValue("page");
        if (pageText is not null && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return Laravel.ValidationError("page", "The page field must be at least 1.");
        }

        var matches = _invoices.Where(i => state == "all" || (state == "archived") == (i.ArchivedAt is not null)).ToList();
        var lastPage = Math.Max(1, (matches.Count + perPage - 1) / perPage);
        var items = matches.Skip((page - 1) * perPage).Take(perPage).ToList();
        var path = "/" + ApiName + "/api/invoices";
        var root = request.Uri.GetLeftPart(UriPartial.Authority);
        string Link(int number)
        {
            var query = "page=" + number.ToString(CultureInfo.InvariantCulture);
            if (LinksKeepQuery)
            {
                query = "state=" + state + "&per_page=" + perPage.ToString(CultureInfo.InvariantCulture) + "&" + query;
            }

            return (AbsoluteLinks ? root : string.Empty) + path + "?" + query;
        }

        return SandboxResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var invoice in items)
            {
                Write(w, invoice, LegacySpelling);
            }

            w.WriteEndArray();
            w.WriteStartObject("links");
            w.WriteString("first", Link(1));
            w.WriteString("last", Link(lastPage));
            WriteNullable(w, "prev", page > 1 ? Link(page - 1) : null);
            WriteNullable(w, "next", page < lastPage ? (ForeignNextLinkHost is { } host ? "https://" + host + path + "?page=" + (page + 1).ToString(CultureInfo.InvariantCulture) : Link(page + 1)) : null);
            w.WriteEndObject();
            w.WriteStartObject("meta");
            w.WriteNumber("current_page", page);
            WriteNullable(w, "from", items.Count > 0 ? ((page - 1) * perPage) + 1 : null);
            w.WriteNumber("last_page", lastPage);
            w.WriteStartArray("links");
            w.WriteEndArray();
            w.WriteString("path", (AbsoluteLinks ? root : string.Empty) + path);
            w.WriteNumber("per_page", perPage);
            WriteNullable(w, "to", items.Count > 0 ? ((page - 1) * perPage) + items.Count : null);
            w.WriteNumber("total", matches.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static void Write(Utf8JsonWriter w, KitchenRecord i, bool legacySpelling)
    {
        var subtotal = i.Items.Sum(x => x.Amount);
        var tax = Math.Round(subtotal * i.TaxRate, 2);
        w.WriteStartObject();
        WriteNullable(w, "archived_at", i.ArchivedAt is { } archived ? Iso(archived) : null);
        w.WriteNumber("amount", subtotal);
        w.WriteString("billing_profile", "bp_" + i.Id.Substring(3, 12));
        w.WriteBoolean("charge_automatically", false);
        w.WriteString("client", "u_" + i.Customer.Index.ToString("x8", CultureInfo.InvariantCulture) + "a0c4d9e1b2f3a4b5");
        w.WriteString("created_at", Iso(i.CreatedAt));
        w.WriteString("currency", i.Currency);
        w.WriteNumber("discount_amount", 0);
        w.WriteStartArray("discounts");
        w.WriteEndArray();
        w.WriteString("due_date", Iso(i.DueDate));
        w.WriteString("id", i.Id);
        w.WriteString("issue_date", Iso(i.CreatedAt.Date));
        w.WriteStartArray("items");
        foreach (var item in i.Items)
        {
            w.WriteStartObject();
            w.WriteNumber("amount", item.Amount);
            w.WriteString("currency", i.Currency);
            w.WriteString("description", item.Description);
            w.WriteString("id", item.Id);
            w.WriteString("quantity", item.Quantity.ToString("0.00", CultureInfo.InvariantCulture));
            w.WriteString("title", item.Title);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("memo", "Thanks for working with us, " + i.Customer.FirstName + "!");
        w.WriteString("number", i.Number);
        WriteNullable(w, "paid_at", i.PaidAt is { } paid ? Iso(paid) : null);
        w.WriteString("status", i.Status);
        w.WriteStartArray("tax_items");
        if (tax > 0)
        {
            w.WriteStartObject();
            w.WriteNumber("amount", tax);
            w.WriteString("currency", i.Currency);
            w.WriteString("id", "invti_" + i.Id.Substring(3, 20));
            w.WriteString("title", "VAT " + (i.TaxRate * 100).ToString("0", CultureInfo.InvariantCulture) + "%");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("shipping_amount", 0);
        w.WriteNumber(legacySpelling ? "total_mount" : "total_amount", subtotal + tax);
        w.WriteString("type", "invoice");
        w.WriteString("updated_at", Iso(i.PaidAt ?? i.CreatedAt));
        WriteNullable(w, "voided_at", i.Status == "void" ? Iso(i.CreatedAt.AddDays(3)) : null);
        w.WriteString("visibility", "shared");
        w.WriteEndObject();
    }

    private static KitchenRecord Generate(SampleData data, int n, DateTimeOffset created, DateTimeOffset today)
    {
        created = created.AddSeconds(data.Next(0, 3600));
        created = new DateTimeOffset(created.Year, created.Month, created.Day, created.Hour, created.Minute, created.Second, TimeSpan.Zero);
        var customer = SampleData.Customer(data.Next(SampleData.CustomerCount));
        var items = data.Lines().Select((l, k) => new KitchenItem("invi_" + data.NextGuid().ToString("N").Substring(0, 24), l.Name, "Line " + (k + 1).ToString(CultureInfo.InvariantCulture), l.Quantity, l.UnitMinor * l.Quantity / 100m)).ToList();
        var due = created.AddDays(new[] { 7, 14, 30 }[data.Next(3)]);
        var roll = data.NextDouble();
        var status = roll < 0.05 ? "draft" : roll < 0.10 ? "void" : roll < 0.13 ? "uncollectible" : due < today && roll < 0.85 ? "paid" : "open";
        return new KitchenRecord
        {
            Id = "in_" + data.NextGuid().ToString("N").Substring(0, 24),
            Number = "PREFIX-" + n.ToString("D5", CultureInfo.InvariantCulture),
            CreatedAt = created,
            DueDate = new DateTimeOffset(due.Year, due.Month, due.Day, 23, 59, 59, TimeSpan.Zero),
            Status = status,
            PaidAt = status == "paid" ? SandboxApi.Earlier(created.AddDays(data.Next(1, 20)), today) : null,
            ArchivedAt = n % 7 == 0 ? created.AddDays(40) : null,
            Currency = Currencies[data.Next(Currencies.Length)],
            TaxRate = new[] { 0m, 0.07m, 0.2m }[data.Next(3)],
            Customer = customer,
            Items = items,
        };
    }

    private sealed class KitchenRecord
    {
        public string Id { get; set; } = string.Empty;

        public string Number { get; set; } = string.Empty;

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset DueDate { get; set; }

        public string Status { get; set; } = string.Empty;

        public DateTimeOffset? PaidAt { get; set; }

        public DateTimeOffset? ArchivedAt { get; set; }

        public string Currency { get; set; } = string.Empty;

        public decimal TaxRate { get; set; }

        public SampleCustomer Customer { get; set; } = null!;

        public List<KitchenItem> Items { get; set; } = new();
    }

    private sealed record KitchenItem(string Id, string Title, string Description, int Quantity, decimal Amount);
}
