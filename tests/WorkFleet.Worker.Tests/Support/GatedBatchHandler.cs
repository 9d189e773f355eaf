using WorkFleet.Jobs;

namespace WorkFleet.Worker.Tests.Support;

/// <summary>
/// A batch handler whose batches wait for <see cref="Release"/>: it doubles each input's value, keys batches by
/// <see cref="EchoInput.Key"/>, and rejects negative values as invalid input, in its batch-key check.
/// </summary>
public sealed class GatedBatchHandler(BatchLog log) : IBatchJobHandler<EchoInput, EchoOutput>
{
    public const string JobType = "test.gated";

    public Task<EchoOutput> HandleAsync(EchoInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        log.Singles.Enqueue(input.Value);
        return Task.FromResult(new EchoOutput(input.Value * 2));
    }

    public string GetBatchKey(EchoInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Value < 0 ? throw new JobInputException($"{JobType}: 'value' must not be negative but is {input.Value}") : input.Key;
    }

    public async Task<IReadOnlyList<EchoOutput>> HandleBatchAsync(IReadOnlyList<EchoInput> inputs, CancellationToken cancellationToken)
    {
        log.Batches.Enqueue([.. inputs.Select(i => i.Value)]);
        log.Started.TrySetResult();
        await log.Gate.Task.WaitAsync(cancellationToken);
        return [.. inputs.Select(i => new EchoOutput(i.Value * 2))];
    }
}

public sealed record EchoInput(string Key, int Value);

public sealed record EchoOutput(int Doubled);

/// <summary>What the <see cref="GatedBatchHandler"/> saw, and the gate its batches wait at (open by default).</summary>
public sealed class BatchLog
{
    public System.Collections.Concurrent.ConcurrentQueue<int[]> Batches { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<int> Singles { get; } = new();

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Gate { get; set; } = Opened();

    public void Release() => Gate.TrySetResult();

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
