using WorkFleet.Balancing;
using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Simulation.Engine;

/// <summary>
/// Production's arrangement: each dispatcher holds a <see cref="FleetView"/> (last heartbeat per worker + its
/// ledger) with the named strategy. With <see cref="DispatcherSharing.Broadcast"/> each ledger also holds the
/// other dispatchers' assignments, applied when their broadcasts arrive; with
/// <see cref="DispatcherSharing.HeartbeatsOnly"/> a dispatcher sees others' work only through heartbeats.
/// A task the view finds no slot for waits in that dispatcher's FIFO until the view shows a free slot
/// again: when a result or a broadcast frees one, or a heartbeat arrives (late binding). With
/// <see cref="SimulationScenario.LoadInResults"/> every result also carries the worker's current load, which
/// refreshes that worker in the receiving dispatcher's view as a heartbeat would.
/// </summary>
internal sealed class DispatchedRun : FleetRun
{
    private const string JobType = "simulated";

    // A fixed, arbitrary origin: the view only compares times, and a fixed one keeps runs reproducible.
    private static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Incarnation = Origin.AddHours(-1);
    private static readonly TaskRequirements Requirements = new(JobType, []);
    private static readonly IReadOnlySet<string> JobTypes = new HashSet<string>(StringComparer.Ordinal) { JobType };
    private static readonly IReadOnlySet<string> NoCapabilities = new HashSet<string>(StringComparer.Ordinal);

    private readonly FleetView[] _views;
    private readonly Queue<int>[] _waiting;
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _indexOf;
    private readonly bool _broadcast;

    public DispatchedRun(SimulationWorkload workload, string strategy)
        : base(workload)
    {
        var scenario = workload.Scenario;

        // Workers never die here; liveness must not expire between heartbeats, however long the period.
        var liveness = TimeSpan.FromDays(3650);
        _views = new FleetView[scenario.Dispatchers];
        _waiting = new Queue<int>[scenario.Dispatchers];
        for (var d = 0; d < _views.Length; d++)
        {
            var random = new Random(unchecked(workload.StrategySeed + (d * 7919)));
            _views[d] = new FleetView(StrategyCatalog.Create(strategy, random), liveness);
            _waiting[d] = new Queue<int>();
        }

        _broadcast = scenario.Dispatchers > 1 && scenario.Sharing == DispatcherSharing.Broadcast;
        _ids = new string[Workers.Length];
        _indexOf = new Dictionary<string, int>(Workers.Length, StringComparer.Ordinal);
        for (var i = 0; i < _ids.Length; i++)
        {
            _ids[i] = "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _indexOf.Add(_ids[i], i);
        }
    }

    protected override void Initialize()
    {
        // Every dispatcher knows the whole, idle fleet at time 0 (as from the workers table at start).
        for (var i = 0; i < Workers.Length; i++)
        {
            var snapshot = Snapshot(i);
            foreach (var view in _views)
            {
                view.Apply(snapshot);
            }

            ScheduleHeartbeat(i, Workload.HeartbeatPhaseMs[i]);
        }
    }

    protected override void OnArrival(int task)
    {
        var d = Workload.Dispatcher[task];

        // A non-empty FIFO means the view had no free slot and nothing changed since: keep arrival order.
        if (_waiting[d].Count > 0 || !TryDispatch(d, task))
        {
            _waiting[d].Enqueue(task);
        }
    }

    protected override void OnCompleted(int worker, int task)
    {
        var d = Workload.Dispatcher[task];
        if (!_views[d].Ledger.Release(_ids[worker], KeyOf(task)))
        {
            throw new InvalidOperationException($"Task {task} finished on {_ids[worker]} but dispatcher {d} had no record of it.");
        }

        if (Workload.Scenario.LoadInResults)
        {
            _views[d].Apply(Snapshot(worker));
        }

        // The dispatcher that freed the slot reuses it first, and its new assignment is broadcast before the
        // end of the old one, so the others never see a slot free that is already taken again.
        Drain(d);
        if (_broadcast)
        {
            ScheduleBroadcast(EventKind.CompletionSeen, worker, task);
        }
    }

    protected override void OnBroadcast(SimEvent broadcast)
    {
        // Every dispatcher but the task's own applies it; broadcasts of one task arrive in the order sent.
        var origin = Workload.Dispatcher[broadcast.Task];
        var id = _ids[broadcast.Worker];
        var key = KeyOf(broadcast.Task);
        for (var d = 0; d < _views.Length; d++)
        {
            if (d == origin)
            {
                continue;
            }

            if (broadcast.Kind == EventKind.AssignmentSeen)
            {
                _views[d].Ledger.Assign(id, key);
            }
            else if (_views[d].Ledger.Release(id, key))
            {
                Drain(d);
            }
        }
    }

    protected override void OnHeartbeat(int worker)
    {
        var snapshot = Snapshot(worker);
        foreach (var view in _views)
        {
            view.Apply(snapshot);
        }

        for (var d = 0; d < _views.Length; d++)
        {
            Drain(d);
        }
    }

    private static AssignmentKey KeyOf(int task) => new(new Guid(task, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 1);

    /// <summary>What the worker reports now: a heartbeat, or the load carried by a result.</summary>
    private WorkerSnapshot Snapshot(int worker)
    {
        var w = Workers[worker];
        return new WorkerSnapshot
        {
            WorkerId = _ids[worker],
            Weight = w.Speed,
            Capacity = w.Capacity,
            ReportedLoad = w.Load,
            JobTypes = JobTypes,
            Capabilities = NoCapabilities,
            EwmaTaskDurationMs = w.EwmaTaskDurationMs,
            Sequence = w.ReportSequence++,
            Incarnation = Incarnation,
            LastSeen = Now,
        };
    }

    private void Drain(int d)
    {
        var waiting = _waiting[d];
        while (waiting.Count > 0 && TryDispatch(d, waiting.Peek()))
        {
            waiting.Dequeue();
        }
    }

    private bool TryDispatch(int d, int task)
    {
        var view = _views[d];
        var selection = view.Select(Requirements, Now);
        switch (selection.Outcome)
        {
            case SelectionOutcome.Selected:
                var worker = _indexOf[selection.WorkerId!];
                view.Ledger.Assign(selection.WorkerId!, KeyOf(task));
                SendToWorker(worker, task);
                if (_broadcast)
                {
                    ScheduleBroadcast(EventKind.AssignmentSeen, worker, task);
                }

                return true;
            case SelectionOutcome.NoFreeSlot:
                return false;
            default:
                throw new InvalidOperationException($"Dispatcher {d} could not place task {task}: {selection.Outcome}.");
        }
    }

    private DateTimeOffset Now => Origin.AddTicks((long)(NowMs * TimeSpan.TicksPerMillisecond));
}
