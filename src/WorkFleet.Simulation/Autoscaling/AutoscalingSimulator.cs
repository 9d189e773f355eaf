namespace WorkFleet.Simulation.Autoscaling;

/// <summary>
/// Discrete-time fleet model for comparing autoscaling policies. Deterministic: the same scenario, the same numbers.
/// </summary>
/// <remarks>
/// <para>Each tick (<see cref="AutoscalingScenario.TickSeconds"/>), in this order: finished tasks free their slots;
/// draining workers with nothing running leave; arrived tasks join one FIFO queue; waiting tasks start on ready,
/// non-draining workers with a free slot (lowest worker first); every <see cref="AutoscalingScenario.ControlPeriodSeconds"/>
/// (first at one period, not at time 0 when nothing has arrived yet) the policy chooses a worker count; the fleet is charged for every worker it has (starting, ready or draining) for the tick.</para>
/// <para>Scaling up first takes back draining workers, then adds workers that take tasks after the start-up delay.
/// Scaling down first cancels workers still starting (newest first), then drains ready workers with the fewest
/// running tasks (newest first on a tie); a draining worker finishes its tasks before it leaves.</para>
/// <para>The run lasts until the trace has ended and every task has finished (charged up to that tick). Waits are measured to the tick.</para>
/// </remarks>
public sealed class AutoscalingSimulator
{
    private readonly AutoscalingScenario _scenario;
    private readonly IReadOnlyList<TraceTask> _tasks;

    /// <summary>Draws the scenario's tasks once; every policy then runs on the same tasks.</summary>
    public AutoscalingSimulator(AutoscalingScenario scenario)
        : this(scenario, TraceTasks.Generate(scenario))
    {
    }

    /// <summary>Runs the given tasks instead of drawing them (for hand-checked scenarios); the trace still sizes the static fleets.</summary>
    /// <param name="scenario">The fleet and policy settings.</param>
    /// <param name="tasks">Tasks in ascending arrival order.</param>
    public AutoscalingSimulator(AutoscalingScenario scenario, IReadOnlyList<TraceTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(tasks);
        scenario.Validate();
        for (var i = 1; i < tasks.Count; i++)
        {
            if (tasks[i].ArrivalSeconds < tasks[i - 1].ArrivalSeconds)
            {
                throw new ArgumentException("Tasks must be in ascending arrival order.", nameof(tasks));
            }
        }

        _scenario = scenario;
        _tasks = tasks;
    }

    /// <summary>The tasks every policy runs.</summary>
    public IReadOnlyList<TraceTask> Tasks => _tasks;

    /// <summary>Runs the fleet under <paramref name="policy"/> (a name of <see cref="AutoscalingPolicies"/>).</summary>
    public AutoscalingResult Run(string policy)
    {
        var sizer = AutoscalingPolicies.Create(policy, _scenario);
        return new RunState(_scenario, _tasks, sizer).Execute(policy);
    }

    /// <summary>The state of one run.</summary>
    private sealed class RunState(AutoscalingScenario scenario, IReadOnlyList<TraceTask> tasks, IFleetSizer sizer)
    {
        private readonly List<SimulatedWorker> _workers = [];
        private readonly Queue<int> _waiting = new();
        private readonly double[] _waits = new double[tasks.Count];
        private readonly double[] _latencies = new double[tasks.Count];
        private readonly List<FleetSample> _timeline = [];
        private readonly PriorityQueue<double, double> _runTimesByEnd = new();
        private int _nextArrival;
        private int _arrivalsInPeriod;
        private int _completionsInPeriod;
        private double _completedRunSecondsInPeriod;
        private double _lastControl;
        private int _started;
        private int _scaleEvents;
        private int _peakWorkers;
        private double? _firstScaleUp;

        public AutoscalingResult Execute(string policy)
        {
            for (var i = 0; i < sizer.InitialWorkers; i++)
            {
                _workers.Add(new SimulatedWorker(0));
            }

            var tick = scenario.TickSeconds;
            var ticksPerControl = Math.Max(1, (int)Math.Round(scenario.ControlPeriodSeconds / tick));
            double workerSeconds = 0;
            long step = 0;
            while (true)
            {
                var now = step * tick;
                FinishTasks(now);
                if (now >= scenario.Trace.DurationSeconds && _nextArrival == tasks.Count && _waiting.Count == 0
                    && !_workers.Exists(w => w.RunningUntil.Count > 0))
                {
                    break;
                }

                _workers.RemoveAll(w => w.Draining && w.RunningUntil.Count == 0);
                while (_nextArrival < tasks.Count && tasks[_nextArrival].ArrivalSeconds <= now)
                {
                    _waiting.Enqueue(_nextArrival++);
                    _arrivalsInPeriod++;
                }

                StartTasks(now);
                if (step > 0 && step % ticksPerControl == 0)
                {
                    Control(now);
                }

                _peakWorkers = Math.Max(_peakWorkers, _workers.Count);
                workerSeconds += _workers.Count * tick;
                step++;
            }

            Array.Sort(_latencies);
            var sortedWaits = (double[])_waits.Clone();
            Array.Sort(sortedWaits);
            var violations = _waits.Count(w => w > scenario.SloWaitSeconds);
            var any = tasks.Count > 0;
            return new AutoscalingResult
            {
                Policy = policy,
                Completed = _started,
                P50LatencySeconds = any ? NearestRank.Percentile(_latencies, 0.50) : 0,
                P99LatencySeconds = any ? NearestRank.Percentile(_latencies, 0.99) : 0,
                P99WaitSeconds = any ? NearestRank.Percentile(sortedWaits, 0.99) : 0,
                SloViolationShare = any ? (double)violations / tasks.Count : 0,
                WorkerSeconds = workerSeconds,
                ScaleEvents = _scaleEvents,
                PeakWorkers = _peakWorkers,
                FirstScaleUpSeconds = _firstScaleUp,
                Timeline = _timeline,
            };
        }

        private void FinishTasks(double now)
        {
            foreach (var worker in _workers)
            {
                worker.RunningUntil.RemoveAll(end => end <= now);
            }

            while (_runTimesByEnd.TryPeek(out var runSeconds, out var end) && end <= now)
            {
                _runTimesByEnd.Dequeue();
                _completionsInPeriod++;
                _completedRunSecondsInPeriod += runSeconds;
            }
        }

        private void StartTasks(double now)
        {
            foreach (var worker in _workers)
            {
                if (_waiting.Count == 0)
                {
                    return;
                }

                if (worker.Draining || !worker.IsReady(now))
                {
                    continue;
                }

                while (_waiting.Count > 0 && worker.RunningUntil.Count < scenario.WorkerCapacity)
                {
                    var index = _waiting.Dequeue();
                    var task = tasks[index];
                    var wait = now - task.ArrivalSeconds;
                    _waits[index] = wait;
                    _latencies[index] = wait + task.CostSeconds;
                    worker.RunningUntil.Add(now + task.CostSeconds);
                    _runTimesByEnd.Enqueue(task.CostSeconds, now + task.CostSeconds);
                    _started++;
                }
            }
        }

        private void Control(double now)
        {
            var running = _workers.Sum(w => w.RunningUntil.Count);
            var load = running + _waiting.Count;
            var current = _workers.Count(w => !w.Draining);
            _timeline.Add(new FleetSample(
                now, _workers.Count, _workers.Count(w => !w.Draining && w.IsReady(now)), load, scenario.Trace.RateAt(now) * scenario.MeanCostSeconds));
            var desired = sizer.Decide(new FleetObservation(
                now, now - _lastControl, current, load, _waiting.Count, _arrivalsInPeriod, _completionsInPeriod, _completedRunSecondsInPeriod));
            (_lastControl, _arrivalsInPeriod, _completionsInPeriod, _completedRunSecondsInPeriod) = (now, 0, 0, 0);
            if (desired == current)
            {
                return;
            }

            _scaleEvents++;
            if (desired > current)
            {
                _firstScaleUp ??= now;
                ScaleUp(desired - current, now);
            }
            else
            {
                ScaleDown(current - desired, now);
            }
        }

        private void ScaleUp(int count, double now)
        {
            foreach (var worker in _workers)
            {
                if (count > 0 && worker.Draining)
                {
                    worker.Draining = false;
                    count--;
                }
            }

            for (var i = 0; i < count; i++)
            {
                _workers.Add(new SimulatedWorker(now + scenario.StartupSeconds));
            }
        }

        private void ScaleDown(int count, double now)
        {
            for (var i = _workers.Count - 1; i >= 0 && count > 0; i--)
            {
                if (!_workers[i].Draining && !_workers[i].IsReady(now))
                {
                    _workers.RemoveAt(i);
                    count--;
                }
            }

            while (count > 0)
            {
                SimulatedWorker? victim = null;
                for (var i = _workers.Count - 1; i >= 0; i--)
                {
                    var worker = _workers[i];
                    if (!worker.Draining && (victim is null || worker.RunningUntil.Count < victim.RunningUntil.Count))
                    {
                        victim = worker;
                    }
                }

                if (victim is null)
                {
                    return;
                }

                victim.Draining = true;
                count--;
            }

            _workers.RemoveAll(w => w.Draining && w.RunningUntil.Count == 0);
        }
    }
}
