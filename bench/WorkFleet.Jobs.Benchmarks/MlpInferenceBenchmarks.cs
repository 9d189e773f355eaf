using System.Numerics.Tensors;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.Inference;

namespace WorkFleet.Jobs.Benchmarks;

/// <summary>
/// Inference throughput of the shipped <c>digits-mlp</c> (64-128-64-10) at batch sizes 1, 8 and 64, beside the
/// machine's measured peak for the same kernel. Every benchmark does the same floating-point work per
/// invocation, <c>BatchSize × FlopsPerRow</c> (2 · Σ inputs · outputs = 34,048 per row), so the GFLOP/s
/// columns compare directly:
/// <list type="bullet">
/// <item><see cref="Forward"/>: <see cref="MlpModel.Forward"/>, a SIMD product over 64- or 128-long vectors that reads
/// each weight row once per block of four input rows (so batches of 4 or more cost less per row), plus bias,
/// ReLU and softmax.</item>
/// <item><see cref="PeakDot"/>: the same kernel at its best, <c>Dot</c> over two 2,128-long vectors resident in
/// L1, 8 calls per row (8 · 2 · 2,128 = 34,048 FLOPs).</item>
/// <item><see cref="Job"/>: the <c>inference.mlp</c> job as a worker runs it, JSON input to JSON output.</item>
/// </list>
/// </summary>
[Config(typeof(ThroughputConfig))]
public class MlpInferenceBenchmarks
{
    private const int PeakLength = 2_128;
    private const int PeakCallsPerRow = 8;

    private MlpModel _model = null!;
    private float[] _inputs = null!;
    private float[] _probabilities = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private IJobHandler _job = null!;
    private JsonElement _jobInput;

    /// <summary>Rows per forward pass.</summary>
    [Params(1, 8, 64)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var catalog = new MlpModelCatalog(Options.Create(new MlpModelOptions()));
        _model = catalog.TryGet(MlpModelCatalog.DigitsModelName, out MlpModel? model) ? model : throw new InvalidOperationException("digits-mlp is missing");
        if (_model.FlopsPerRow != 2L * PeakLength * PeakCallsPerRow)
        {
            throw new InvalidOperationException($"The model does {_model.FlopsPerRow} FLOPs per row; update the peak kernel to match.");
        }

        var random = new Random(1);
        _inputs = [.. Enumerable.Range(0, BatchSize * _model.InputSize).Select(_ => (float)random.Next(16))];
        _probabilities = new float[BatchSize * _model.OutputSize];
        _x = [.. Enumerable.Range(0, PeakLength).Select(_ => (float)random.NextDouble())];
        _y = [.. Enumerable.Range(0, PeakLength).Select(_ => (float)random.NextDouble())];

        var services = new ServiceCollection().AddBuiltInJobs().BuildServiceProvider();
        _job = services.GetRequiredService<JobHandlerRegistry>().TryGet(BuiltInJobTypes.Mlp, out IJobHandler? job) ? job : throw new InvalidOperationException();
        float[][] rows = [.. _inputs.Chunk(_model.InputSize)];
        _jobInput = JsonSerializer.SerializeToElement(new { model = MlpModelCatalog.DigitsModelName, inputs = rows, topK = 3 });
    }

    /// <summary>FLOPs of one invocation of any benchmark here, read by <see cref="ThroughputColumn"/>.</summary>
    public static long FlopsPerRow => 2L * PeakLength * PeakCallsPerRow;

    [Benchmark(Baseline = true)]
    public float PeakDot()
    {
        float sum = 0;
        for (int i = 0; i < BatchSize * PeakCallsPerRow; i++)
        {
            sum += TensorPrimitives.Dot(_x, _y);
        }

        return sum;
    }

    [Benchmark]
    public float Forward()
    {
        _model.Forward(_inputs, BatchSize, _probabilities);
        return _probabilities[0];
    }

    [Benchmark]
    public Task<JsonElement> Job() => _job.ExecuteAsync(_jobInput, CancellationToken.None);
}
