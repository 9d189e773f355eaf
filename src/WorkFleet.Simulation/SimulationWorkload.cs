namespace WorkFleet.Simulation;

/// <summary>
/// The random part of a scenario, drawn once so that every strategy faces exactly the same tasks, arrival
/// times, dispatcher picks and heartbeat phases (common random numbers: differences between strategies are
/// then the strategies', not the dice's).
/// </summary>
internal sealed class SimulationWorkload
{
    public SimulationWorkload(SimulationScenario scenario)
    {
        Scenario = scenario;
        var count = scenario.TaskCount;
        ArrivalMs = new double[count];
        CostMs = new double[count];
        Dispatcher = new int[count];
        HeartbeatPhaseMs = new double[scenario.WorkerCount];

        // One independent stream per concern, so that e.g. more dispatchers do not change the task costs.
        var master = new Random(scenario.Seed);
        var arrivals = new Random(master.Next());
        var costs = new Random(master.Next());
        var dispatchers = new Random(master.Next());
        var phases = new Random(master.Next());
        StrategySeed = master.Next();

        // Drawn after the streams above, so that a scenario without types or hints keeps its numbers.
        var types = new Random(master.Next());
        var hints = new Random(master.Next());
        var typeScale = scenario.JobTypeCosts.Select(c => c / scenario.JobTypeCosts.Average()).ToArray();

        // Drawn after those, so that a scenario without payload sizes keeps its numbers too.
        var sizes = new Random(master.Next());
        PayloadSize = scenario.PayloadSizeCv is null ? null : new double[count];
        var sizeNoise = new LognormalCost(scenario.PayloadSizeCv ?? 0);
        JobType = new int[count];
        HintMs = scenario.HintCv is null ? null : new double[count];
        var hintNoise = new LognormalCost(scenario.HintCv ?? 0);

        var rate = scenario.ArrivalsPerMs;
        var time = 0.0;
        var cost = new LognormalCost(scenario.CostCv);
        var speedCapacity = scenario.TotalSpeedCapacity;
        var fastest = scenario.Speeds.Max();
        for (var k = 0; k < count; k++)
        {
            time += Distributions.Exponential(arrivals, rate);
            ArrivalMs[k] = time;
            JobType[k] = typeScale.Length > 1 ? types.Next(typeScale.Length) : 0;
            CostMs[k] = cost.Next(costs) * scenario.CostUnitMs * typeScale[JobType[k]];
            if (HintMs is not null)
            {
                HintMs[k] = CostMs[k] * hintNoise.Next(hints);
            }

            if (PayloadSize is not null)
            {
                // About 1,000 units for a task of its type's mean cost, whatever the type: the ms per unit differ by type.
                PayloadSize[k] = 1_000 * CostMs[k] / (scenario.CostUnitMs * typeScale[JobType[k]]) * sizeNoise.Next(sizes);
            }

            Dispatcher[k] = dispatchers.Next(scenario.Dispatchers);
            TotalWorkMs += CostMs[k];
            EarliestFinishMs = Math.Max(EarliestFinishMs, time + (CostMs[k] / fastest));
        }

        for (var i = 0; i < HeartbeatPhaseMs.Length; i++)
        {
            HeartbeatPhaseMs[i] = phases.NextDouble() * scenario.HeartbeatMs;
        }

        LowerBoundMs = Math.Max(EarliestFinishMs, TotalWorkMs / speedCapacity);
        var floors = Array.ConvertAll(CostMs, c => c / fastest);
        Array.Sort(floors);
        P99FloorMs = NearestRank.Percentile(floors, 0.99);
    }

    public SimulationScenario Scenario { get; }

    /// <summary>Arrival time of each task, ascending.</summary>
    public double[] ArrivalMs { get; }

    /// <summary>Each task's cost as milliseconds on a worker of speed 1.</summary>
    public double[] CostMs { get; }

    /// <summary>Each task's job type, an index into <see cref="SimulationScenario.JobTypeCosts"/>.</summary>
    public int[] JobType { get; }

    /// <summary>Each task's cost hint in ms at speed 1, or null when tasks carry none.</summary>
    public double[]? HintMs { get; }

    /// <summary>Each task's payload size (units proportional to its cost within its type, with noise), or null when not modelled.</summary>
    public double[]? PayloadSize { get; }

    /// <summary>The dispatcher each task arrives at.</summary>
    public int[] Dispatcher { get; }

    /// <summary>When each worker sends its first heartbeat; then every heartbeat period.</summary>
    public double[] HeartbeatPhaseMs { get; }

    /// <summary>Seed for the strategies' own random draws (tie-breaks, samples).</summary>
    public int StrategySeed { get; }

    /// <summary>Σ cost, in milliseconds at speed 1.</summary>
    public double TotalWorkMs { get; }

    /// <summary>max over tasks of arrival + cost / fastest speed.</summary>
    public double EarliestFinishMs { get; }

    /// <summary>See <see cref="StrategyResult.LowerBoundMs"/>.</summary>
    public double LowerBoundMs { get; }

    /// <summary>See <see cref="StrategyResult.P99FloorMs"/>.</summary>
    public double P99FloorMs { get; }
}
