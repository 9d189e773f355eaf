using System.ComponentModel;
using System.Numerics.Tensors;

namespace WorkFleet.Jobs.BuiltIn.Normalization;

/// <summary>
/// The <c>preprocess.normalize</c> job: per-feature standardization or min-max scaling of a batch of
/// vectors with <see cref="TensorPrimitives"/>. Runs synchronously on the calling
/// thread and checks for cancellation between vectors.
/// </summary>
[Description("Per-feature standardization or min-max scaling of a batch of vectors, with given or computed statistics.")]
public sealed class NormalizeJobHandler : IJobHandler<NormalizeInput, NormalizeOutput>
{
    /// <inheritdoc />
    /// <remarks>Expects input that passed <see cref="NormalizeInput.Validate"/>, as the registry ensures.</remarks>
    public Task<NormalizeOutput> HandleAsync(NormalizeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(input.Method == NormalizationMethod.MinMax
            ? MinMax(input, cancellationToken)
            : Standardize(input, cancellationToken));
    }

    private static NormalizeOutput Standardize(NormalizeInput input, CancellationToken cancellationToken)
    {
        (float[] mean, float[] std) = input.Mean is not null && input.Std is not null
            ? ([.. input.Mean], [.. input.Std])
            : FeatureStatistics.MeanAndStd(input.Vectors, cancellationToken);
        return new NormalizeOutput
        {
            Vectors = FeatureStatistics.Scale(input.Vectors, mean, std, cancellationToken),
            Mean = mean,
            Std = std,
        };
    }

    private static NormalizeOutput MinMax(NormalizeInput input, CancellationToken cancellationToken)
    {
        (float[] min, float[] max) = input.Min is not null && input.Max is not null
            ? ([.. input.Min], [.. input.Max])
            : FeatureStatistics.MinAndMax(input.Vectors, cancellationToken);
        float[] range = new float[min.Length];
        TensorPrimitives.Subtract(max, min, range);
        return new NormalizeOutput
        {
            Vectors = FeatureStatistics.Scale(input.Vectors, min, range, cancellationToken),
            Min = min,
            Max = max,
        };
    }
}
