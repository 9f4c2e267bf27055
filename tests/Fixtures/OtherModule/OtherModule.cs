using System;
using System.Text.Json;
using Polly;

namespace InvoiceTools.Fixtures;

/// <summary>Uses its Polly and System.Text.Json, so that loading this assembly and calling <see cref="Use"/> loads them.</summary>
public static class OtherModule
{
    /// <summary>Runs a Polly pipeline that serializes a value; returns the file versions of the two libraries it used.</summary>
    public static string Use()
    {
        var pipeline = new ResiliencePipelineBuilder().Build();
        var json = pipeline.Execute(() => JsonSerializer.Serialize(new { answer = 42 }));
        if (json.Length == 0)
        {
            throw new InvalidOperationException("Serialization returned nothing.");
        }

        return Version(typeof(ResiliencePipeline)) + ";" + Version(typeof(JsonSerializer));
    }

    private static string Version(Type type) =>
        System.Diagnostics.FileVersionInfo.GetVersionInfo(type.Assembly.Location).FileVersion ?? "?";
}
