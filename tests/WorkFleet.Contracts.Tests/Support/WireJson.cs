using System.Text.Json;
using MassTransit.Serialization;

namespace WorkFleet.Contracts.Tests.Support;

/// <summary>Serializes exactly as the bus does: MassTransit's own System.Text.Json settings.</summary>
internal static class WireJson
{
    public static JsonSerializerOptions Options => SystemTextJsonMessageSerializer.Options;

    public static string Serialize<T>(T message) => JsonSerializer.Serialize(message, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidOperationException("JSON 'null' is not a message.");

    public static T RoundTrip<T>(T message) => Deserialize<T>(Serialize(message));

    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static IReadOnlyList<string> PropertyNames(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
    }
}
