using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Worker.Configuration;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class OnnxInferenceFleetTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task OnnxTasks_BatchingWorker_EveryResultIsTheMlpForwardPass_AndBadModelsFailAsInvalidInput()
    {
        // Arrange: a dispatcher and one worker that batches inference.onnx, on a real broker and database.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("onnx"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("onnx"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o =>
        {
            (o.WorkerId, o.Capacity) = ("onnx-1", 16);
            o.Batching["inference.onnx"] = new BatchingOptions { MaxBatchSize = 8, MaxDelay = TimeSpan.FromMilliseconds(20) };
        }));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();

        var rows = Enumerable.Range(0, 24).Select(i => Rows(seed: i, count: 1 + (i % 3))).ToList();
        var tasks = rows.Select(r => client.CreateTask("inference.onnx", Request("digits-mlp.onnx", r))).ToList();
        var escape = client.CreateTask("inference.onnx", Request("../digits-mlp.onnx", rows[0]));
        var unknown = client.CreateTask("inference.onnx", Request("nope.onnx", rows[0]));

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var all = tasks.Append(escape).Append(unknown).ToList();
        var outcomes = all.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(all);
        var finished = (await Task.WhenAll(outcomes)).ToDictionary(f => f.TaskId);

        // Assert: each task's rows came back as the MLP's probabilities, whatever batch they ran in.
        var mlp = new MlpModelCatalog(Options.Create(new MlpModelOptions()));
        Assert.True(mlp.TryGet("digits-mlp", out MlpModel? model));
        for (var i = 0; i < tasks.Count; i++)
        {
            var outcome = finished[tasks[i].TaskId];
            Assert.True(outcome.Outcome == TaskOutcome.Succeeded, $"task {i}: {outcome.ErrorKind} {outcome.Error}");
            var tensor = Assert.Single(outcome.Result!.Value.GetProperty("outputs").EnumerateArray());
            Assert.Equal([rows[i].Length, 10], tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            var expected = new float[rows[i].Length * 10];
            model.Forward([.. rows[i].SelectMany(row => row)], rows[i].Length, expected);
            var actual = tensor.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
        }

        Assert.Equal(TaskOutcome.Failed, finished[escape.TaskId].Outcome);
        Assert.Equal("invalid-input", finished[escape.TaskId].ErrorKind);
        Assert.Contains("contains '..'", finished[escape.TaskId].Error, StringComparison.Ordinal);
        Assert.Equal(TaskOutcome.Failed, finished[unknown.TaskId].Outcome);
        Assert.Equal("invalid-input", finished[unknown.TaskId].ErrorKind);
        Assert.Contains("'model' \"nope.onnx\" is not a model file", finished[unknown.TaskId].Error, StringComparison.Ordinal);
    }

    /// <summary>Glyph-like rows: pixel intensities 0 to 15 from a fixed seed.</summary>
    private static float[][] Rows(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)random.Next(0, 16)).ToArray())];
    }

    private static JsonElement Request(string model, float[][] rows) => JsonSerializer.SerializeToElement(new
    {
        model,
        inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { rows.Length, 64 }, data = rows.SelectMany(row => row) } },
    });
}
