using System.Text.Json.Serialization;

namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>One class and its probability. JSON: <c>{"class": 7, "label": "7", "probability": 0.98}</c>.</summary>
public sealed record ClassProbability
{
    /// <summary>The class index, 0-based: the position in <see cref="MlpPrediction.Probabilities"/>.</summary>
    [JsonPropertyName("class")]
    public required int ClassIndex { get; init; }

    /// <summary>The class name from the model's labels.</summary>
    public required string Label { get; init; }

    /// <summary>The class's softmax probability.</summary>
    public required float Probability { get; init; }
}
