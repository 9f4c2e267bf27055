using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace InvoiceTools.Sandbox;

/// <summary>
/// Emulates an Opterius Commerce installation's <c>GET /api/v1/invoices</c>. By default it serves the documented
/// contract (page/per_page with meta, integer minor units, currency_code, 422 for an unknown status); with
/// <see cref="RealShape"/> it serves what the published server code does (every invoice at once, no meta, decimal
/// major units, currency, paid_date, an empty list for an unknown status, {"error": ...} on 401).
/// </summary>
public sealed class OpteriusApi : SandboxApi
{
    /// <summary>The path segment the API is mounted under.</summary>
    public const string ApiName = "opterius";

    /// <summary>The token the emulator accepts.</summary>
    public const string Token = "opterius_sandbox_4c2d9e71ab";

    private static readonly string[] DocumentedFilter = { "unpaid", "paid", "overdue", "cancelled" };
    private static readonly string[] Currencies = { "USD", "USD", "EUR", "JPY", "KWD" };
    private readonly List<OpteriusRecord> _invoices;
    private readonly SampleData _extra;
    private readonly DateTimeOffset _today;
    private int _sequence;

    /// <summary>Creates the emulator with its generated data set.</summary>
    public OpteriusApi(SandboxOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var data = new SampleData(options.Seed + 23);
        _today = options.Today;
        var start = options.Moved(new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero));
        var spacing = (_today - start).Ticks / Math.Max(1, options.OpteriusInvoiceCount);
        _invoices = Enumerable.Range(1, options.OpteriusInvoiceCount).Select(n => Generate(data, n, start.AddTicks(spacing * (n - 1)), _today)).ToList();
        _invoices.Sort((a, b) => b.CreatedAt != a.CreatedAt ? b.CreatedAt.CompareTo(a.CreatedAt) : b.Id.CompareTo(a.Id));
        _extra = new SampleData(options.Seed + 24);
        _sequence = options.OpteriusInvoiceCount;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> AddNewest(int count)
    {
        var added = new List<string>();
        for (var k = 0; k < count; k++)
        {
            var record = Generate(_extra, ++_sequence, (_invoices.Count == 0 ? _today : _invoices[0].CreatedAt).AddHours(2), _today);
            _invoices.Insert(0, record);
            added.Add(record.Id.ToString(CultureInfo.InvariantCulture));
        }

        return added;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> RemoveNewest(int count) => RemoveFirst(_invoices, count, i => i.Id.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public override string Name => ApiName;

    /// <inheritdoc />
    public override string AcceptedKey => Token;

    /// <summary>Serve what the published server code (v2.7.0) does instead of the documented contract.</summary>
    public bool RealShape { get; set; }

    /// <summary>Invoices in the installation.</summary>
    public int Count => _invoices.Count;

    /// <inheritdoc />
    public override SandboxResponse Handle(SandboxRequest request, string localPath)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var path = localPath.TrimEnd('/');
        var item = path.StartsWith("/api/v1/invoices/", StringComparison.Ordinal) ? path.Substring("/api/v1/invoices/".Length) : null;
        if (path != "/api/v1/invoices" && item is null)
        {
            return SandboxResponse.JsonObject(404, ("message", "Not Found"));
        }

        if (request.Header("Authorization") != "Bearer " + Token)
        {
            return RealShape ? SandboxResponse.JsonObject(401, ("error", "Invalid or expired token.")) : SandboxResponse.JsonObject(401, ("message", "Unauthenticated."));
        }

        if (item is not null)
        {
            // The published server code (findOrFail) answers the bare invoice; a Laravel API resource would wrap it in data.
            var found = int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? _invoices.FirstOrDefault(i => i.Id == id) : null;
            if (found is null)
            {
                return SandboxResponse.JsonObject(404, ("message", "No query results for model [App\\Models\\Invoice] " + item));
            }

            return SandboxResponse.Json(200, w =>
            {
                if (!RealShape)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("data");
                }

                Write(w, found, RealShape);
                if (!RealShape)
                {
                    w.WriteEndObject();
                }
            });
        }

        var status = request.QueryValue("status");
        if (status is not null && !RealShape && Array.IndexOf(DocumentedFilter, status) < 0)
        {
            return Laravel.ValidationError("status", "The selected status is invalid.");
        }

        var matches = _invoices.Where(i => status is null || i.Status == status).ToList();
        if (RealShape)
        {
            return SandboxResponse.Json(200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("data");
                foreach (var invoice in matches)
                {
                    Write(w, invoice, realShape: true);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }

        var perPage = 15;
        var perPageText = request.QueryValue("per_page");
        if (perPageText is not null && (!int.TryParse(perPageText, NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || perPage < 1 || perPage > 100))
        {
            return Laravel.ValidationError("per_page", "The per page may not be greater than 100.");
        }

        var page = 1;
        var pageText = request.QueryValue("page");
        if (pageText is not null && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return Laravel.ValidationError("page", "The page must be at least 1.");
        }

        var lastPage = Math.Max(1, (matches.Count + perPage - 1) / perPage);
        return SandboxResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var invoice in matches.Skip((page - 1) * perPage).Take(perPage))
            {
                Write(w, invoice, realShape: false);
            }

            w.WriteEndArray();
            w.WriteStartObject("meta");
            w.WriteNumber("current_page", page);
            w.WriteNumber("last_page", lastPage);
            w.WriteNumber("per_page", perPage);
            w.WriteNumber("total", matches.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void Write(Utf8JsonWriter w, OpteriusRecord i, bool realShape)
    {
        var due = i.Status is "unpaid" or "overdue" ? i.Total : 0;
        w.WriteStartObject();
        w.WriteNumber("id", i.Id);
        w.WriteString("invoice_number", "INV-" + i.Id.ToString("D4", CultureInfo.InvariantCulture));
        w.WriteString("status", i.Status);
        foreach (var (name, minor) in new[] { ("subtotal", i.Subtotal), ("tax_amount", i.Tax), ("total", i.Total), ("amount_due", due) })
        {
            if (realShape)
            {
                // The server code divides by 100 whatever the currency.
                w.WriteNumber(name, minor / 100m);
            }
            else
            {
                w.WriteNumber(name, minor);
            }
        }

        w.WriteString(realShape ? "currency" : "currency_code", i.Currency);
        w.WriteString("due_date", i.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (realShape)
        {
            if (i.PaidAt is { } paid)
            {
                w.WriteString("paid_date", paid.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("paid_date");
            }
        }
        else if (i.PaidAt is { } paidAt)
        {
            w.WriteString("paid_at", paidAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("paid_at");
        }

        w.WriteString("created_at", i.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    private static OpteriusRecord Generate(SampleData data, int n, DateTimeOffset created, DateTimeOffset today)
    {
        created = new DateTimeOffset(created.Year, created.Month, created.Day, created.Hour, 0, 0, TimeSpan.Zero);
        var subtotal = (long)data.Next(5, 400) * 500;
        var tax = subtotal / 10;
        var due = created.Date.AddDays(14);
        var roll = data.NextDouble();
        var status = roll < 0.04 ? "draft" : roll < 0.08 ? "cancelled" : roll < 0.11 ? "refunded"
            : due < today.Date ? (roll < 0.85 ? "paid" : "overdue") : (roll < 0.3 ? "paid" : "unpaid");
        return new OpteriusRecord
        {
            Id = 300 + n,
            Status = status,
            Subtotal = subtotal,
            Tax = tax,
            Total = subtotal + tax,
            Currency = Currencies[data.Next(Currencies.Length)],
            DueDate = due,
            PaidAt = status is "paid" or "refunded" ? SandboxApi.Earlier(created.AddDays(data.Next(1, 14)).AddHours(9), today) : null,
            CreatedAt = created,
        };
    }

    private sealed class OpteriusRecord
    {
        public int Id { get; set; }

        public string Status { get; set; } = string.Empty;

        public long Subtotal { get; set; }

        public long Tax { get; set; }

        public long Total { get; set; }

        public string Currency { get; set; } = string.Empty;

        public DateTime DueDate { get; set; }

        public DateTimeOffset? PaidAt { get; set; }

        public DateTimeOffset CreatedAt { get; set; }
    }
}
