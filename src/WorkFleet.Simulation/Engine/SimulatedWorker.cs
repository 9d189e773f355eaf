namespace WorkFleet.Simulation.Engine;

/// <summary>A worker's state during a run: slots in use, its own FIFO, and what it reports.</summary>
internal sealed class SimulatedWorker(double speed, int capacity)
{
    /// <summary>Smoothing of the reported task duration, as <c>WorkerRuntime</c> in the real worker.</summary>
    private const double EwmaAlpha = 0.2;

    private Queue<int>? _queue;

    public double Speed { get; } = speed;

    public int Capacity { get; } = capacity;

    /// <summary>Tasks running now (never above <see cref="Capacity"/>).</summary>
    public int Running { get; private set; }

    /// <summary>Tasks received but waiting for a slot.</summary>
    public int Queued => _queue?.Count ?? 0;

    /// <summary>What a heartbeat reports: running + queued.</summary>
    public int Load => Running + Queued;

    /// <summary>Most tasks ever running at once (instrumentation for the capacity invariant).</summary>
    public int MaxRunning { get; private set; }

    /// <summary>Most tasks ever waiting in the worker's own FIFO.</summary>
    public int MaxQueued { get; private set; }

    /// <summary>Tasks completed.</summary>
    public int Completed { get; private set; }

    /// <summary>EWMA of task run time in milliseconds; 0 before the first completion.</summary>
    public double EwmaTaskDurationMs { get; private set; }

    /// <summary>Load reports (heartbeats, and results when they carry load) sent so far: the next sequence number.</summary>
    public long ReportSequence { get; set; }

    public bool HasFreeSlot => Running < Capacity;

    public void StartOne()
    {
        if (Running >= Capacity)
        {
            throw new InvalidOperationException($"A worker of capacity {Capacity} was asked to run one more task.");
        }

        Running++;
        MaxRunning = Math.Max(MaxRunning, Running);
    }

    public void FinishOne(double durationMs)
    {
        Running--;
        Completed++;
        EwmaTaskDurationMs = EwmaTaskDurationMs == 0 ? durationMs : (EwmaAlpha * durationMs) + ((1 - EwmaAlpha) * EwmaTaskDurationMs);
    }

    public void Enqueue(int task)
    {
        _queue ??= new Queue<int>();
        _queue.Enqueue(task);
        MaxQueued = Math.Max(MaxQueued, _queue.Count);
    }

    public bool TryDequeue(out int task)
    {
        task = -1;
        return _queue is not null && _queue.TryDequeue(out task);
    }
}
