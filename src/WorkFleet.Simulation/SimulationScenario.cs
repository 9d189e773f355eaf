using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Simulation;

/// <summary>
/// What to simulate: the fleet, the offered load, the task mix, and how stale the dispatchers' view is.
/// </summary>
/// <remarks>
/// <para>
/// The model. Worker i has speed s_i (its configured weight; the dispatcher knows it exactly) and capacity
/// c_i. It runs up to c_i tasks at once, each at full speed, so a task of cost x work units takes
/// x · <see cref="CostUnitMs"/> / s_i milliseconds whatever else runs beside it; tasks it receives beyond
/// c_i wait in the worker's own FIFO. The fleet's throughput is therefore Σ c_i · s_i work units per cost
/// unit of time, and Poisson arrivals at rate λ = ρ · Σ(c_i · s_i) / (mean cost · <see cref="CostUnitMs"/>)
/// keep it busy a fraction ρ (<see cref="Load"/>) of the time on average.
/// </para>
/// <para>
/// Costs are lognormal with mean 1 work unit and coefficient of variation <see cref="CostCv"/>. Every
/// <see cref="HeartbeatMs"/>, with a random phase per worker, each worker reports its load (running +
/// queued) to every dispatcher, instantly. Results reach the dispatcher that sent the task instantly too.
/// </para>
/// </remarks>
public sealed record SimulationScenario
{
    /// <summary>Relative speed of each worker, &gt; 0; one entry per worker. Default 1, 1, 2, 4.</summary>
    public IReadOnlyList<double> Speeds { get; init; } = [1, 1, 2, 4];

    /// <summary>
    /// Capacity (max concurrent tasks) of every worker; null (the default) gives each worker
    /// 2 × its speed, rounded, at least 1.
    /// </summary>
    public int? Capacity { get; init; }

    /// <summary>Target utilization ρ of the fleet's work capacity, in (0, 2]; above 1 the fleet is overloaded. Default 0.85.</summary>
    public double Load { get; init; } = 0.85;

    /// <summary>Number of tasks that arrive, ≥ 1. Default 20,000.</summary>
    public int TaskCount { get; init; } = 20_000;

    /// <summary>Coefficient of variation of the lognormal task cost, in [0, 10]; 0 makes every task cost 1. Default 1.</summary>
    public double CostCv { get; init; } = 1.0;

    /// <summary>Milliseconds one work unit (the mean task cost) takes on a worker of speed 1, &gt; 0. Default 100.</summary>
    public double CostUnitMs { get; init; } = 100;

    /// <summary>Heartbeat period in milliseconds, &gt; 0. Default 1000.</summary>
    public double HeartbeatMs { get; init; } = 1000;

    /// <summary>Number of dispatchers sharing the fleet, 1..1024; each task goes to one of them at random. Default 1.</summary>
    public int Dispatchers { get; init; } = 1;

    /// <summary>
    /// When true, every result message also carries the worker's load at that moment, and the dispatcher that
    /// receives it applies it like a heartbeat of that worker (a protocol variant: today only heartbeats carry
    /// load). Default false.
    /// </summary>
    public bool LoadInResults { get; init; }

    /// <summary>
    /// How dispatchers learn of each other's work. <see cref="DispatcherSharing.Broadcast"/> (the default, as
    /// production does): every assignment and every finished attempt is broadcast to the other dispatchers,
    /// which apply it to their ledgers <see cref="BroadcastDelayMs"/> later, so each one sees the whole fleet's
    /// load within that delay. <see cref="DispatcherSharing.HeartbeatsOnly"/>: dispatchers see each other's
    /// work only through heartbeats (the design before broadcasts; kept to show why they are needed).
    /// Irrelevant with one dispatcher.
    /// </summary>
    public DispatcherSharing Sharing { get; init; } = DispatcherSharing.Broadcast;

    /// <summary>Delay before a broadcast reaches the other dispatchers, in milliseconds, ≥ 0. Default 1.</summary>
    public double BroadcastDelayMs { get; init; } = 1;

    /// <summary>
    /// How several <c>cost-aware</c> dispatchers share the submits. False (the default, as production): they consume
    /// the submit queue at distinct consumer priorities, so every task goes to the first dispatcher unless it already
    /// holds <see cref="SubmitConcurrency"/> waiting tasks (then to the next): one line orders and places them all.
    /// True: equal priorities, each task to a dispatcher at random, each dispatcher with its own line. The other
    /// strategies always share the submits at random, as production does.
    /// </summary>
    public bool EqualSubmitPriorities { get; init; }

    /// <summary>Waiting tasks one dispatcher holds at most (its prefetch on the submit queue), ≥ 1. Default 256, as production.</summary>
    public int SubmitConcurrency { get; init; } = 256;

    /// <summary>
    /// Noise of the cost hint each task carries (for the cost-aware strategies): the hint is the true cost times a
    /// lognormal factor of mean 1 and this coefficient of variation, in [0, 10]; null (the default) means tasks
    /// carry no hint, and the cost-aware strategies learn an expected cost per job type from finished tasks.
    /// </summary>
    public double? HintCv { get; init; }

    /// <summary>
    /// Noise of the payload size each task carries, for the cost-aware strategies' learned estimates: within a job type
    /// the size is proportional to the task's true cost (by a factor that differs per type) times a lognormal factor of
    /// mean 1 and this coefficient of variation, in [0, 10]; null (the default) means sizes are not modelled and the
    /// estimates learn a mean per job type only. Used only without hints.
    /// </summary>
    public double? PayloadSizeCv { get; init; }

    /// <summary>
    /// Relative mean cost of each job type, each &gt; 0; a task is of one of them, uniformly at random, and its
    /// cost is its type's mean (scaled so the overall mean stays 1 work unit) times the lognormal draw. Default
    /// one type.
    /// </summary>
    public IReadOnlyList<double> JobTypeCosts { get; init; } = [1];

    /// <summary>Ordering and aging of waiting tasks for the cost-aware strategies. Default <see cref="AgingRule"/>'s defaults.</summary>
    public AgingRule Aging { get; init; } = new();

    /// <summary>Seed of every random draw: the same seed gives the same numbers. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of workers.</summary>
    public int WorkerCount => Speeds.Count;

    /// <summary>Capacity of worker <paramref name="worker"/> (see <see cref="Capacity"/>).</summary>
    public int CapacityOf(int worker) =>
        Capacity ?? Math.Max(1, (int)Math.Round(2 * Speeds[worker], MidpointRounding.AwayFromZero));

    /// <summary>Σ c_i · s_i: work units the whole fleet completes per cost unit of time when every slot is busy.</summary>
    public double TotalSpeedCapacity
    {
        get
        {
            var total = 0.0;
            for (var i = 0; i < Speeds.Count; i++)
            {
                total += Speeds[i] * CapacityOf(i);
            }

            return total;
        }
    }

    /// <summary>Poisson arrival rate λ in tasks per millisecond.</summary>
    public double ArrivalsPerMs => Load * TotalSpeedCapacity / CostUnitMs;

    /// <summary>Throws an <see cref="ArgumentException"/> whose parameter name is the offending property.</summary>
    public void Validate()
    {
        if (Speeds is null || Speeds.Count == 0)
        {
            throw new ArgumentException("Speeds must list at least one worker.", nameof(Speeds));
        }

        for (var i = 0; i < Speeds.Count; i++)
        {
            if (!double.IsFinite(Speeds[i]) || Speeds[i] <= 0)
            {
                throw new ArgumentException($"Speeds[{i}] is {Speeds[i]}; every speed must be a positive number.", nameof(Speeds));
            }
        }

        Require(Capacity is null or >= 1, nameof(Capacity), $"Capacity must be at least 1, not {Capacity}.");
        Require(Load is > 0 and <= 2, nameof(Load), $"Load must be in (0, 2], not {Load}.");
        Require(TaskCount >= 1, nameof(TaskCount), $"TaskCount must be at least 1, not {TaskCount}.");
        Require(CostCv is >= 0 and <= 10, nameof(CostCv), $"CostCv must be in [0, 10], not {CostCv}.");
        Require(double.IsFinite(CostUnitMs) && CostUnitMs > 0, nameof(CostUnitMs), $"CostUnitMs must be positive, not {CostUnitMs}.");
        Require(double.IsFinite(HeartbeatMs) && HeartbeatMs > 0, nameof(HeartbeatMs), $"HeartbeatMs must be positive, not {HeartbeatMs}.");
        Require(double.IsFinite(BroadcastDelayMs) && BroadcastDelayMs >= 0, nameof(BroadcastDelayMs), $"BroadcastDelayMs must be zero or positive, not {BroadcastDelayMs}.");
        Require(Enum.IsDefined(Sharing), nameof(Sharing), $"Sharing must be Broadcast or HeartbeatsOnly, not {Sharing}.");
        Require(HintCv is null or (>= 0 and <= 10), nameof(HintCv), $"HintCv must be in [0, 10] or absent, not {HintCv}.");
        Require(PayloadSizeCv is null or (>= 0 and <= 10), nameof(PayloadSizeCv), $"PayloadSizeCv must be in [0, 10] or absent, not {PayloadSizeCv}.");
        Require(JobTypeCosts is { Count: > 0 } && JobTypeCosts.All(c => double.IsFinite(c) && c > 0), nameof(JobTypeCosts), "JobTypeCosts must list at least one positive number.");
        Require(Aging is not null, nameof(Aging), "Aging must be set.");
        Aging!.Validate();
        Require(Dispatchers is >= 1 and <= 1024, nameof(Dispatchers), $"Dispatchers must be in 1..1024, not {Dispatchers}.");
        Require(SubmitConcurrency >= 1, nameof(SubmitConcurrency), $"SubmitConcurrency must be at least 1, not {SubmitConcurrency}.");
    }

    private static void Require(bool condition, string property, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, property);
        }
    }
}
