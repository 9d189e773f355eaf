namespace WorkFleet.Simulation.Autoscaling;

/// <summary>Draws the tasks of a scenario: a Poisson process following the trace's rate, lognormal run times.</summary>
public static class TraceTasks
{
    /// <summary>
    /// The tasks in arrival order. Arrivals come from thinning: candidates at the trace's highest rate, each kept
    /// with probability rate(t) / highest rate. Deterministic for the scenario's seed.
    /// </summary>
    public static IReadOnlyList<TraceTask> Generate(AutoscalingScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        var trace = scenario.Trace;
        var random = new Random(scenario.Seed);
        var cost = new LognormalCost(scenario.CostCv);
        var tasks = new List<TraceTask>();
        var time = 0.0;
        while (true)
        {
            time += Distributions.Exponential(random, trace.MaxRate);
            if (time >= trace.DurationSeconds)
            {
                return tasks;
            }

            var keep = random.NextDouble() < trace.RateAt(time) / trace.MaxRate;
            var run = cost.Next(random) * scenario.MeanCostSeconds;
            if (keep)
            {
                tasks.Add(new TraceTask(time, run));
            }
        }
    }
}
