using System.Text.Json;

namespace WorkFleet.Contracts;

/// <summary>
/// The JSON <c>null</c> value: the default of payload and result properties, so a message that never set
/// one still serializes (a <c>default(JsonElement)</c> cannot be written).
/// </summary>
public static class JsonNull
{
    /// <summary>A detached JSON <c>null</c>.</summary>
    public static JsonElement Value { get; } = JsonDocument.Parse("null").RootElement.Clone();
}
