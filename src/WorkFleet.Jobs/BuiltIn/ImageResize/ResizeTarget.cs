using System.Text.Json;
using System.Text.Json.Serialization;
using WorkFleet.Jobs.Schema;

namespace WorkFleet.Jobs.BuiltIn.ImageResize;

/// <summary>
/// The <c>resize</c> of <c>preprocess.resize</c>. JSON: a number, the length of the shorter side (the other
/// side keeps the aspect ratio, truncated like torchvision's <c>Resize(int)</c>), or <c>[width, height]</c>.
/// </summary>
[JsonConverter(typeof(ResizeTargetConverter))]
[JsonSchema("""{"oneOf":[{"type":"integer","minimum":1},{"type":"array","items":{"type":"integer","minimum":1},"minItems":2,"maxItems":2}]}""")]
public sealed record ResizeTarget
{
    /// <summary>The shorter side's new length, when given as a number.</summary>
    public int? ShorterSide { get; init; }

    /// <summary>The exact new width, when given as <c>[width, height]</c>.</summary>
    public int? Width { get; init; }

    /// <summary>The exact new height, when given as <c>[width, height]</c>.</summary>
    public int? Height { get; init; }

    /// <summary>The size an image of <paramref name="width"/> × <paramref name="height"/> is resized to.</summary>
    /// <param name="width">The image's width.</param>
    /// <param name="height">The image's height.</param>
    /// <returns>The new width and height.</returns>
    /// <exception cref="JobInputException">The longer side would not fit an <see cref="int"/> (or would be 0):
    /// an extreme aspect ratio, which the input limits normally rule out before this runs.</exception>
    public (int Width, int Height) Apply(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (ShorterSide is not { } side)
        {
            return (Width ?? width, Height ?? height);
        }

        // In long, never truncated: 256 x 16,777,216 is 2^32, which an int would wrap to 0.
        long longer = width <= height ? (long)side * height / width : (long)side * width / height;
        if (longer is < 1 or > int.MaxValue)
        {
            throw new JobInputException(
                $"{BuiltInJobTypes.Resize}: 'resize' {side} would make the longer side of the {width}x{height} image {longer} pixels; it must be between 1 and {int.MaxValue}");
        }

        return width <= height ? (side, (int)longer) : ((int)longer, side);
    }

    /// <summary>The values to validate, named as in the JSON.</summary>
    internal IEnumerable<(string Name, int Value)> Values() =>
        ShorterSide is { } side ? [("resize", side)] : [("resize[0]", Width ?? 0), ("resize[1]", Height ?? 0)];

    private sealed class ResizeTargetConverter : JsonConverter<ResizeTarget>
    {
        public override ResizeTarget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.TryGetInt32(out int side)
                    ? new ResizeTarget { ShorterSide = side }
                    : throw new JsonException("'resize' must be an integer or [width, height].");
            }

            int[]? size = reader.TokenType == JsonTokenType.StartArray ? JsonSerializer.Deserialize<int[]>(ref reader, options) : null;
            return size is { Length: 2 }
                ? new ResizeTarget { Width = size[0], Height = size[1] }
                : throw new JsonException("'resize' must be an integer (the shorter side) or [width, height].");
        }

        public override void Write(Utf8JsonWriter writer, ResizeTarget value, JsonSerializerOptions options)
        {
            if (value.ShorterSide is { } side)
            {
                writer.WriteNumberValue(side);
                return;
            }

            writer.WriteStartArray();
            writer.WriteNumberValue(value.Width ?? 0);
            writer.WriteNumberValue(value.Height ?? 0);
            writer.WriteEndArray();
        }
    }
}
