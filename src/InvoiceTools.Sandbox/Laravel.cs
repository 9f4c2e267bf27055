namespace InvoiceTools.Sandbox;

/// <summary>Laravel's JSON error bodies, shared by the emulators of Laravel applications (Kitchen, Opterius).</summary>
internal static class Laravel
{
    /// <summary>A 422: {"message": ..., "errors": {field: [message]}}.</summary>
    public static SandboxResponse ValidationError(string field, string message) =>
        SandboxResponse.Json(422, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteStartObject("errors");
            w.WriteStartArray(field);
            w.WriteStringValue(message);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
