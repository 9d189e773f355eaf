using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.Normalization;

/// <summary>
/// Input of <c>preprocess.normalize</c>: a batch of feature vectors to scale per feature (column).
/// </summary>
/// <remarks>
/// JSON: <c>{"vectors": [[1, 10], [2, 20], [3, 30]], "method": "standardize", "mean": [2, 20], "std": [1, 10]}</c>.
/// <list type="bullet">
/// <item><c>vectors</c> (required): 1 to 10,000 vectors of finite numbers, all of one length from 1 to 65,536.</item>
/// <item><c>method</c>: <c>"standardize"</c> (default) or <c>"minmax"</c>.</item>
/// <item><c>mean</c> and <c>std</c> (standardize only, optional, together): statistics to apply, e.g. from
/// training data; when absent they are computed from the batch (population standard deviation).</item>
/// <item><c>min</c> and <c>max</c> (minmax only, optional, together): the range to map to [0, 1]; when absent,
/// the batch's own per-feature minimum and maximum.</item>
/// </list>
/// A feature whose std (or max - min) is 0 maps to 0. The result is a <see cref="NormalizeOutput"/>.
/// </remarks>
[Description("A batch of numeric feature vectors to scale per feature (column).")]
public sealed record NormalizeInput : IValidatableJobInput
{
    /// <summary>Most vectors in one job.</summary>
    public const int MaxVectors = 10_000;

    /// <summary>Longest vector.</summary>
    public const int MaxDimension = 65_536;

    /// <summary>The feature vectors, one per row.</summary>
    [Description("1 to 10,000 vectors of finite numbers, all of one length from 1 to 65,536.")]
    public required IReadOnlyList<float[]> Vectors { get; init; }

    /// <summary>The scaling; default <see cref="NormalizationMethod.Standardize"/>.</summary>
    [Description("\"standardize\": (x - mean) / std; \"minmax\": (x - min) / (max - min).")]
    [DefaultValue(NormalizationMethod.Standardize)]
    public NormalizationMethod Method { get; init; } = NormalizationMethod.Standardize;

    /// <summary>Per-feature means to subtract (standardize); computed from the batch when absent.</summary>
    [Description("Per-feature means to apply (standardize, with std); computed from the batch when absent.")]
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-feature standard deviations to divide by (standardize); computed from the batch when absent.</summary>
    [Description("Per-feature standard deviations to apply (standardize, with mean); population std of the batch when absent.")]
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Per-feature values mapped to 0 (minmax); the batch minimum when absent.</summary>
    [Description("Per-feature values mapped to 0 (minmax, with max); the batch minimum when absent.")]
    public IReadOnlyList<float>? Min { get; init; }

    /// <summary>Per-feature values mapped to 1 (minmax); the batch maximum when absent.</summary>
    [Description("Per-feature values mapped to 1 (minmax, with min); the batch maximum when absent.")]
    public IReadOnlyList<float>? Max { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (!Enum.IsDefined(Method))
        {
            yield return $"'method' must be \"standardize\" or \"minmax\" but is {(int)Method}";
        }

        if (Vectors is null)
        {
            yield return "'vectors' is required";
            yield break;
        }

        if (Vectors.Count is < 1 or > MaxVectors)
        {
            yield return $"'vectors' must contain 1 to {MaxVectors} vectors but has {Vectors.Count}";
            yield break;
        }

        float[]? first = Vectors[0];
        if (first is null || first.Length is < 1 or > MaxDimension)
        {
            yield return $"'vectors[0]' must have 1 to {MaxDimension} elements but has {first?.Length ?? 0}";
            yield break;
        }

        for (int i = 0; i < Vectors.Count; i++)
        {
            float[]? vector = Vectors[i];
            if (vector is null)
            {
                yield return $"'vectors[{i}]' is null";
            }
            else if (vector.Length != first.Length)
            {
                yield return $"'vectors[{i}]' has length {vector.Length} but vectors[0] has length {first.Length}";
            }
            else if (FeatureStatistics.IndexOfNonFinite(vector) is var index and >= 0)
            {
                yield return $"'vectors[{i}][{index}]' is not a finite number";
            }
        }

        foreach (string error in ValidateStatistics(first.Length))
        {
            yield return error;
        }
    }

    private IEnumerable<string> ValidateStatistics(int dimension)
    {
        bool minMax = Method == NormalizationMethod.MinMax;
        (string centerName, IReadOnlyList<float>? center, string spreadName, IReadOnlyList<float>? spread) =
            minMax ? ("min", Min, "max", Max) : ("mean", Mean, "std", Std);
        bool otherGiven = minMax ? Mean is not null || Std is not null : Min is not null || Max is not null;
        if (otherGiven)
        {
            yield return minMax
                ? "'mean' and 'std' apply only to method \"standardize\""
                : "'min' and 'max' apply only to method \"minmax\"";
        }

        if (center is null || spread is null)
        {
            if (center is not null || spread is not null)
            {
                yield return $"'{centerName}' and '{spreadName}' must be given together";
            }

            yield break;
        }

        foreach ((string name, IReadOnlyList<float> values) in new[] { (centerName, center), (spreadName, spread) })
        {
            if (values.Count != dimension)
            {
                yield return $"'{name}' has length {values.Count} but the vectors have length {dimension}";
                yield break;
            }

            for (int j = 0; j < values.Count; j++)
            {
                if (!float.IsFinite(values[j]))
                {
                    yield return $"'{name}[{j}]' is not a finite number";
                    yield break;
                }
            }
        }

        for (int j = 0; j < dimension; j++)
        {
            if (minMax ? spread[j] < center[j] : spread[j] < 0)
            {
                yield return minMax ? $"'max[{j}]' is less than 'min[{j}]'" : $"'std[{j}]' is negative";
                yield break;
            }
        }
    }
}
