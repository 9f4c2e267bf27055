using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace InvoiceTools.Sandbox;

/// <summary>
/// Emulates Revolv3's invoice list: <c>GET /api/Invoices</c> (startDate/endDate as MM-dd-yyyy) and, unless
/// <see cref="V1Enabled"/> is off, <c>GET /api/Invoices/v1</c> (billing and last-update ranges, merchantCustomerRefId).
/// Either auth scheme, a bare array sorted by billing date descending then invoiceId ascending, pageSize at most 100,
/// validation errors as an array, and billingDate in a switchable format.
/// </summary>
public sealed class Revolv3Api : SandboxApi
{
    /// <summary>The path segment the API is mounted under.</summary>
    public const string ApiName = "revolv3";

    /// <summary>The token the emulator accepts, as x-revolv3-token or as a Bearer token.</summary>
    public const string Token = "revolv3_sandbox_8a1f3b6d2e";

    private static readonly string[] Statuses =
    {
        "Paid", "Paid", "Paid", "Paid", "Paid", "Paid", "Void", "Pending", "Recycle", "Noncollectable", "Failed", "Refund", "MerchantPaid",
        "MerchantCancelled", "OneTimePaymentPending", "PartialRefund", "BatchPending", "CapturePending", "RefundPending", "RefundDeclined",
        "RefundFailed", "RetryPending",
    };

    private readonly List<Revolv3Record> _invoices;
    private readonly SampleData _extra;
    private static readonly DateTimeOffset DataStart = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly DateTimeOffset _today;
    private readonly DateTimeOffset _dataStart;
    private int _sequence;

    /// <summary>Creates the emulator with its generated data set.</summary>
    public Revolv3Api(SandboxOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _today = options.Today;
        _dataStart = options.Moved(DataStart);
        var data = new SampleData(options.Seed + 31);
        _invoices = Enumerable.Range(1, options.Revolv3InvoiceCount).Select(n => Generate(data, n, options.Revolv3InvoiceCount, _dataStart)).ToList();
        _invoices.Sort((a, b) => a.BillingDate != b.BillingDate ? b.BillingDate.CompareTo(a.BillingDate) : a.InvoiceId.CompareTo(b.InvoiceId));
        _extra = new SampleData(options.Seed + 32);
        _sequence = options.Revolv3InvoiceCount;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> AddNewest(int count)
    {
        var added = new List<string>();
        for (var k = 0; k < count; k++)
        {
            var record = Generate(_extra, ++_sequence, _sequence, _dataStart);
            record.BillingDate = (_invoices.Count == 0 ? _today.UtcDateTime.Date : _invoices[0].BillingDate).AddDays(1);
            _invoices.Insert(0, record);
            added.Add(record.InvoiceId.ToString(CultureInfo.InvariantCulture));
        }

        return added;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> RemoveNewest(int count) => RemoveFirst(_invoices, count, i => i.InvoiceId.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public override string Name => ApiName;

    /// <inheritdoc />
    public override string AcceptedKey => Token;

    /// <summary>Serve /api/Invoices/v1 as well (the real API has it; the excerpt does not mention it).</summary>
    public bool V1Enabled { get; set; } = true;

    /// <summary>How billingDate is written.</summary>
    public Revolv3DateFormat DateFormat { get; set; }

    /// <summary>Invoices in the account.</summary>
    public int Count => _invoices.Count;

    /// <inheritdoc />
    public override SandboxResponse Handle(SandboxRequest request, string localPath)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var path = localPath.TrimEnd('/');
        var v1 = path == "/api/Invoices/v1";
        var item = !v1 && path.StartsWith("/api/Invoices/", StringComparison.Ordinal) ? path.Substring("/api/Invoices/".Length) : null;
        if (path != "/api/Invoices" && !(v1 && V1Enabled) && item is null)
        {
            return SandboxResponse.JsonObject(404, ("message", "Not Found"));
        }

        if (request.Header("x-revolv3-token") != Token && request.Header("Authorization") != "Bearer " + Token)
        {
            return SandboxResponse.JsonObject(401, ("message", "Authorization has been denied for this request."));
        }

        if (item is not null)
        {
            var found = long.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var invoiceId) ? _invoices.FirstOrDefault(i => i.InvoiceId == invoiceId) : null;
            return found is null
                ? SandboxResponse.JsonObject(404, ("message", "Invoice not found."))
                : SandboxResponse.Json(200, w => Write(w, found, "dd-MMM-yy", v1: false));
        }

        var errors = new List<(string Field, string Message)>();
        var page = Number(request, "page", 1, 1, int.MaxValue, errors);
        var pageSize = Number(request, "pageSize", 100, 1, 100, errors);
        var start = Day(request, v1 ? "billingStartDate" : "startDate", v1, errors);
        var end = Day(request, v1 ? "billingEndDate" : "endDate", v1, errors);
        var updatedStart = v1 ? Instant(request, "lastUpdateStartDate", errors) : null;
        var updatedEnd = v1 ? Instant(request, "lastUpdateEndDate", errors) : null;
        var customerRef = v1 ? request.QueryValue("merchantCustomerRefId") : null;
        var invoiceRef = v1 ? null : request.QueryValue("merchantInvoiceRefId");
        if (errors.Count > 0)
        {
            return SandboxResponse.Json(400, w =>
            {
                w.WriteStartArray();
                foreach (var (field, message) in errors)
                {
                    w.WriteStartObject();
                    w.WriteString("propertyName", field);
                    w.WriteString("errorMessage", message);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
        }

        var matches = _invoices.Where(i =>
            (start is null || i.BillingDate >= start) && (end is null || i.BillingDate <= end) &&
            (updatedStart is null || i.LastUpdated >= updatedStart) && (updatedEnd is null || i.LastUpdated <= updatedEnd) &&
            (customerRef is null || i.CustomerRef == customerRef) && (invoiceRef is null || i.MerchantRef == invoiceRef)).ToList();
        var format = DateFormat switch
        {
            Revolv3DateFormat.DayMonthNameYear => "dd-MMM-yy",
            Revolv3DateFormat.Iso => "yyyy-MM-dd'T'00:00:00",
            _ => "MM-dd-yyyy",
        };
        return SandboxResponse.Json(200, w =>
        {
            w.WriteStartArray();
            foreach (var i in matches.Skip((page - 1) * pageSize).Take(pageSize))
            {
                Write(w, i, format, v1);
            }

            w.WriteEndArray();
        });
    }

    private static void Write(Utf8JsonWriter w, Revolv3Record i, string format, bool v1)
    {
        w.WriteStartObject();
        w.WriteNumber("invoiceId", i.InvoiceId);
        if (i.CustomerId is long customerId)
        {
            w.WriteNumber("customerId", customerId);
        }
        else
        {
            w.WriteNull("customerId");
        }

        w.WriteString("merchantInvoiceRefId", i.MerchantRef);
        w.WriteString("binNumber", "444433");
        w.WriteString("last4Digit", i.Last4);
        w.WriteString("invoiceStatus", i.Status);
        w.WriteNumber("subtotal", i.Subtotal);
        w.WriteNumber("tax", i.Tax);
        w.WriteNumber("total", i.Subtotal + i.Tax);
        if (i.Currency is null)
        {
            w.WriteNull("currency");
        }
        else
        {
            w.WriteString("currency", i.Currency);
        }

        w.WriteString("billingDate", i.BillingDate.ToString(format, CultureInfo.InvariantCulture));
        w.WriteString("merchantLegalName", "Sandbox Merchant LLC");
        w.WriteString("merchantCustomerRefId", i.CustomerRef);
        w.WriteString("customerFirstName", i.Customer.FirstName);
        w.WriteString("customerLastName", i.Customer.LastName);
        if (v1)
        {
            w.WriteString("lastUpdatedDate", i.LastUpdated.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        w.WriteEndObject();
    }

    private static int Number(SandboxRequest request, string name, int fallback, int min, int max, List<(string, string)> errors)
    {
        var text = request.QueryValue(name);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add((char.ToUpperInvariant(name[0]) + name.Substring(1), "'" + name + "' must be between " + min + " and " + max + "."));
        return fallback;
    }

    private static DateTime? Day(SandboxRequest request, string name, bool v1, List<(string, string)> errors)
    {
        var text = request.QueryValue(name);
        if (text is null)
        {
            return null;
        }

        var formats = v1 ? new[] { "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss'Z'" } : new[] { "MM-dd-yyyy" };
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return value.Date;
        }

        errors.Add((name, "'" + name + "' is not a valid date."));
        return null;
    }

    private static DateTimeOffset? Instant(SandboxRequest request, string name, List<(string, string)> errors)
    {
        var text = request.QueryValue(name);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        errors.Add((name, "'" + name + "' is not a valid date."));
        return null;
    }

    private static Revolv3Record Generate(SampleData data, int n, int count, DateTimeOffset start)
    {
        var customer = SampleData.Customer(data.Next(SampleData.CustomerCount));
        var days = (int)(SandboxOptions.ReferenceNow - DataStart).TotalDays;
        // Invoices come in threes per billing day, so the secondary sort (invoiceId ascending) matters.
        var billing = start.UtcDateTime.Date.AddDays(days * (long)((n - 1) / 3 * 3) / count);
        var subtotal = data.Next(10, 500) + (data.Next(0, 4) * 0.25m);
        var status = Statuses[data.Next(Statuses.Length)];
        return new Revolv3Record
        {
            InvoiceId = 388000 + (n * 7) + data.Next(0, 7),
            CustomerId = n % 4 == 0 ? null : 1000 + customer.Index,
            MerchantRef = "INV-" + (1000 + n).ToString(CultureInfo.InvariantCulture) + "-" + data.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
            CustomerRef = "CUST-" + customer.Index.ToString("D3", CultureInfo.InvariantCulture),
            Last4 = data.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
            Status = status,
            Subtotal = subtotal,
            Tax = Math.Round(subtotal * 0.0825m, 2),
            Currency = n % 5 == 0 ? "USD" : null,
            BillingDate = billing,
            LastUpdated = new DateTimeOffset(billing, TimeSpan.Zero).AddDays(status == "Paid" ? 0 : data.Next(0, 30)).AddHours(data.Next(0, 24)),
            Customer = customer,
        };
    }

    private sealed class Revolv3Record
    {
        public long InvoiceId { get; set; }

        public long? CustomerId { get; set; }

        public string MerchantRef { get; set; } = string.Empty;

        public string CustomerRef { get; set; } = string.Empty;

        public string Last4 { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public decimal Subtotal { get; set; }

        public decimal Tax { get; set; }

        public string? Currency { get; set; }

        public DateTime BillingDate { get; set; }

        public DateTimeOffset LastUpdated { get; set; }

        public SampleCustomer Customer { get; set; } = null!;
    }
}

/// <summary>The billingDate formats Revolv3 is seen to use.</summary>
public enum Revolv3DateFormat : long
{
    /// <summary>12-15-2024, as in the excerpt.</summary>
    MonthDayYear,

    /// <summary>08-Aug-25, as in the API reference.</summary>
    DayMonthNameYear,

    /// <summary>ISO 8601.</summary>
    Iso,
}
