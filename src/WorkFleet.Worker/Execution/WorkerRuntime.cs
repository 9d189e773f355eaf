using System.Collections.Frozen;
using WorkFleet.Contracts;
using WorkFleet.Worker.Batching;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Observability;
using WorkFleet.Worker.Resources;

namespace WorkFleet.Worker.Execution;

/// <summary>One worker's identity and live counters (thread-safe); what its heartbeat reports.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Its SemaphoreSlim never creates a wait handle (AvailableWaitHandle is not used), so it holds nothing to dispose.")]
public sealed class WorkerRuntime
{
    private const double EwmaAlpha = 0.2;
    private readonly Lock _ewmaGate = new();
    private int _inFlight;
    private int _queued;
    private long _completed;
    private long _failed;
    private long _sequence;
    private double _ewmaMs;
    private volatile bool _draining;
    private volatile bool _stopped;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid TaskId, int Attempt), CancellationTokenSource> _running = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> _cancelled = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Guid> _cancelledOrder = new();
    private readonly FrozenSet<string> _advertised;
    private readonly SemaphoreSlim _slots;

    /// <summary>Creates the runtime of one worker.</summary>
    /// <param name="options">Its settings.</param>
    /// <param name="jobTypes">The job types it advertises.</param>
    /// <param name="startedAt">Start of this incarnation.</param>
    /// <param name="clock">Time source of the batch delays; the system clock when null.</param>
    /// <param name="metrics">Where its batch sizes (tasks per run, results per message) are measured, when given.</param>
    public WorkerRuntime(WorkerOptions options, IReadOnlyList<string> jobTypes, DateTimeOffset startedAt, TimeProvider? clock = null, WorkerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        WorkerId = options.ResolveWorkerId();
        QueueName = QueueNames.ForWorker(WorkerId);
        JobTypes = jobTypes;
        _advertised = jobTypes.ToFrozenSet(StringComparer.Ordinal);
        StartedAt = startedAt;
        _slots = new SemaphoreSlim(options.Capacity, options.Capacity);
        var workerId = WorkerId;
        Batcher = new TaskBatcher(options.Batching, clock ?? TimeProvider.System, metrics is null ? null : (jobType, size) => metrics.BatchRan(workerId, jobType, size));
        Results = new ResultSender(workerId, options.MaxResultsPerMessage, metrics is null ? null : size => metrics.ResultsSent(workerId, size));
    }

    /// <summary>Settings.</summary>
    public WorkerOptions Options { get; }

    /// <summary>Resolved unique id.</summary>
    public string WorkerId { get; }

    /// <summary>Its queue.</summary>
    public string QueueName { get; }

    /// <summary>Job types it advertises.</summary>
    public IReadOnlyList<string> JobTypes { get; }

    /// <summary>Start of this incarnation.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>True when <paramref name="jobType"/> is one of <see cref="JobTypes"/> (ordinal, as the dispatcher compares).</summary>
    public bool Advertises(string jobType) => _advertised.Contains(jobType);

    /// <summary>Its dynamic batching (off for every job type unless configured).</summary>
    public TaskBatcher Batcher { get; }

    /// <summary>Sends its terminal results to the dispatcher, several in one message while a send is in flight.</summary>
    public ResultSender Results { get; }

    /// <summary>Tasks running now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True once the worker is draining.</summary>
    public bool IsDraining => _draining;

    /// <summary>Announces draining from the next heartbeat on.</summary>
    public void BeginDrain() => _draining = true;

    /// <summary>Announces that the worker has left (drain finished or gave up).</summary>
    public void MarkStopped() => _stopped = true;

    /// <summary>Tasks received and not finished.</summary>
    public int Held => InFlight + Math.Max(0, Volatile.Read(ref _queued));

    /// <summary>
    /// Waits for one of its <see cref="WorkerOptions.Capacity"/> run slots. The endpoint's message limit alone does not
    /// bound the attempts that run: a batch carries several, and dispatchers that share the fleet may together grant
    /// a worker more slots than it has for a moment. Give the slot back with <see cref="ReleaseSlot"/>.
    /// </summary>
    public Task WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Gives back a slot taken with <see cref="WaitForSlotAsync"/>.</summary>
    public void ReleaseSlot() => _slots.Release();

    /// <summary>A message arrived and waits for a handler slot.</summary>
    public void OnReceived() => Interlocked.Increment(ref _queued);

    /// <summary>A handler started.</summary>
    public void OnStarted()
    {
        Interlocked.Decrement(ref _queued);
        Interlocked.Increment(ref _inFlight);
    }

    /// <summary>A received task was refused without running (unknown job type, cancelled before start).</summary>
    public void OnRefused()
    {
        Interlocked.Decrement(ref _queued);
        Interlocked.Increment(ref _failed);
    }

    /// <summary>A handler finished (either way).</summary>
    public void OnFinished(bool succeeded, TimeSpan duration)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref succeeded ? ref _completed : ref _failed);
        lock (_ewmaGate)
        {
            var ms = duration.TotalMilliseconds;
            _ewmaMs = _ewmaMs == 0 ? ms : (EwmaAlpha * ms) + ((1 - EwmaAlpha) * _ewmaMs);
        }
    }

    /// <summary>
    /// Registers the cancellation source of an attempt that is starting, unless its task was already cancelled or
    /// this very attempt already runs here. Different attempts of one task may run side by side (after a broker
    /// outage the dispatcher may send attempt n+1 here while the broker delivers attempt n again); the dispatcher
    /// keeps only the current attempt's result.
    /// </summary>
    public StartDecision TrackRunning(Guid taskId, int attempt, CancellationTokenSource source) =>
        _cancelled.ContainsKey(taskId) ? StartDecision.Cancelled
        : _running.TryAdd((taskId, attempt), source) ? StartDecision.Start
        : StartDecision.AlreadyRunning;

    /// <summary>Forgets a finished attempt's cancellation source.</summary>
    public void Untrack(Guid taskId, int attempt) => _running.TryRemove((taskId, attempt), out _);

    /// <summary>True when a cancel for the task arrived.</summary>
    public bool IsCancelled(Guid taskId) => _cancelled.ContainsKey(taskId);

    /// <summary>Cancels the task if it runs here, and remembers the request in case it arrives later.</summary>
    public void Cancel(Guid taskId)
    {
        if (_cancelled.TryAdd(taskId, 0))
        {
            _cancelledOrder.Enqueue(taskId);
            while (_cancelledOrder.Count > 10_000 && _cancelledOrder.TryDequeue(out var old))
            {
                _cancelled.TryRemove(old, out _);
            }
        }

        foreach (var (key, source) in _running)
        {
            if (key.TaskId != taskId)
            {
                continue;
            }

            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Finished meanwhile.
            }
        }
    }

    /// <summary>Builds the next heartbeat.</summary>
    /// <param name="now">Worker clock.</param>
    /// <param name="cpu">Process CPU use, 0..1 of the machine.</param>
    /// <param name="memory">Process working set as a share of the memory available to it, 0..1.</param>
    /// <param name="host">Host-wide use; unknown when null.</param>
    public WorkerHeartbeat NextHeartbeat(DateTimeOffset now, double cpu, double memory, HostUsage? host = null)
    {
        host ??= HostUsage.Unknown;
        double ewma;
        lock (_ewmaGate)
        {
            ewma = _ewmaMs;
        }

        return new WorkerHeartbeat
        {
            WorkerId = WorkerId,
            QueueName = QueueName,
            Weight = Options.Weight,
            Capacity = Options.Capacity,
            InFlight = InFlight,
            Queued = Math.Max(0, Volatile.Read(ref _queued)),
            CompletedTotal = Interlocked.Read(ref _completed),
            FailedTotal = Interlocked.Read(ref _failed),
            CpuUtilization = cpu,
            MemoryUtilization = memory,
            HostCpuUtilization = host.Cpu,
            HostMemoryUtilization = host.Memory,
            Gpus = host.Gpus,
            EwmaTaskDurationMs = ewma,
            JobTypes = JobTypes,
            Capabilities = Options.Capabilities,
            State = _stopped ? WorkerState.Stopped : _draining ? WorkerState.Draining : WorkerState.Active,
            Sequence = Interlocked.Increment(ref _sequence),
            StartedAt = StartedAt,
            SentAt = now,
        };
    }
}
