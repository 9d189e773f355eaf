using System.Text.Json;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>Payloads of real built-in jobs for integration tests.</summary>
public static class TestJobs
{
    /// <summary>A mix of tokenization and matrix products, by index.</summary>
    public static (string JobType, JsonElement Payload) Mixed(int index) => (index % 2) switch
    {
        0 => ("preprocess.tokenize", Parse("""{"texts":["Weighted least-load beats round robin.","No task is lost!"],"maxLength":16}""")),
        _ => ("compute.matmul", Parse($$"""{"size":{{32 + (index % 4 * 8)}},"seed":{{index}},"repeat":1}""")),
    };

    /// <summary>Parses a JSON literal into a detached element.</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
