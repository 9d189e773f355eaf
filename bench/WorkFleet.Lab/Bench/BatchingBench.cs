using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Client;
using WorkFleet.CommandLine;
using WorkFleet.Contracts;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Lab.Bench;

/// <summary>
/// Dynamic batching measured on a whole fleet in one process (dispatcher, workers, client): on the embedded
/// stack of <c>workfleet demo</c> (in-memory transport, SQLite) or, with <see cref="BatchingBenchSettings.RealStack"/>,
/// on RabbitMQ and PostgreSQL. The same <c>inference.mlp</c> tasks run with batching off and on, alternating
/// which goes first in each round so that drift on a shared machine hits both.
/// </summary>
public static class BatchingBench
{
    private const string ShippedModel = "digits-mlp";
    private const string GeneratedModel = "bench-mlp";
    private const int Features = 64;
    private const int Classes = 10;

    /// <summary>Runs every round and returns the report.</summary>
    public static async Task<BatchingBenchReport> RunAsync(BatchingBenchSettings settings, Action<BatchingBenchRun>? onRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var modelDirectory = settings.Hidden > 0 ? WriteModel(settings.Hidden) : null;
        var payloads = Payloads(settings.Tasks + settings.WarmupTasks, settings.Rows, modelDirectory is null ? ShippedModel : GeneratedModel);
        var runs = new List<BatchingBenchRun>();
        try
        {
            // The first fleet in a process runs on code the JIT has not optimized yet: one unreported run
            // of each mode keeps that out of both.
            var warmup = settings with { Tasks = Math.Max(1, settings.WarmupTasks), WarmupTasks = 0 };
            foreach (var batching in new[] { false, true })
            {
                await RunOnceAsync(warmup, batching, payloads, modelDirectory, cancellationToken);
            }

            for (var round = 0; round < settings.Rounds; round++)
            {
                bool[] order = round % 2 == 0 ? [false, true] : [true, false];
                foreach (var batching in order)
                {
                    var run = await RunOnceAsync(settings, batching, payloads, modelDirectory, cancellationToken);
                    runs.Add(run);
                    onRun?.Invoke(run);
                }
            }
        }
        finally
        {
            if (modelDirectory is not null)
            {
                Directory.Delete(modelDirectory, recursive: true);
            }
        }

        var off = Median(runs.Where(r => !r.Batching).Select(r => r.TasksPerSecond));
        var on = Median(runs.Where(r => r.Batching).Select(r => r.TasksPerSecond));
        return new BatchingBenchReport(settings, runs, off, on, Math.Round(on / off, 2));
    }

    private static async Task<BatchingBenchRun> RunOnceAsync(BatchingBenchSettings settings, bool batching, IReadOnlyList<JsonElement> payloads, string? modelDirectory, CancellationToken cancellationToken)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"workfleet-bench-{Guid.NewGuid():N}.db");
        try
        {
            using var host = Build(settings, batching, databasePath, modelDirectory);
            await host.StartAsync(cancellationToken);
            var client = host.Services.GetRequiredService<WorkFleetClient>();
            var runtimes = host.Services.GetRequiredService<WorkerRuntimes>();

            await RunTasksAsync(client, payloads.Take(settings.WarmupTasks), cancellationToken);
            var (batchesBefore, tasksBefore) = BatchStatistics(runtimes);
            var watch = Stopwatch.StartNew();
            var outcomes = await RunTasksAsync(client, payloads.Skip(settings.WarmupTasks), cancellationToken);
            watch.Stop();
            var (batchesAfter, tasksAfter) = BatchStatistics(runtimes);
            await host.StopAsync(CancellationToken.None);

            var completed = outcomes.Count(o => o?.Outcome == TaskOutcome.Succeeded);
            var seconds = watch.Elapsed.TotalSeconds;
            var batches = batchesAfter - batchesBefore;
            return new BatchingBenchRun(
                batching,
                completed,
                outcomes.Count - completed,
                Math.Round(watch.Elapsed.TotalMilliseconds, 1),
                Math.Round(completed / seconds, 1),
                Math.Round((double)completed * settings.Rows / seconds, 0),
                batches == 0 ? 1 : Math.Round((double)(tasksAfter - tasksBefore) / batches, 2));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(databasePath + suffix);
            }
        }
    }

    private static IHost Build(BatchingBenchSettings settings, bool batching, string databasePath, string? modelDirectory)
    {
        var builder = Host.CreateApplicationBuilder(CliHost.Settings(settings.RealStack ? Directory.GetCurrentDirectory() : AppContext.BaseDirectory));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);
        var overrides = new Dictionary<string, string?> { ["WorkFleet:Jobs:Mlp:ModelDirectory"] = modelDirectory };
        if (!settings.RealStack)
        {
            overrides["WorkFleet:Transport:Kind"] = "InMemory";
            overrides["WorkFleet:Database:Provider"] = "Sqlite";
            overrides["WorkFleet:Database:ConnectionString"] = $"Data Source={databasePath};Pooling=True;Default Timeout=60";
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddWorkFleetDispatcher();

        // On a shared broker every run gets workers (and so queues) of its own.
        var run = settings.RealStack ? $"bench-{Guid.NewGuid().ToString("N")[..6]}-" : "";
        for (var i = 0; i < settings.Workers; i++)
        {
            var id = $"{run}worker-{i + 1}";
            builder.AddWorkFleetWorker(o =>
            {
                o.WorkerId = id;
                o.Capacity = settings.Capacity;
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
                o.JobTypes = [BuiltInJobTypes.Mlp];
                if (batching)
                {
                    o.Batching[BuiltInJobTypes.Mlp] = new BatchingOptions { MaxBatchSize = settings.MaxBatchSize, MaxDelay = settings.MaxDelay };
                }
            });
        }

        builder.AddWorkFleetClient();
        return builder.Build();
    }

    private static async Task<List<TaskFinished?>> RunTasksAsync(WorkFleetClient client, IEnumerable<JsonElement> payloads, CancellationToken cancellationToken)
    {
        var tasks = payloads.Select(p => client.CreateTask(BuiltInJobTypes.Mlp, p)).ToList();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(5));
        var waits = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks, cancellationToken);
        try
        {
            await Task.WhenAll(waits);
        }
        catch (OperationCanceledException)
        {
            // Deadline reached: the unfinished ones count as failed.
        }

        return [.. waits.Select(w => w.IsCompletedSuccessfully ? w.Result : null)];
    }

    private static (long Batches, long Tasks) BatchStatistics(WorkerRuntimes runtimes)
    {
        var statistics = runtimes.All.SelectMany(r => r.Batcher.Statistics().Values).ToList();
        return (statistics.Sum(s => s.Batches), statistics.Sum(s => s.Tasks));
    }

    /// <summary>Reproducible tasks: rows of 64 pixel intensities 0..15, as the shipped digits model takes.</summary>
    private static List<JsonElement> Payloads(int count, int rows, string model)
    {
        var random = new Random(42);
        return [.. Enumerable.Range(0, count).Select(_ => JsonSerializer.SerializeToElement(new
        {
            model,
            inputs = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Features).Select(_ => (float)random.Next(16)).ToArray()).ToArray(),
            topK = 1,
        }))];
    }

    /// <summary>
    /// A 64-H-H-10 model with random weights in a new temporary directory, for a model whose weights do not
    /// fit in the CPU's caches (H = 1024 is 4.5 MB), where reading them once per batch instead of once per
    /// row matters, as it does for real models.
    /// </summary>
    private static string WriteModel(int hidden)
    {
        var random = new Random(7);
        DenseLayer Layer(int inputs, int outputs)
        {
            var scale = (float)Math.Sqrt(2.0 / inputs);
            var weights = Enumerable.Range(0, inputs * outputs).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();
            return new DenseLayer(inputs, outputs, weights, new float[outputs]);
        }

        var model = new MlpModel(GeneratedModel, [Layer(Features, hidden), Layer(hidden, hidden), Layer(hidden, Classes)]);
        var directory = Path.Combine(Path.GetTempPath(), $"workfleet-bench-models-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        using var file = File.Create(Path.Combine(directory, GeneratedModel + ".safetensors"));
        model.Save(file);
        return directory;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
