using BenchmarkDotNet.Attributes;
using WorkFleet.Jobs.BuiltIn.Inference;

namespace WorkFleet.Jobs.Benchmarks;

/// <summary>
/// <see cref="MlpModel.Forward"/> on a generated 64-4096-4096-10 model (64 MiB of weights, far beyond the caches)
/// at batch sizes 1, 8 and 64: the case dynamic batching exists for. One row at a time streams every weight
/// from memory per row; a batch streams them once for all its rows, so GFLOP/s climbs with the batch size
/// towards the cache-resident peak of <see cref="MlpInferenceBenchmarks.PeakDot"/>.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class LargeMlpBenchmarks
{
    private const int Features = 64;
    private const int Hidden = 4096;
    private const int Classes = 10;

    private MlpModel _model = null!;
    private float[] _inputs = null!;
    private float[] _probabilities = null!;

    /// <summary>Rows per forward pass.</summary>
    [Params(1, 8, 64)]
    public int BatchSize { get; set; }

    /// <summary>FLOPs of one row, read by <see cref="ThroughputColumn"/>: 2 · Σ inputs · outputs.</summary>
    public static long FlopsPerRow => 2L * ((Features * Hidden) + (Hidden * Hidden) + (Hidden * Classes));

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        DenseLayer Layer(int inputs, int outputs)
        {
            float scale = (float)Math.Sqrt(2.0 / inputs);
            float[] weights = [.. Enumerable.Range(0, inputs * outputs).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale)];
            return new DenseLayer(inputs, outputs, weights, new float[outputs]);
        }

        _model = new MlpModel("large", [Layer(Features, Hidden), Layer(Hidden, Hidden), Layer(Hidden, Classes)]);
        if (_model.FlopsPerRow != FlopsPerRow)
        {
            throw new InvalidOperationException($"The model does {_model.FlopsPerRow} FLOPs per row, not {FlopsPerRow}.");
        }

        _inputs = [.. Enumerable.Range(0, BatchSize * Features).Select(_ => (float)random.Next(16))];
        _probabilities = new float[BatchSize * Classes];
    }

    [Benchmark]
    public float Forward()
    {
        _model.Forward(_inputs, BatchSize, _probabilities);
        return _probabilities[0];
    }
}
