using System.Numerics.Tensors;
using WorkFleet.Jobs.BuiltIn.Inference;

namespace WorkFleet.Jobs.Training.Training;

/// <summary>
/// Trains a ReLU MLP with a softmax cross-entropy loss by mini-batch Adam (Kingma and Ba, 2015) with L2 weight
/// decay. Backpropagation is written out with <see cref="TensorPrimitives"/>: for a layer y = W·x + b with
/// upstream gradient d (one row per sample), dW += dᵀ·x, db += Σ d, dx = d·W, and ReLU passes d where its
/// output is positive. Weights start He-normal (N(0, 2 / inputs)), biases at 0.
/// </summary>
internal sealed class MlpTrainer
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    private readonly int[] _sizes;
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private int _step;

    public MlpTrainer(IReadOnlyList<int> sizes, SplitMix64 random)
    {
        _sizes = [.. sizes];
        int layers = _sizes.Length - 1;
        _weights = new Parameter[layers];
        _biases = new Parameter[layers];
        for (int l = 0; l < layers; l++)
        {
            _weights[l] = new Parameter(_sizes[l] * _sizes[l + 1]);
            _biases[l] = new Parameter(_sizes[l + 1]);
            float deviation = MathF.Sqrt(2f / _sizes[l]);
            for (int i = 0; i < _weights[l].Values.Length; i++)
            {
                _weights[l].Values[i] = (float)random.NextGaussian() * deviation;
            }
        }
    }

    /// <summary>One pass over the samples in a random order; returns the mean loss.</summary>
    public double TrainEpoch(float[] features, int[] labels, int batchSize, float learningRate, float weightDecay, SplitMix64 random)
    {
        int inputs = _sizes[0];
        int[] order = [.. Enumerable.Range(0, labels.Length)];
        random.Shuffle(order);
        double loss = 0;
        var batch = new float[batchSize * inputs];
        var batchLabels = new int[batchSize];
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int rows = Math.Min(batchSize, order.Length - start);
            for (int r = 0; r < rows; r++)
            {
                features.AsSpan(order[start + r] * inputs, inputs).CopyTo(batch.AsSpan(r * inputs));
                batchLabels[r] = labels[order[start + r]];
            }

            loss += Step(batch.AsSpan(0, rows * inputs), batchLabels.AsSpan(0, rows), learningRate, weightDecay) * rows;
        }

        return loss / labels.Length;
    }

    /// <summary>The trained network as a model; <paramref name="inputScale"/> is folded into the first layer so the model takes unscaled inputs.</summary>
    public MlpModel ToModel(string name, float inputScale, IReadOnlyDictionary<string, string> metadata)
    {
        var layers = new DenseLayer[_weights.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            float[] weights = [.. _weights[l].Values];
            if (l == 0)
            {
                TensorPrimitives.Multiply(weights, inputScale, weights);
            }

            layers[l] = new DenseLayer(_sizes[l], _sizes[l + 1], weights, _biases[l].Values.ToArray());
        }

        return new MlpModel(name, layers, metadata: metadata);
    }

    private double Step(ReadOnlySpan<float> batch, ReadOnlySpan<int> labels, float learningRate, float weightDecay)
    {
        int rows = labels.Length;
        int layers = _weights.Length;

        // Forward, keeping every layer's activations (the last holds the softmax probabilities).
        var activations = new float[layers + 1][];
        activations[0] = batch.ToArray();
        for (int l = 0; l < layers; l++)
        {
            (int n, int m) = (_sizes[l], _sizes[l + 1]);
            activations[l + 1] = new float[rows * m];
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> x = activations[l].AsSpan(r * n, n);
                Span<float> y = activations[l + 1].AsSpan(r * m, m);
                for (int o = 0; o < m; o++)
                {
                    y[o] = TensorPrimitives.Dot(x, _weights[l].Values.AsSpan(o * n, n)) + _biases[l].Values[o];
                }

                if (l < layers - 1)
                {
                    TensorPrimitives.Max(y, 0f, y);
                }
                else
                {
                    TensorPrimitives.SoftMax(y, y);
                }
            }
        }

        // Softmax with cross-entropy: the gradient at the logits is (p - onehot) / rows.
        int classes = _sizes[^1];
        float[] delta = [.. activations[layers]];
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            loss -= Math.Log(Math.Max(delta[(r * classes) + labels[r]], 1e-12f));
            delta[(r * classes) + labels[r]] -= 1f;
        }

        TensorPrimitives.Multiply(delta, 1f / rows, delta);

        for (int l = layers - 1; l >= 0; l--)
        {
            (int n, int m) = (_sizes[l], _sizes[l + 1]);
            float[] weights = _weights[l].Values;
            Span<float> weightGradient = _weights[l].Gradient;
            Span<float> biasGradient = _biases[l].Gradient;
            weightGradient.Clear();
            biasGradient.Clear();
            float[] previousDelta = l > 0 ? new float[rows * n] : [];
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> x = activations[l].AsSpan(r * n, n);
                ReadOnlySpan<float> d = delta.AsSpan(r * m, m);
                TensorPrimitives.Add(biasGradient, d, biasGradient);
                for (int o = 0; o < m; o++)
                {
                    Span<float> gradientRow = weightGradient.Slice(o * n, n);
                    TensorPrimitives.MultiplyAdd(x, d[o], gradientRow, gradientRow);
                    if (l > 0)
                    {
                        Span<float> back = previousDelta.AsSpan(r * n, n);
                        TensorPrimitives.MultiplyAdd(weights.AsSpan(o * n, n), d[o], back, back);
                    }
                }

                if (l > 0)
                {
                    // ReLU: the gradient flows only where the activation was positive.
                    Span<float> back = previousDelta.AsSpan(r * n, n);
                    for (int i = 0; i < n; i++)
                    {
                        if (x[i] <= 0)
                        {
                            back[i] = 0;
                        }
                    }
                }
            }

            delta = previousDelta;
        }

        _step++;
        for (int l = 0; l < layers; l++)
        {
            _weights[l].Update(learningRate, weightDecay, _step);
            _biases[l].Update(learningRate, 0, _step);
        }

        return loss / rows;
    }

    /// <summary>Values, gradient and Adam moments of one tensor.</summary>
    private sealed class Parameter(int length)
    {
        private readonly float[] _mean = new float[length];
        private readonly float[] _variance = new float[length];
        private readonly float[] _scratch = new float[length];

        public float[] Values { get; } = new float[length];

        public float[] Gradient { get; } = new float[length];

        public void Update(float learningRate, float weightDecay, int step)
        {
            Span<float> g = Gradient;
            if (weightDecay > 0)
            {
                TensorPrimitives.MultiplyAdd(Values, weightDecay, g, g);
            }

            TensorPrimitives.Multiply(_mean, Beta1, _mean);
            TensorPrimitives.MultiplyAdd(g, 1 - Beta1, _mean, _mean);
            TensorPrimitives.Multiply(g, g, _scratch);
            TensorPrimitives.Multiply(_variance, Beta2, _variance);
            TensorPrimitives.MultiplyAdd(_scratch, 1 - Beta2, _variance, _variance);

            // w -= lr * m̂ / (sqrt(v̂) + eps), with m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t).
            float meanCorrection = 1f / (1f - MathF.Pow(Beta1, step));
            float varianceCorrection = 1f / (1f - MathF.Pow(Beta2, step));
            TensorPrimitives.Multiply(_variance, varianceCorrection, _scratch);
            TensorPrimitives.Sqrt(_scratch, _scratch);
            TensorPrimitives.Add(_scratch, Epsilon, _scratch);
            TensorPrimitives.Divide(_mean, _scratch, _scratch);
            TensorPrimitives.MultiplyAdd(_scratch, -learningRate * meanCorrection, Values, Values);
        }
    }
}
