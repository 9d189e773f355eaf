using System.Text.Json;

namespace WorkFleet.CommandLine;

/// <summary>The command-line tools' machine-readable output: camelCase, one line.</summary>
public static class Json
{
    /// <summary>Serializer settings for every --json line.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <paramref name="value"/> as the last line of stdout.</summary>
    public static void WriteLine<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));
}
