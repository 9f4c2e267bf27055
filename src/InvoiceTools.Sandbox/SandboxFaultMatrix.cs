using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace InvoiceTools.Sandbox;

/// <summary>Builds the named faults of <see cref="SandboxFaultKind"/> and says which provider APIs each one applies to.</summary>
public static class SandboxFaultMatrix
{
    /// <summary>How many invoices <see cref="SandboxFaultKind.InsertWhilePaging"/> adds and <see cref="SandboxFaultKind.DeleteWhilePaging"/> removes.</summary>
    public const int ChangedInvoices = 3;

    /// <summary>How much <see cref="SandboxFaultKind.TotalChanged"/> adds to the reported total.</summary>
    public const int TotalIncrease = 5;

    /// <summary>The host <see cref="SandboxFaultKind.ForeignNextLink"/> points next links at.</summary>
    public const string ForeignHost = "pages.elsewhere.example";

    private const string MaintenancePage =
        "<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><h1>We'll be back soon</h1><p>Scheduled maintenance.</p></body></html>\n";

    /// <summary>The fault for <paramref name="kind"/>.</summary>
    public static SandboxFault Create(SandboxFaultKind kind) => kind switch
    {
        SandboxFaultKind.RateLimitedRetryAfterSeconds => SandboxFault.RateLimited("2"),
        SandboxFaultKind.RateLimitedRetryAfterDate => SandboxFault.From(c => RateLimited("Retry-After", c.Now.AddSeconds(3).ToString("r", CultureInfo.InvariantCulture))),
        SandboxFaultKind.RateLimitedResetHeader => SandboxFault.From(c => RateLimited("Rate-Limit-Reset", "1.5")),
        SandboxFaultKind.RateLimitedNoHint => SandboxFault.Status(429, body: string.Empty),
        SandboxFaultKind.InternalServerError => SandboxFault.Status(500),
        SandboxFaultKind.BadGateway => SandboxFault.From(_ => SandboxResponse.Text(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")),
        SandboxFaultKind.ServiceUnavailable => SandboxFault.Status(503),
        SandboxFaultKind.GatewayTimeout => SandboxFault.Status(504),
        SandboxFaultKind.ResetMidBody => SandboxFault.From(c =>
        {
            var normal = c.Normal();
            normal.ResetAfterBytes = normal.Body.Length / 2;
            return normal;
        }),
        SandboxFaultKind.NoAnswer => SandboxFault.From(_ => new SandboxResponse(200, Array.Empty<byte>()) { NeverAnswer = true }),
        SandboxFaultKind.TruncatedJson => SandboxFault.From(c =>
        {
            var normal = c.Normal();
            var cut = new byte[normal.Body.Length / 2];
            Array.Copy(normal.Body, cut, cut.Length);
            normal.Body = cut;
            return normal;
        }),
        SandboxFaultKind.HtmlErrorPage => SandboxFault.Body(MaintenancePage, "text/html; charset=utf-8"),
        SandboxFaultKind.WrongContentType => SandboxFault.From(c =>
        {
            var normal = c.Normal();
            normal.ContentType = "text/plain; charset=utf-8";
            return normal;
        }),
        SandboxFaultKind.EmptyBody => SandboxFault.Body(string.Empty, "application/json"),
        SandboxFaultKind.RepeatedPage => SandboxFault.From(c => c.Previous is { } previous ? c.AnswerTo(previous) : c.Normal()),
        SandboxFaultKind.TotalChanged => SandboxFault.From(c => c.Api is DefinedApi defined ? defined.WithTotalRaised(c.Normal(), TotalIncrease) : Rewrite(c.Normal(), RaiseTotal)),
        SandboxFaultKind.InsertWhilePaging => new DataChange(api => api.AddNewest(ChangedInvoices)),
        SandboxFaultKind.DeleteWhilePaging => new DataChange(api => api.RemoveNewest(ChangedInvoices)),
        SandboxFaultKind.ForeignNextLink => SandboxFault.From(c => c.Api is DefinedApi defined ? defined.WithForeignNextLink(c.Normal(), ForeignHost) : Rewrite(c.Normal(), PointNextLinkElsewhere)),
        SandboxFaultKind.EchoCredentials => SandboxFault.From(EchoCredentials),
        SandboxFaultKind.ServiceUnavailableWithQuotaHeaders => WithHeaders(503, ("Rate-Limit-Limit", "600"), ("Rate-Limit-Remaining", "599"), ("Rate-Limit-Reset", "59.5")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown sandbox fault."),
    };

    /// <summary>Null when <paramref name="kind"/> can happen on the API named <paramref name="apiName"/>; otherwise why not.</summary>
    public static string? WhyNotFor(SandboxFaultKind kind, string apiName) => kind switch
    {
        SandboxFaultKind.TotalChanged when apiName is not (RevereApi.ApiName or KitchenApi.ApiName or OpteriusApi.ApiName) =>
            "TotalChanged needs a provider that reports its total (Revere, Kitchen, Opterius).",
        SandboxFaultKind.ForeignNextLink when apiName != KitchenApi.ApiName =>
            "ForeignNextLink needs a provider whose pages carry next links (Kitchen); the others are paged by offset, page number or cursor.",
        _ => null,
    };

    /// <summary>
    /// Null when <paramref name="kind"/> can happen on <paramref name="api"/>; otherwise why not. A provider definition's
    /// API (<see cref="DefinedApi"/>) takes every fault its definition allows: TotalChanged needs a total path,
    /// ForeignNextLink next links, InsertWhilePaging a sample record to copy.
    /// </summary>
    public static string? WhyNotFor(SandboxFaultKind kind, SandboxApi api)
    {
        if (api is null)
        {
            throw new ArgumentNullException(nameof(api));
        }

        return api is DefinedApi defined ? defined.WhyNotFault(kind) : WhyNotFor(kind, api.Name);
    }

    /// <summary>An error status with a JSON body and the given headers, for rate-limit header rows.</summary>
    public static SandboxFault WithHeaders(int statusCode, params (string Name, string Value)[] headers) => SandboxFault.From(_ =>
    {
        var response = SandboxResponse.JsonObject(statusCode, ("error", $"Injected fault: HTTP {statusCode.ToString(CultureInfo.InvariantCulture)}"));
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        return response;
    });

    /// <summary>The credential headers <see cref="SandboxFaultKind.EchoCredentials"/> quotes back.</summary>
    public static readonly string[] CredentialHeaders = { "Authorization", "x-revolv3-token", "x-api-key" };

    private static SandboxResponse EchoCredentials(SandboxFaultContext c)
    {
        var names = c.Api is DefinedApi { Spec: { AuthType: DefinedAuthType.Header, AuthName: { } header } }
            ? CredentialHeaders.Append(header).Distinct(StringComparer.OrdinalIgnoreCase)
            : CredentialHeaders;
        var sent = names.Select(h => (Name: h, Value: c.Request.Header(h))).Where(h => h.Value is not null).ToList();
        var quoted = string.Join("; ", sent.Select(h => $"{h.Name}: {h.Value}"));
        var response = SandboxResponse.Json(401, w =>
        {
            w.WriteStartObject();
            w.WriteString("error_code", "INVALID_API_KEY");
            w.WriteString("message", $"Invalid credentials ({quoted})");
            w.WriteStartArray("errors");
            foreach (var (name, value) in sent)
            {
                w.WriteStartObject();
                w.WriteString("field", name);
                w.WriteString("message", $"{Uri.EscapeDataString(value!)} was rejected; expected https://example.invalid/login?token={Uri.EscapeDataString(value!)}");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        response.Headers["WWW-Authenticate"] = $"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{quoted.Replace("\"", "'")}\"";
        response.Headers["X-Request-Id"] = $"req-{sent.Select(h => h.Value).FirstOrDefault()}";
        return response;
    }

    private static SandboxResponse RateLimited(string header, string value)
    {
        var response = SandboxResponse.JsonObject(429, ("error", "Too Many Requests"), ("message", "Rate limit exceeded."));
        response.Headers[header] = value;
        return response;
    }

    private static SandboxResponse Rewrite(SandboxResponse normal, Func<JsonNode, bool> change)
    {
        if (normal.StatusCode != 200 || normal.Body.Length == 0)
        {
            return normal;
        }

        var root = JsonNode.Parse(normal.Body);
        if (root is null || !change(root))
        {
            return normal;
        }

        var changed = new SandboxResponse(normal.StatusCode, Encoding.UTF8.GetBytes(root.ToJsonString()), normal.ContentType!);
        foreach (var header in normal.Headers)
        {
            changed.Headers[header.Key] = header.Value;
        }

        return changed;
    }

    private static bool RaiseTotal(JsonNode root)
    {
        if (root is not JsonObject page)
        {
            return false;
        }

        if (page["total_count"] is JsonValue count && count.TryGetValue<long>(out var total))
        {
            page["total_count"] = total + TotalIncrease;
            return true;
        }

        if (page["meta"] is JsonObject meta && meta["total"] is JsonValue metaTotal && metaTotal.TryGetValue<long>(out var value))
        {
            meta["total"] = value + TotalIncrease;
            return true;
        }

        return false;
    }

    private static bool PointNextLinkElsewhere(JsonNode root)
    {
        if (root is not JsonObject page || page["links"] is not JsonObject links || links["next"] is not JsonValue next || !next.TryGetValue<string>(out var link))
        {
            return false;
        }

        var original = new Uri(new Uri("https://sandbox.invalid/"), link);
        links["next"] = "https://" + ForeignHost + original.PathAndQuery;
        return true;
    }

    private sealed class DataChange : SandboxFault
    {
        private readonly Action<SandboxApi> _change;

        public DataChange(Action<SandboxApi> change) => _change = change;

        public override void Prepare(SandboxFaultContext context) => _change(context.Api);

        public override SandboxResponse Apply(SandboxFaultContext context) => context.Normal();
    }
}
