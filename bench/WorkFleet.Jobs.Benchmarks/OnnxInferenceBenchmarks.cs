using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Jobs.BuiltIn.Onnx;

namespace WorkFleet.Jobs.Benchmarks;

/// <summary>
/// The shipped digits model on ONNX Runtime (CPU) beside the project's own MLP kernel, same rows, same run, at
/// batch sizes 1, 8 and 64:
/// <list type="bullet">
/// <item><see cref="MlpForward"/>: <see cref="MlpModel.Forward"/> on <c>digits-mlp.safetensors</c>.</item>
/// <item><see cref="OnnxRun"/>: one <c>InferenceSession.Run</c> of <c>digits-mlp.onnx</c> (the same weights
/// exported), input tensor made once, outputs read back.</item>
/// <item><see cref="MlpJob"/> / <see cref="OnnxJob"/>: <c>inference.mlp</c> / <c>inference.onnx</c> as a worker runs
/// them, JSON input to JSON output.</item>
/// </list>
/// </summary>
[Config(typeof(ThroughputConfig))]
public class OnnxInferenceBenchmarks : IDisposable
{
    private MlpModel _model = null!;
    private OnnxModelCatalog _catalog = null!;
    private InferenceSession _session = null!;
    private OrtValue _input = null!;
    private RunOptions _runOptions = null!;
    private float[] _inputs = null!;
    private float[] _probabilities = null!;
    private IJobHandler _mlpJob = null!;
    private IJobHandler _onnxJob = null!;
    private JsonElement _mlpJobInput;
    private JsonElement _onnxJobInput;

    /// <summary>Rows per forward pass.</summary>
    [Params(1, 8, 64)]
    public int BatchSize { get; set; }

    /// <summary>FLOPs of one row of the digits model (2 · Σ inputs · outputs), read by <see cref="ThroughputColumn"/>.</summary>
    public static long FlopsPerRow => 34_048;

    [GlobalSetup]
    public void Setup()
    {
        var mlpCatalog = new MlpModelCatalog(Options.Create(new MlpModelOptions()));
        _model = mlpCatalog.TryGet(MlpModelCatalog.DigitsModelName, out MlpModel? model) ? model : throw new InvalidOperationException("digits-mlp is missing");
        _catalog = new OnnxModelCatalog(Options.Create(new OnnxModelOptions()));
        using (Stream stream = typeof(OnnxModelCatalog).Assembly.GetManifestResourceStream("WorkFleet.Jobs.Resources.Models.digits-mlp.onnx")!)
        using (var bytes = new MemoryStream())
        {
            stream.CopyTo(bytes);
            _session = new InferenceSession(bytes.ToArray());
        }

        var random = new Random(1);
        _inputs = [.. Enumerable.Range(0, BatchSize * _model.InputSize).Select(_ => (float)random.Next(16))];
        _probabilities = new float[BatchSize * _model.OutputSize];
        _input = OrtValue.CreateTensorValueFromMemory(_inputs, [BatchSize, _model.InputSize]);
        _runOptions = new RunOptions();

        var services = new ServiceCollection().AddBuiltInJobs().BuildServiceProvider();
        var registry = services.GetRequiredService<JobHandlerRegistry>();
        _mlpJob = registry.TryGet(BuiltInJobTypes.Mlp, out IJobHandler? mlp) ? mlp : throw new InvalidOperationException();
        _onnxJob = registry.TryGet(BuiltInJobTypes.Onnx, out IJobHandler? onnx) ? onnx : throw new InvalidOperationException();
        _mlpJobInput = JsonSerializer.SerializeToElement(new { model = MlpModelCatalog.DigitsModelName, inputs = _inputs.Chunk(_model.InputSize), topK = 3 });
        _onnxJobInput = JsonSerializer.SerializeToElement(new
        {
            model = OnnxModelCatalog.DigitsModelName,
            inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { BatchSize, _model.InputSize }, data = _inputs } },
        });
    }

    [Benchmark(Baseline = true)]
    public float MlpForward()
    {
        _model.Forward(_inputs, BatchSize, _probabilities);
        return _probabilities[0];
    }

    [Benchmark]
    public float OnnxRun()
    {
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_runOptions, ["input"], [_input], ["probabilities"]);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    [Benchmark]
    public Task<JsonElement> MlpJob() => _mlpJob.ExecuteAsync(_mlpJobInput, CancellationToken.None);

    [Benchmark]
    public Task<JsonElement> OnnxJob() => _onnxJob.ExecuteAsync(_onnxJobInput, CancellationToken.None);

    [GlobalCleanup]
    public void Dispose()
    {
        _input?.Dispose();
        _runOptions?.Dispose();
        _session?.Dispose();
        _catalog?.Dispose();
        GC.SuppressFinalize(this);
    }
}
