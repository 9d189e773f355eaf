using System.Text.Json.Serialization;

namespace WorkFleet.Jobs.BuiltIn.Normalization;

/// <summary>
/// Result of <c>preprocess.normalize</c>: the scaled vectors and the statistics used, so they can be
/// applied to later batches. JSON for standardize: <c>{"vectors": [[-1.2247, ...]], "mean": [...], "std": [...]}</c>;
/// for minmax: <c>{"vectors": [[0, ...]], "min": [...], "max": [...]}</c>.
/// </summary>
public sealed record NormalizeOutput
{
    /// <summary>The scaled vectors, in input order.</summary>
    public required IReadOnlyList<float[]> Vectors { get; init; }

    /// <summary>The per-feature means used (standardize only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>The per-feature standard deviations used (standardize only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>The per-feature minimums used (minmax only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<float>? Min { get; init; }

    /// <summary>The per-feature maximums used (minmax only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<float>? Max { get; init; }
}
