using System.Collections.Concurrent;
using WorkFleet.Jobs;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>
/// What the test jobs of one fleet did (calls per task, runs at once per worker, cancellations seen), and the
/// gates <see cref="GatedJob"/> waits at: closed until the test opens them.
/// </summary>
public sealed class JobLog
{
    private readonly ConcurrentDictionary<Guid, int> _calls = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<Guid, byte> _cancelled = new();
    private readonly Dictionary<string, (int Now, int Max)> _running = [];
    private volatile bool _allOpen;

    /// <summary>How many times a job of <paramref name="taskId"/> was called, on any worker and attempt.</summary>
    public int Calls(Guid taskId) => _calls.GetValueOrDefault(taskId);

    /// <summary>Completes once a job of <paramref name="taskId"/> has been called.</summary>
    public Task WhenStarted(Guid taskId) => Signal(_started, taskId).Task;

    /// <summary>Whether a job of <paramref name="taskId"/> saw its cancellation token fire while it waited.</summary>
    public bool WasCancelled(Guid taskId) => _cancelled.ContainsKey(taskId);

    /// <summary>The most jobs <paramref name="workerId"/> ran at once.</summary>
    public int MaxRunning(string workerId)
    {
        lock (_running)
        {
            return _running.GetValueOrDefault(workerId).Max;
        }
    }

    /// <summary>Lets the gated job of <paramref name="taskId"/> finish.</summary>
    public void Open(Guid taskId) => Signal(_gates, taskId).TrySetResult();

    /// <summary>Opens every gate, now and later (a fleet does this before it stops).</summary>
    public void OpenAll()
    {
        _allOpen = true;
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }

    /// <summary>For jobs: a call starts; returns which call of its task this is (1 for the first).</summary>
    public int Enter(JobExecutionContext job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_running)
        {
            var (now, max) = _running.GetValueOrDefault(job.WorkerId);
            _running[job.WorkerId] = (now + 1, Math.Max(max, now + 1));
        }

        var call = _calls.AddOrUpdate(job.TaskId, 1, (_, calls) => calls + 1);
        Signal(_started, job.TaskId).TrySetResult();
        return call;
    }

    /// <summary>For jobs: a call ends, however.</summary>
    public void Exit(JobExecutionContext job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_running)
        {
            var (now, max) = _running[job.WorkerId];
            _running[job.WorkerId] = (now - 1, max);
        }
    }

    /// <summary>For <see cref="GatedJob"/>: waits until the task's gate opens.</summary>
    public async Task PassGateAsync(Guid taskId, CancellationToken cancellationToken)
    {
        var gate = Signal(_gates, taskId);
        if (_allOpen)
        {
            gate.TrySetResult();
        }

        try
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _cancelled.TryAdd(taskId, 0);
            throw;
        }
    }

    private static TaskCompletionSource Signal(ConcurrentDictionary<Guid, TaskCompletionSource> signals, Guid taskId) =>
        signals.GetOrAdd(taskId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
