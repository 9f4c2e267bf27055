using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace InvoiceTools.Sandbox;

/// <summary>
/// Emulates Xendit's <c>GET /v2/invoices</c> (direct, HTTP Basic with the secret key as user name) and the
/// Appgregator proxy's <c>GET /xendit/invoices/</c> (<c>x-api-key</c>), over one data set: a bare array newest
/// first, <c>limit</c> 1–100, the cursor under <c>last_invoice_id</c> or <c>last_invoice</c>, statuses as repeated
/// keys or a JSON array, and ranges that apply only when both bounds are sent.
/// </summary>
public sealed class XenditApi : SandboxApi
{
    /// <summary>The direct API's path segment.</summary>
    public const string DirectApiName = "xendit";

    /// <summary>The Appgregator proxy's path segment.</summary>
    public const string ProxyApiName = "appgregator";

    /// <summary>The secret key the direct emulator accepts.</summary>
    public const string SecretKey = "xnd_development_sandboxS3cr3tKey0123456789";

    /// <summary>The key the proxy emulator accepts.</summary>
    public const string ProxyKey = "U2FsdGVkX1sandboxProxyKey";

    private static readonly string[] Statuses = { "PENDING", "PAID", "SETTLED", "EXPIRED" };
    private static readonly string[] ClientTypes = { "API_GATEWAY", "DASHBOARD", "INTEGRATION", "ON_DEMAND", "RECURRING", "MOBILE" };
    private readonly XenditStore _store;
    private readonly bool _proxy;

    internal XenditApi(XenditStore store, bool proxy)
    {
        _store = store;
        _proxy = proxy;
    }

    /// <inheritdoc />
    public override string Name => _proxy ? ProxyApiName : DirectApiName;

    /// <inheritdoc />
    public override string AcceptedKey => _proxy ? ProxyKey : SecretKey;

    /// <summary>Fault mode: ignore the cursor, so every page is the first page.</summary>
    public bool StuckCursor
    {
        get => _store.StuckCursor;
        set => _store.StuckCursor = value;
    }

    /// <summary>How many invoices the account holds.</summary>
    public int Count => _store.Invoices.Count;

    /// <inheritdoc />
    public override IReadOnlyList<string> AddNewest(int count) => _store.AddNewest(count);

    /// <inheritdoc />
    public override IReadOnlyList<string> RemoveNewest(int count) => _store.RemoveNewest(count);

    /// <summary>A 429 as Xendit sends it: RATE_LIMIT_EXCEEDED and Rate-Limit-* headers, no Retry-After.</summary>
    public static SandboxFault RateLimited(double resetSeconds) => new RateLimitFault(resetSeconds);

    /// <inheritdoc />
    public override SandboxResponse Handle(SandboxRequest request, string localPath)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var path = localPath.TrimEnd('/');
        var itemPrefix = _proxy ? "/xendit/find/" : "/v2/invoices/";
        var item = path.StartsWith(itemPrefix, StringComparison.Ordinal) ? path.Substring(itemPrefix.Length) : null;
        if (path != (_proxy ? "/xendit/invoices" : "/v2/invoices") && item is null)
        {
            return Error(404, "NOT_FOUND", "The requested resource was not found", null);
        }

        if (request.Method != "GET")
        {
            return Error(405, "METHOD_NOT_ALLOWED", "Method not allowed", null);
        }

        if (!Authorized(request))
        {
            return Error(401, "INVALID_API_KEY", "API key is not authorized for this API service", null);
        }

        if (item is not null)
        {
            var found = _store.Invoices.FirstOrDefault(i => i.Id == item);
            if (found is null)
            {
                return Error(404, "INVOICE_NOT_FOUND_ERROR", "Invoice not found", null);
            }

            // Appgregator's find route answers a one-element array; Xendit answers the invoice itself.
            return SandboxResponse.Json(200, w =>
            {
                if (_proxy)
                {
                    w.WriteStartArray();
                }

                XenditStore.Write(w, found);
                if (_proxy)
                {
                    w.WriteEndArray();
                }
            });
        }

        var limitText = request.QueryValue("limit");
        var limit = 10;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 100))
        {
            return Error(400, "API_VALIDATION_ERROR", null, ("limit", "\"limit\" must be a number between 1 and 100"));
        }

        if (!TryList(request, "statuses", Statuses, out var statuses, out var bad) || !TryList(request, "client_types", ClientTypes, out var clientTypes, out bad))
        {
            return Error(400, "API_VALIDATION_ERROR", "Invalid filter value", bad);
        }

        var channels = Values(request, "payment_channels");
        if (!TryRange(request, "created", out var created) || !TryRange(request, "paid", out var paid) || !TryRange(request, "expired", out var expired))
        {
            return Error(400, "API_VALIDATION_ERROR", "Dates must be ISO 8601", ("created_after", "must be a valid ISO 8601 date"));
        }

        var externalId = request.QueryValue("external_id");
        var recurring = request.QueryValue("recurring_payment_id");
        var onDemand = request.QueryValue("on_demand_link");
        var matches = _store.Invoices.Where(i =>
            (statuses is null || statuses.Contains(i.Status)) &&
            (clientTypes is null || clientTypes.Contains(i.ClientType)) &&
            (channels is null || (i.PaymentChannel is not null && channels.Contains(i.PaymentChannel))) &&
            In(i.Created, created) && (paid is null || (i.PaidAt is { } p && In(p, paid))) && In(i.ExpiryDate, expired) &&
            (externalId is null || i.ExternalId == externalId) &&
            (recurring is null || i.RecurringPaymentId == recurring) &&
            (onDemand is null || i.OnDemandLink == onDemand)).ToList();

        var cursors = new[] { request.QueryValue("last_invoice_id"), request.QueryValue("last_invoice") }.Where(c => c is not null).Distinct().ToList();
        if (cursors.Count > 1)
        {
            return Error(400, "API_VALIDATION_ERROR", "last_invoice_id and last_invoice disagree", ("last_invoice_id", "conflicts with last_invoice"));
        }

        var start = 0;
        if (cursors.Count == 1 && !_store.StuckCursor)
        {
            var index = matches.FindIndex(i => i.Id == cursors[0]);
            if (index < 0)
            {
                return Error(400, "API_VALIDATION_ERROR", "Invalid cursor", ("last_invoice_id", "invoice " + cursors[0] + " was not found"));
            }

            start = index + 1;
        }

        var page = matches.Skip(start).Take(limit).ToList();
        return SandboxResponse.Json(200, w =>
        {
            w.WriteStartArray();
            foreach (var invoice in page)
            {
                XenditStore.Write(w, invoice);
            }

            w.WriteEndArray();
        });
    }

    private static bool In(DateTimeOffset value, (DateTimeOffset After, DateTimeOffset Before)? range) =>
        range is null || (value > range.Value.After && value < range.Value.Before);

    private static List<string>? Values(SandboxRequest request, string name)
    {
        var values = new List<string>();
        foreach (var raw in request.QueryValues(name).Concat(request.QueryValues(name + "[]")))
        {
            if (raw.TrimStart().StartsWith("[", StringComparison.Ordinal))
            {
                try
                {
                    values.AddRange(JsonSerializer.Deserialize<string[]>(raw) ?? Array.Empty<string>());
                }
                catch (JsonException)
                {
                    values.Add(raw);
                }
            }
            else
            {
                values.AddRange(raw.Split(','));
            }
        }

        return values.Count == 0 ? null : values;
    }

    private static bool TryList(SandboxRequest request, string name, string[] vocabulary, out List<string>? values, out (string Field, string Message)? bad)
    {
        values = Values(request, name);
        var unknown = values?.FirstOrDefault(v => Array.IndexOf(vocabulary, v) < 0);
        bad = unknown is null ? null : (name, "\"" + unknown + "\" must be one of [" + string.Join(", ", vocabulary) + "]");
        return unknown is null;
    }

    private static bool TryRange(SandboxRequest request, string name, out (DateTimeOffset After, DateTimeOffset Before)? range)
    {
        range = null;
        var after = request.QueryValue(name + "_after");
        var before = request.QueryValue(name + "_before");
        if (after is null || before is null)
        {
            // Xendit ignores a range unless both bounds are present.
            return true;
        }

        if (!DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var a)
            || !DateTimeOffset.TryParse(before, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var b))
        {
            return false;
        }

        range = (a, b);
        return true;
    }

    private static SandboxResponse Error(int status, string code, string? message, (string Field, string Message)? detail) =>
        SandboxResponse.Json(status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error_code", code);
            if (message is not null)
            {
                w.WriteString("message", message);
            }

            if (detail is { } d)
            {
                w.WriteStartArray("errors");
                w.WriteStartObject();
                w.WriteString("path", d.Field);
                w.WriteString("message", d.Message);
                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteEndObject();
        });

    private bool Authorized(SandboxRequest request)
    {
        if (_proxy)
        {
            return request.Header("x-api-key") == ProxyKey;
        }

        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(6))) == SecretKey + ":";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class RateLimitFault : SandboxFault
    {
        private readonly double _reset;

        public RateLimitFault(double reset) => _reset = reset;

        public override SandboxResponse Apply(SandboxFaultContext context)
        {
            var response = Error(429, "RATE_LIMIT_EXCEEDED", "You have exceeded the rate limit for this endpoint", null);
            response.Headers["Rate-Limit-Limit"] = "60";
            response.Headers["Rate-Limit-Remaining"] = "0";
            response.Headers["Rate-Limit-Reset"] = _reset.ToString("0.##", CultureInfo.InvariantCulture);
            return response;
        }
    }
}
