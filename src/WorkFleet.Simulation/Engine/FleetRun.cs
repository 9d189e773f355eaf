namespace WorkFleet.Simulation.Engine;

/// <summary>
/// The discrete-event core shared by every strategy: one clock, one event queue, the workers, and the record
/// of when each task started and finished. Subclasses decide where an arriving task goes and what happens
/// when a worker finishes one or sends a heartbeat.
/// </summary>
internal abstract class FleetRun
{
    private readonly PriorityQueue<SimEvent, EventTime> _events;
    private readonly double[] _startMs;
    private readonly double[] _completionMs;
    private readonly int[] _workerOf;
    private long _sequence;
    private int _completed;

    protected FleetRun(SimulationWorkload workload)
    {
        Workload = workload;
        var scenario = workload.Scenario;
        Workers = new SimulatedWorker[scenario.WorkerCount];
        var slots = 0;
        for (var i = 0; i < Workers.Length; i++)
        {
            Workers[i] = new SimulatedWorker(scenario.Speeds[i], scenario.CapacityOf(i));
            slots += Workers[i].Capacity;
        }

        // At most: one arrival, one heartbeat per worker, one completion per slot.
        _events = new PriorityQueue<SimEvent, EventTime>(1 + Workers.Length + slots);
        var count = workload.ArrivalMs.Length;
        _startMs = new double[count];
        _completionMs = new double[count];
        _workerOf = new int[count];
    }

    protected SimulationWorkload Workload { get; }

    protected SimulatedWorker[] Workers { get; }

    /// <summary>The simulated clock, in milliseconds since the start.</summary>
    protected double NowMs { get; private set; }

    /// <summary>Runs until every task has completed.</summary>
    public RunRecord Run()
    {
        var count = Workload.ArrivalMs.Length;
        Schedule(Workload.ArrivalMs[0], new SimEvent(EventKind.Arrival, -1, 0));
        Initialize();
        while (_completed < count)
        {
            if (!_events.TryDequeue(out var next, out var at))
            {
                throw new InvalidOperationException($"The simulation stalled with {count - _completed} of {count} tasks unfinished.");
            }

            NowMs = at.TimeMs;
            switch (next.Kind)
            {
                case EventKind.Arrival:
                    if (next.Task + 1 < count)
                    {
                        Schedule(Workload.ArrivalMs[next.Task + 1], new SimEvent(EventKind.Arrival, -1, next.Task + 1));
                    }

                    OnArrival(next.Task);
                    break;
                case EventKind.Completion:
                    Complete(next.Worker, next.Task);
                    break;
                case EventKind.Heartbeat:
                    Schedule(NowMs + Workload.Scenario.HeartbeatMs, next);
                    OnHeartbeat(next.Worker);
                    break;
                case EventKind.AssignmentSeen:
                case EventKind.CompletionSeen:
                    OnBroadcast(next);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown event kind {next.Kind}.");
            }
        }

        return new RunRecord(_startMs, _completionMs, _workerOf, Workers, DueTimes, TakenBy);
    }

    /// <summary>When each task became due, for runs that order by expected cost; null otherwise.</summary>
    protected virtual double[]? DueTimes => null;

    /// <summary>The dispatcher that took each task, for runs that do not take the drawn one; null otherwise.</summary>
    protected virtual int[]? TakenBy => null;

    /// <summary>Called once before the first event: register workers, schedule heartbeats.</summary>
    protected virtual void Initialize()
    {
    }

    /// <summary>A task arrived; <see cref="NowMs"/> is its arrival time.</summary>
    protected abstract void OnArrival(int task);

    /// <summary>A worker finished a task (and has already started the next one from its own FIFO, if any).</summary>
    protected abstract void OnCompleted(int worker, int task);

    /// <summary>A worker's heartbeat is due.</summary>
    protected virtual void OnHeartbeat(int worker)
    {
    }

    /// <summary>A broadcast among dispatchers arrives (see <see cref="ScheduleBroadcast"/>).</summary>
    protected virtual void OnBroadcast(SimEvent broadcast)
    {
    }

    /// <summary>Schedules the arrival of a broadcast among dispatchers after the scenario's delay.</summary>
    protected void ScheduleBroadcast(EventKind kind, int worker, int task) =>
        Schedule(NowMs + Workload.Scenario.BroadcastDelayMs, new SimEvent(kind, worker, task));

    protected void ScheduleHeartbeat(int worker, double atMs) => Schedule(atMs, new SimEvent(EventKind.Heartbeat, worker, -1));

    /// <summary>Hands a task to a worker: it starts at once if a slot is free, else waits in the worker's FIFO.</summary>
    protected void SendToWorker(int worker, int task)
    {
        _workerOf[task] = worker;
        var w = Workers[worker];
        if (w.HasFreeSlot)
        {
            Start(worker, task);
        }
        else
        {
            w.Enqueue(task);
        }
    }

    private void Start(int worker, int task)
    {
        var w = Workers[worker];
        w.StartOne();
        _startMs[task] = NowMs;
        Schedule(NowMs + (Workload.CostMs[task] / w.Speed), new SimEvent(EventKind.Completion, worker, task));
    }

    private void Complete(int worker, int task)
    {
        var w = Workers[worker];
        _completionMs[task] = NowMs;
        _completed++;
        w.FinishOne(NowMs - _startMs[task]);
        if (w.TryDequeue(out var queued))
        {
            Start(worker, queued);
        }

        OnCompleted(worker, task);
    }

    private void Schedule(double atMs, SimEvent e) => _events.Enqueue(e, new EventTime(atMs, _sequence++));
}
