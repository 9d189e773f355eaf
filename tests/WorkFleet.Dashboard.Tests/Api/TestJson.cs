using System.Text.Json;

namespace WorkFleet.Dashboard.Tests.Api;

/// <summary>JSON literals for tests.</summary>
internal static class TestJson
{
    /// <summary>Parses <paramref name="json"/> into a detached element.</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
