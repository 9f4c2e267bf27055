using System;
using System.Globalization;
using System.Net;
using System.Text.Json;
using static System.FormattableString;

namespace InvoiceTools.Http;

/// <summary>
/// A success status with a body that is not JSON at all (empty, cut short, an HTML page). Gateways and web servers in
/// front of an API send these during incidents, so the retry handler treats them as transient.
/// </summary>
internal sealed class MalformedResponseException : Exception
{
    private MalformedResponseException(HttpStatusCode status, string? reasonPhrase, string? mediaType, string problem)
        : base(Invariant($"{(int)status} {reasonPhrase} with {problem}"))
    {
        StatusCode = status;
        MediaType = mediaType;
        Problem = problem;
    }

    public HttpStatusCode StatusCode { get; }

    public string? MediaType { get; }

    /// <summary>What is wrong with the body, in words.</summary>
    public string Problem { get; }

    /// <summary>Null when <paramref name="body"/> is one complete JSON value; otherwise the error to raise.</summary>
    public static MalformedResponseException? Check(HttpStatusCode status, string? reasonPhrase, string? mediaType, ReadOnlyMemory<byte> body)
    {
        if (body.Length == 0)
        {
            return new MalformedResponseException(status, reasonPhrase, mediaType, "an empty body");
        }

        var depth = 0;
        try
        {
            var reader = new Utf8JsonReader(body.Span, ResponseReader.JsonOptions);
            while (reader.Read())
            {
                depth = reader.CurrentDepth;
            }

            return null;
        }
        catch (JsonException) when (depth >= ResponseReader.MaxJsonDepth - 1)
        {
            throw new TooDeepJsonException(status, ResponseReader.MaxJsonDepth);
        }
        catch (JsonException ex)
        {
            var labelled = mediaType is null ? "no content type" : $"'{mediaType}'";
            return new MalformedResponseException(status, reasonPhrase, mediaType, Invariant($"a body that is not complete JSON ({labelled}, {body.Length} bytes, {Where(ex)}{Preview(body)})"));
        }
    }

    private static string Where(JsonException ex) =>
        ex.LineNumber is long line && ex.BytePositionInLine is long position
            ? Invariant($"invalid or cut short at line {line + 1}, byte {position + 1}, ")
            : string.Empty;

    private static string Preview(ReadOnlyMemory<byte> body) => $"starting '{ErrorMapper.Start(body.Span, 60)}'";
}

/// <summary>A complete body nested deeper than the module reads. Not malformed, so never retried.</summary>
internal sealed class TooDeepJsonException : Exception
{
    public TooDeepJsonException(HttpStatusCode status, int maxDepth)
        : base($"the JSON is nested more than {maxDepth.ToString(CultureInfo.InvariantCulture)} levels deep, beyond what the module reads (HTTP {((int)status).ToString(CultureInfo.InvariantCulture)})")
    {
        StatusCode = status;
    }

    /// <summary>The response's status.</summary>
    public HttpStatusCode StatusCode { get; }
}
