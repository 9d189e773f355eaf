using System.Text.Json;

namespace WorkFleet.ThroughputBench;

/// <summary>The near-no-op bench job: <c>preprocess.normalize</c> of two 2-vectors, and a result of its size.</summary>
public static class BenchPayload
{
    /// <summary>The job type every bench task runs.</summary>
    public const string JobType = "preprocess.normalize";

    /// <summary>The task's input.</summary>
    public static JsonElement Input { get; } = Parse("""{"vectors":[[1,2],[3,4]],"method":"minmax"}""");

    /// <summary>A result shaped and sized like what the job returns for <see cref="Input"/> (the raw pipeline's workers send it).</summary>
    public static JsonElement Result { get; } = Parse("""{"vectors":[[0,0],[1,1]],"method":"minmax","min":[1,2],"max":[3,4]}""");

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
