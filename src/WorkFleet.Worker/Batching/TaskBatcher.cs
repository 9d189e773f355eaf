using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using WorkFleet.Jobs;
using WorkFleet.Worker.Configuration;

namespace WorkFleet.Worker.Batching;

/// <summary>
/// One worker's dynamic batching: for each job type with batching enabled (<see cref="WorkerOptions.Batching"/>)
/// and a batch-capable handler, a <see cref="BatchCollector{TItem, TResult}"/> keyed by the handler's batch key
/// (e.g. the model name).
/// </summary>
public sealed class TaskBatcher
{
    private readonly IReadOnlyDictionary<string, BatchingOptions> _settings;
    private readonly TimeProvider _clock;
    private readonly Action<string, int>? _batchStarted;
    private readonly ConcurrentDictionary<string, BatchCollector<BatchJobItem, JsonElement>> _collectors = new(StringComparer.Ordinal);

    /// <summary>Creates the batcher of one worker.</summary>
    /// <param name="settings">Batching per job type.</param>
    /// <param name="clock">Time source of the batch delays.</param>
    /// <param name="batchStarted">Told the job type and size of each batch as it starts (metrics), when given.</param>
    public TaskBatcher(IReadOnlyDictionary<string, BatchingOptions> settings, TimeProvider clock, Action<string, int>? batchStarted = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        _settings = settings;
        _clock = clock;
        _batchStarted = batchStarted;
    }

    /// <summary>True when tasks for <paramref name="handler"/>'s job type are batched here.</summary>
    /// <param name="handler">The job type's handler.</param>
    /// <param name="batchHandler">The same handler as a batch handler, when batched.</param>
    public bool TryGetBatchHandler(IJobHandler handler, [NotNullWhen(true)] out IBatchJobHandler? batchHandler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        batchHandler = handler as IBatchJobHandler;
        return batchHandler is not null && _settings.TryGetValue(handler.JobType, out BatchingOptions? options) && options.IsEnabled;
    }

    /// <summary>
    /// Prepares one task's input (a bad input throws <see cref="JobInputException"/> here, failing that task
    /// alone), then runs it in a batch with others of the same job type and batch key.
    /// </summary>
    /// <param name="handler">A handler for which <see cref="TryGetBatchHandler"/> returned true.</param>
    /// <param name="input">The task's input.</param>
    /// <param name="cancellationToken">The task's own timeout and cancellation.</param>
    /// <returns>The task's result.</returns>
    public Task<JsonElement> ExecuteAsync(IBatchJobHandler handler, JsonElement input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        cancellationToken.ThrowIfCancellationRequested();
        BatchJobItem item = handler.Prepare(input);
        return Collector(handler).AddAsync(item.BatchKey, item, cancellationToken);
    }

    /// <summary>Batches run and tasks run in them, per job type, since the worker started.</summary>
    public IReadOnlyDictionary<string, (long Batches, long Tasks)> Statistics() =>
        _collectors.ToDictionary(pair => pair.Key, pair => (pair.Value.BatchesRun, pair.Value.ItemsRun), StringComparer.Ordinal);

    private BatchCollector<BatchJobItem, JsonElement> Collector(IBatchJobHandler handler) =>
        _collectors.GetOrAdd(handler.JobType, static (jobType, state) =>
        {
            BatchingOptions options = state.Settings[jobType];
            return new BatchCollector<BatchJobItem, JsonElement>(
                options.MaxBatchSize,
                options.MaxDelay,
                options.MaxConcurrentBatches,
                (items, cancellationToken) =>
                {
                    // A batch serves several tasks, so no single task's context applies to it.
                    JobExecutionContext.Current = null;
                    state.BatchStarted?.Invoke(jobType, items.Count);
                    return state.Handler.ExecuteBatchAsync(items, cancellationToken);
                },
                state.Clock);
        }, (Settings: _settings, Handler: handler, Clock: _clock, BatchStarted: _batchStarted));
}
