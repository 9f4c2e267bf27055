using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace InvoiceTools.Sandbox;

/// <summary>
/// Emulates Revere Payments' <c>GET /api/v1/groups/{group_id}/invoices</c>: the <c>Authorization</c> key check,
/// <c>partner_name</c>, comma-separated <c>statuses</c>, <c>start</c>/<c>end</c> in <c>YYYY-MM-DDTHH:mm:ssZ</c>,
/// and <c>limit</c>/<c>offset</c> paging with <c>total_count</c>. Order: newest first, then id.
/// </summary>
public sealed class RevereApi : SandboxApi
{
    /// <summary>The path segment the API is mounted under.</summary>
    public const string ApiName = "revere";

    /// <summary>The API key the emulator accepts.</summary>
    public const string ApiKey = "revere_sandbox_3f9a7c1e5b";

    /// <summary>The group the emulated account owns.</summary>
    public static readonly Guid GroupId = new("8059f5c6-e1cd-4e46-9196-1d7e47401a3e");

    private static readonly DateTimeOffset DataStart = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Vocabulary = { "pending", "archived", "paid", "past_due" };
    private readonly object _lock = new();
    private readonly List<RevereRecord> _invoices;
    private readonly SampleData _data;
    private readonly long _spacingTicks;
    private readonly DateTimeOffset _today;
    private readonly DateTimeOffset _dataStart;

    /// <summary>Creates the emulator with its generated data set.</summary>
    public RevereApi(SandboxOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _data = new SampleData(options.Seed);
        _today = options.Today;
        _dataStart = options.Moved(DataStart);
        _spacingTicks = (SandboxOptions.ReferenceNow.AddDays(-1) - DataStart).Ticks / Math.Max(1, options.RevereInvoiceCount);
        _invoices = Enumerable.Range(1, options.RevereInvoiceCount).Select(Generate).ToList();
        for (var i = 96; i < _invoices.Count; i += 97)
        {
            // Some invoices share their creation instant with the previous one: the order must still be total (by id).
            _invoices[i].CreatedAt = _invoices[i - 1].CreatedAt;
        }

        Sort();
    }

    /// <inheritdoc />
    public override string Name => ApiName;

    /// <inheritdoc />
    public override string AcceptedKey => ApiKey;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> AccountSettings { get; } = new Dictionary<string, string> { ["GroupId"] = GroupId.ToString() };

    /// <summary>How many invoices the account holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _invoices.Count;
            }
        }
    }

    /// <inheritdoc />
    public override SandboxResponse Handle(SandboxRequest request, string localPath)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var segments = localPath.Trim('/').Split('/');
        if (segments.Length is < 5 or > 6 || segments[0] != "api" || segments[1] != "v1" || segments[2] != "groups" || segments[4] != "invoices")
        {
            return SandboxResponse.JsonObject(404, ("message", "Not Found"));
        }

        if (request.Method != "GET")
        {
            return SandboxResponse.JsonObject(405, ("message", "Method Not Allowed"));
        }

        if (request.Header("Authorization") != ApiKey)
        {
            return SandboxResponse.JsonObject(401, ("message", "Unauthorized: missing or invalid API key"));
        }

        if (!Guid.TryParse(segments[3], out var group) || group != GroupId)
        {
            return SandboxResponse.JsonObject(404, ("message", "group not found"));
        }

        if (segments.Length == 6)
        {
            RevereRecord? found;
            lock (_lock)
            {
                found = Guid.TryParse(segments[5], out var id) ? _invoices.FirstOrDefault(i => i.Id == id) : null;
            }

            return found is null
                ? SandboxResponse.JsonObject(404, ("message", "invoice not found"))
                : SandboxResponse.Json(200, w => Write(w, found));
        }

        var statuses = request.QueryValue("statuses");
        HashSet<string>? statusSet = null;
        if (!string.IsNullOrEmpty(statuses))
        {
            statusSet = new HashSet<string>(statuses!.Split(','), StringComparer.Ordinal);
            var unknown = statusSet.FirstOrDefault(s => Array.IndexOf(Vocabulary, s) < 0);
            if (unknown is not null)
            {
                return SandboxResponse.JsonObject(400, ("message", "invalid status '" + unknown + "'"));
            }
        }

        if (!TryParseTime(request.QueryValue("start"), out var start) || !TryParseTime(request.QueryValue("end"), out var end))
        {
            return SandboxResponse.JsonObject(400, ("message", "start and end must be formatted YYYY-MM-DDTHH:mm:ssZ"));
        }

        if (!TryParseCount(request.QueryValue("limit"), out var limit) || !TryParseCount(request.QueryValue("offset"), out var offset))
        {
            return SandboxResponse.JsonObject(400, ("message", "limit and offset must be unsigned integers"));
        }

        var partner = request.QueryValue("partner_name");
        var skip = (int)Math.Min(offset ?? 0, int.MaxValue);
        var take = (int)Math.Min(limit ?? ulong.MaxValue, int.MaxValue);
        if (statusSet is null && start is null && end is null && string.IsNullOrEmpty(partner))
        {
            // Unfiltered pages are sliced directly, so a million-invoice rehearsal does not copy the list per request.
            List<RevereRecord> slice;
            int total;
            lock (_lock)
            {
                total = _invoices.Count;
                slice = skip >= total ? new List<RevereRecord>() : _invoices.GetRange(skip, Math.Min(take, total - skip));
            }

            return Page(slice, total);
        }

        List<RevereRecord> matches;
        lock (_lock)
        {
            matches = _invoices.Where(i =>
                (statusSet is null || statusSet.Contains(i.Status)) &&
                (start is null || i.CreatedAt > start) &&
                (end is null || i.CreatedAt < end) &&
                (string.IsNullOrEmpty(partner) || i.Customer.Company.IndexOf(partner, StringComparison.OrdinalIgnoreCase) >= 0
                    || (i.Customer.FirstName + " " + i.Customer.LastName).IndexOf(partner, StringComparison.OrdinalIgnoreCase) >= 0)).ToList();
        }

        return Page(matches.Skip(skip).Take(take).ToList(), matches.Count);
    }

    private static SandboxResponse Page(List<RevereRecord> page, int total) =>
        SandboxResponse.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("items");
            foreach (var invoice in page)
            {
                Write(w, invoice);
            }

            w.WriteEndArray();
            w.WriteNumber("total_count", total);
            w.WriteEndObject();
        });

    private static bool TryParseTime(string? value, out DateTimeOffset? parsed)
    {
        parsed = null;
        if (value is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            parsed = time;
            return true;
        }

        return false;
    }

    private static bool TryParseCount(string? value, out ulong? parsed)
    {
        parsed = null;
        if (value is null)
        {
            return true;
        }

        if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            parsed = n;
            return true;
        }

        return false;
    }

    /// <summary>The ids of every invoice, newest first (for tests and rehearsals).</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (_lock)
            {
                return _invoices.Select(i => i.Id.ToString()).ToList();
            }
        }
    }

    /// <summary>Changes an invoice's status and stamps updated_at, as a payment or an archive would.</summary>
    public void SetStatus(string id, string status, DateTimeOffset updatedAt)
    {
        if (Array.IndexOf(Vocabulary, status) < 0)
        {
            throw new ArgumentException("Revere statuses are " + string.Join(", ", Vocabulary), nameof(status));
        }

        lock (_lock)
        {
            var invoice = _invoices.Single(i => i.Id.ToString() == id);
            invoice.Status = status;
            invoice.UpdatedAt = updatedAt;
        }
    }

    /// <summary>Adds a new pending invoice created at <paramref name="createdAt"/> and returns its id.</summary>
    public string AddInvoice(DateTimeOffset createdAt)
    {
        lock (_lock)
        {
            var record = Generate(_invoices.Count + 1);
            record.CreatedAt = createdAt;
            record.UpdatedAt = createdAt;
            record.DueDate = createdAt.AddDays(30);
            record.Status = "pending";
            _invoices.Add(record);
            Sort();
            return record.Id.ToString();
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> AddNewest(int count)
    {
        lock (_lock)
        {
            var added = new List<string>();
            for (var k = 0; k < count; k++)
            {
                added.Add(AddInvoice((_invoices.Count == 0 ? _today : _invoices[0].CreatedAt).AddMinutes(1)));
            }

            return added;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> RemoveNewest(int count)
    {
        lock (_lock)
        {
            return RemoveFirst(_invoices, count, i => i.Id.ToString());
        }
    }

    private void Sort() => _invoices.Sort((a, b) =>
    {
        var byDate = b.CreatedAt.CompareTo(a.CreatedAt);
        return byDate != 0 ? byDate : string.CompareOrdinal(a.Id.ToString(), b.Id.ToString());
    });

    private RevereRecord Generate(int sequence)
    {
        var customer = SampleData.Customer(_data.Next(SampleData.CustomerCount));
        var created = _dataStart.AddTicks(_spacingTicks * (sequence - 1)).AddSeconds(_data.Next(0, 3600)).AddTicks(_data.Next(0, 999_999) * 10L);
        var due = new DateTimeOffset(created.Date.AddDays(new[] { 14, 30, 45, 60 }[_data.Next(4)]), TimeSpan.Zero);
        var roll = _data.NextDouble();
        string status;
        if (roll < 0.06)
        {
            status = "archived";
        }
        else if (due >= _today)
        {
            status = roll < 0.2 ? "paid" : "pending";
        }
        else
        {
            status = roll < 0.8 ? "paid" : "past_due";
        }

        var products = _data.Lines().Select(l => new RevereProduct(_data.NextGuid(), _data.NextGuid(), l.Name, l.UnitMinor, l.UnitMinor >= 5000 ? l.UnitMinor / 25 : 0, l.Unit, l.Quantity)).ToList();
        var updated = status is "paid" or "archived" ? created.AddDays(_data.Next(1, 20)) : created;
        var id = _data.NextGuid();
        return new RevereRecord
        {
            Id = id,
            Number = "RV-" + created.Year.ToString(CultureInfo.InvariantCulture) + "-" + sequence.ToString("D5", CultureInfo.InvariantCulture) + "-INV",
            Numeric = sequence.ToString("D5", CultureInfo.InvariantCulture),
            ExternalId = sequence % 3 == 0 ? null : _data.NextGuid().ToString(),
            CreatedAt = created,
            UpdatedAt = updated,
            DueDate = due,
            Status = status,
            Customer = customer,
            PartnerId = new Guid(customer.Index + 1, 0x7fbc, 0x4e33, 0x8d, 0x52, 0xe9, 0x3b, 0xb9, 0xa9, 0x1a, 0xb7),
            Products = products,
            Note = sequence % 5 == 0 ? string.Empty : "Thank you for your business!",
        };
    }

    private static void Write(Utf8JsonWriter w, RevereRecord i)
    {
        w.WriteStartObject();
        w.WriteString("id", i.Id);
        w.WriteString("invoice_number", i.Number);
        w.WriteString("group_id", GroupId);
        w.WriteString("slug", GroupId + "/" + i.Number);
        w.WriteString("invoice_number_numeric", i.Numeric);
        w.WriteString("year", i.CreatedAt.Year.ToString(CultureInfo.InvariantCulture));
        w.WriteString("note", i.Note);
        if (i.ExternalId is null)
        {
            w.WriteNull("external_id");
        }
        else
        {
            w.WriteString("external_id", i.ExternalId);
        }

        w.WriteString("due_date", Format(i.DueDate));
        w.WriteBoolean("send_email", false);
        w.WriteString("processor_id", "fbf2e44a-eed6-426f-b0e2-a3a5b34377c0");
        w.WriteBoolean("card_enabled", true);
        w.WriteBoolean("ach_enabled", i.Customer.Index % 2 == 0);
        w.WriteStartObject("partner");
        w.WriteString("id", i.PartnerId);
        w.WriteString("group_id", GroupId);
        w.WriteString("company", i.Customer.Company);
        w.WriteString("first_name", i.Customer.FirstName);
        w.WriteString("last_name", i.Customer.LastName);
        w.WriteString("email", i.Customer.Email);
        w.WriteString("line_1", (100 + (i.Customer.Index * 37)).ToString(CultureInfo.InvariantCulture) + " Main St");
        w.WriteString("line_2", string.Empty);
        w.WriteString("city", i.Customer.City);
        w.WriteString("country", i.Customer.Country);
        w.WriteString("subdivision", i.Customer.Subdivision);
        w.WriteString("postal_code", (10001 + (i.Customer.Index * 311)).ToString(CultureInfo.InvariantCulture));
        w.WriteString("created_at", "2023-10-09T10:07:00.597584Z");
        w.WriteString("updated_at", "2023-10-09T10:07:00.597584Z");
        w.WriteEndObject();
        w.WriteStartArray("products");
        foreach (var p in i.Products)
        {
            w.WriteStartObject();
            w.WriteString("id", p.Id);
            w.WriteString("product_id", p.ProductId);
            w.WriteString("name", p.Name);
            w.WriteString("description", string.Empty);
            w.WriteNumber("amount", p.Amount);
            w.WriteNumber("included_tax_amount", p.IncludedTax);
            w.WriteString("unit_of_measure", p.Unit);
            w.WriteNumber("quantity", p.Quantity);
            w.WriteString("created_at", Format(i.CreatedAt));
            w.WriteString("updated_at", Format(i.CreatedAt));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("amount", i.Products.Sum(p => p.Amount * p.Quantity));
        w.WriteString("status", i.Status);
        w.WriteString("created_at", Format(i.CreatedAt));
        w.WriteString("updated_at", Format(i.UpdatedAt));
        w.WriteEndObject();
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);

    private sealed class RevereRecord
    {
        public Guid Id { get; set; }

        public string Number { get; set; } = string.Empty;

        public string Numeric { get; set; } = string.Empty;

        public string? ExternalId { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public DateTimeOffset DueDate { get; set; }

        public string Status { get; set; } = string.Empty;

        public SampleCustomer Customer { get; set; } = null!;

        public Guid PartnerId { get; set; }

        public List<RevereProduct> Products { get; set; } = new();

        public string Note { get; set; } = string.Empty;
    }

    private sealed record RevereProduct(Guid Id, Guid ProductId, string Name, long Amount, long IncludedTax, string Unit, int Quantity);
}
