using System.Numerics.Tensors;

namespace WorkFleet.Jobs.BuiltIn.Normalization;

/// <summary>Per-feature (column) statistics and scaling of a batch of equal-length vectors.</summary>
internal static class FeatureStatistics
{
    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or -1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        if (TensorPrimitives.IsFiniteAll(values))
        {
            return -1;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Mean and population standard deviation of each feature, accumulated in double, two passes.</summary>
    public static (float[] Mean, float[] Std) MeanAndStd(IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        int dimension = vectors[0].Length;
        var row = new double[dimension];
        var sum = new double[dimension];
        foreach (float[] vector in vectors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TensorPrimitives.ConvertChecked<float, double>(vector, row);
            TensorPrimitives.Add(sum, row, sum);
        }

        var mean = new double[dimension];
        TensorPrimitives.Divide(sum, vectors.Count, mean);

        var squares = new double[dimension];
        foreach (float[] vector in vectors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TensorPrimitives.ConvertChecked<float, double>(vector, row);
            TensorPrimitives.Subtract(row, mean, row);
            TensorPrimitives.MultiplyAdd(row, row, squares, squares);
        }

        TensorPrimitives.Divide(squares, vectors.Count, squares);
        TensorPrimitives.Sqrt(squares, squares);
        return (ToSingle(mean), ToSingle(squares));
    }

    /// <summary>Minimum and maximum of each feature.</summary>
    public static (float[] Min, float[] Max) MinAndMax(IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        float[] min = [.. vectors[0]];
        float[] max = [.. vectors[0]];
        for (int i = 1; i < vectors.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TensorPrimitives.Min(min, vectors[i], min);
            TensorPrimitives.Max(max, vectors[i], max);
        }

        return (min, max);
    }

    /// <summary>
    /// <c>(x - center) / spread</c> for every vector, into new arrays; a feature whose spread is 0 maps to 0
    /// (not to <c>x - center</c>, which can be a rounding residue rather than a real offset).
    /// </summary>
    public static float[][] Scale(
        IReadOnlyList<float[]> vectors,
        float[] center,
        float[] spread,
        CancellationToken cancellationToken)
    {
        float[] divisor = [.. spread];
        float[]? keep = null;
        for (int j = 0; j < divisor.Length; j++)
        {
            if (divisor[j] == 0)
            {
                divisor[j] = 1;
                keep ??= CreateFilled(divisor.Length, 1);
                keep[j] = 0;
            }
        }

        var scaled = new float[vectors.Count][];
        for (int i = 0; i < scaled.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            float[] result = new float[center.Length];
            TensorPrimitives.Subtract(vectors[i], center, result);
            TensorPrimitives.Divide(result, divisor, result);
            if (keep is not null)
            {
                TensorPrimitives.Multiply(result, keep, result);
            }

            scaled[i] = result;
        }

        return scaled;
    }

    private static float[] ToSingle(double[] values)
    {
        var result = new float[values.Length];
        TensorPrimitives.ConvertChecked<double, float>(values, result);
        return result;
    }

    private static float[] CreateFilled(int length, float value)
    {
        var values = new float[length];
        Array.Fill(values, value);
        return values;
    }
}
