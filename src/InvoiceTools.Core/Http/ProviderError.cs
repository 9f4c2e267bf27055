using System;
using System.Collections.Generic;
using System.Text.Json;

namespace InvoiceTools.Http;

/// <summary>What a provider said in an error body.</summary>
internal sealed class ProviderError
{
    /// <summary>No usable error body.</summary>
    public static readonly ProviderError None = new(null, null, Array.Empty<string>());

    /// <summary>Creates an error description.</summary>
    public ProviderError(string? code, string? message, IReadOnlyList<string> details)
    {
        Code = code;
        Message = message;
        Details = details ?? Array.Empty<string>();
    }

    /// <summary>Machine-readable code (error_code, code, or error when it is a word).</summary>
    public string? Code { get; }

    /// <summary>Human-readable message.</summary>
    public string? Message { get; }

    /// <summary>Field-level details, one line each.</summary>
    public IReadOnlyList<string> Details { get; }

    /// <summary>
    /// Reads the common shapes: <c>{"message","errors":{field:[..]}}</c> (Laravel), <c>{"error_code","message","errors":[..]}</c>,
    /// <c>{"error":"..."}</c>, and a bare array of validation errors.
    /// </summary>
    public static ProviderError FromJson(JsonElement root)
    {
        string? code = null;
        string? message = null;
        var details = new List<string>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            AddDetails(root, null, details);
            return new ProviderError(null, details.Count > 0 ? details[0] : null, details);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return None;
        }

        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "error_code" or "code" or "errorcode" when property.Value.ValueKind == JsonValueKind.String:
                    code = property.Value.GetString();
                    break;
                case "message" or "error_description" or "detail" or "title" when property.Value.ValueKind == JsonValueKind.String:
                    message ??= property.Value.GetString();
                    break;
                case "error" when property.Value.ValueKind == JsonValueKind.String:
                    message ??= property.Value.GetString();
                    break;
                case "error" when property.Value.ValueKind == JsonValueKind.Object:
                    var inner = FromJson(property.Value);
                    code ??= inner.Code;
                    message ??= inner.Message;
                    details.AddRange(inner.Details);
                    break;
                case "errors":
                    AddDetails(property.Value, null, details);
                    break;
            }
        }

        return new ProviderError(code, message, details);
    }

    private static void AddDetails(JsonElement value, string? field, List<string> details)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var fieldName = TryString(value, "field") ?? TryString(value, "path") ?? TryString(value, "propertyName") ?? TryString(value, "param");
                var text = TryString(value, "message") ?? TryString(value, "errorMessage") ?? TryString(value, "detail");
                if (text is not null)
                {
                    details.Add(fieldName is null ? text : $"{fieldName}: {text}");
                    return;
                }

                foreach (var property in value.EnumerateObject())
                {
                    AddDetails(property.Value, property.Name, details);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    AddDetails(item, field, details);
                }

                break;
            case JsonValueKind.String:
                details.Add(field is null ? value.GetString()! : $"{field}: {value.GetString()}");
                break;
            case JsonValueKind.Undefined:
            case JsonValueKind.Null:
                break;
            default:
                details.Add(field is null ? value.GetRawText() : $"{field}: {value.GetRawText()}");
                break;
        }
    }

    private static string? TryString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
