using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace InvoiceTools.Sandbox;

/// <summary>What the emulator answers: a status, headers and a body.</summary>
public sealed class SandboxResponse
{
    /// <summary>Creates a response.</summary>
    public SandboxResponse(int statusCode, byte[] body, string contentType = "application/json")
    {
        StatusCode = statusCode;
        Body = body ?? Array.Empty<byte>();
        ContentType = contentType;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The body bytes.</summary>
    public byte[] Body { get; set; }

    /// <summary>The Content-Type header; null sends none.</summary>
    public string? ContentType { get; set; }

    /// <summary>Extra response headers.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, the transport drops the connection after sending this many body bytes.</summary>
    public int? ResetAfterBytes { get; set; }

    /// <summary>When true, the transport never answers (a hung server); the client must time out.</summary>
    public bool NeverAnswer { get; set; }

    /// <summary>A JSON response written by <paramref name="write"/>.</summary>
    public static SandboxResponse Json(int statusCode, Action<Utf8JsonWriter> write)
    {
        if (write is null)
        {
            throw new ArgumentNullException(nameof(write));
        }

        using var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return new SandboxResponse(statusCode, buffer.ToArray());
    }

    /// <summary>A JSON object with one string property per pair.</summary>
    public static SandboxResponse JsonObject(int statusCode, params (string Name, string? Value)[] properties) =>
        Json(statusCode, w =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        });

    /// <summary>A plain-text or HTML response.</summary>
    public static SandboxResponse Text(int statusCode, string text, string contentType = "text/plain; charset=utf-8") =>
        new(statusCode, Encoding.UTF8.GetBytes(text), contentType);
}
