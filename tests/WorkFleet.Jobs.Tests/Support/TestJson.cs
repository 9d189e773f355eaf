using System.Text.Json;

namespace WorkFleet.Jobs.Tests.Support;

/// <summary>JSON helpers that use plain System.Text.Json, not the library's own options.</summary>
internal static class TestJson
{
    private static readonly JsonSerializerOptions WebOptions = new(JsonSerializerDefaults.Web);

    public static JsonElement Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static T Read<T>(JsonElement element) =>
        element.Deserialize<T>(WebOptions) ?? throw new InvalidOperationException("The JSON was null.");
}
