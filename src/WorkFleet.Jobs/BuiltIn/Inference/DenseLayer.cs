namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>
/// One linear layer of an <see cref="MlpModel"/>: <c>y = W·x + b</c>, with W stored row-major as
/// [outputs, inputs] (the layout of PyTorch's <c>nn.Linear.weight</c>).
/// </summary>
public sealed class DenseLayer
{
    /// <summary>Creates a layer.</summary>
    /// <param name="inputSize">Length of x.</param>
    /// <param name="outputSize">Length of y.</param>
    /// <param name="weights">W, <paramref name="outputSize"/> rows of <paramref name="inputSize"/> values.</param>
    /// <param name="bias">b, <paramref name="outputSize"/> values.</param>
    /// <exception cref="ArgumentException">A size is not positive, the lengths do not match, or a value is not finite.</exception>
    public DenseLayer(int inputSize, int outputSize, ReadOnlyMemory<float> weights, ReadOnlyMemory<float> bias)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        if (weights.Length != (long)inputSize * outputSize)
        {
            throw new ArgumentException($"The weights have {weights.Length} values but a {inputSize} -> {outputSize} layer needs {(long)inputSize * outputSize}.", nameof(weights));
        }

        if (bias.Length != outputSize)
        {
            throw new ArgumentException($"The bias has {bias.Length} values but the layer has {outputSize} outputs.", nameof(bias));
        }

        if (IndexOfNonFinite(weights.Span) is var badWeight and >= 0)
        {
            throw new ArgumentException($"Weight {badWeight} is not a finite number.", nameof(weights));
        }

        if (IndexOfNonFinite(bias.Span) is var badBias and >= 0)
        {
            throw new ArgumentException($"Bias {badBias} is not a finite number.", nameof(bias));
        }

        InputSize = inputSize;
        OutputSize = outputSize;
        Weights = weights;
        Bias = bias;
    }

    /// <summary>Length of x.</summary>
    public int InputSize { get; }

    /// <summary>Length of y.</summary>
    public int OutputSize { get; }

    /// <summary>W, row-major [outputs, inputs].</summary>
    public ReadOnlyMemory<float> Weights { get; }

    /// <summary>b.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
