using WorkFleet.Simulation.Tests.Support;

namespace WorkFleet.Simulation.Tests;

public sealed class DeterminismTests
{
    private static readonly SimulationScenario Small = new() { TaskCount = 5_000, Dispatchers = 2, Seed = 42 };

    [Theory]
    [MemberData(nameof(Scenarios.Strategies), MemberType = typeof(Scenarios))]
    public void Run_SameSeed_IdenticalNumbers(string strategy)
    {
        var first = new FleetSimulator(Small).Run(strategy, recordTasks: true);
        var second = new FleetSimulator(Small with { }).Run(strategy, recordTasks: true);

        Assert.Equal(Summary(first), Summary(second));
        Assert.Equal(first.Workers, second.Workers);
        Assert.Equal(first.Tasks, second.Tasks);
    }

    [Theory]
    [MemberData(nameof(Scenarios.Strategies), MemberType = typeof(Scenarios))]
    public void Run_TwiceOnOneSimulator_SecondRunUnaffectedByFirst(string strategy)
    {
        var simulator = new FleetSimulator(Small);

        var first = simulator.Run(strategy, recordTasks: true);
        var second = simulator.Run(strategy, recordTasks: true);

        Assert.Equal(first.Tasks, second.Tasks);
    }

    [Theory]
    [MemberData(nameof(Scenarios.Strategies), MemberType = typeof(Scenarios))]
    public void Run_DifferentSeed_DifferentNumbers(string strategy)
    {
        var first = new FleetSimulator(Small).Run(strategy);
        var second = new FleetSimulator(Small with { Seed = 43 }).Run(strategy);

        Assert.NotEqual(Summary(first), Summary(second));
    }

    private static double[] Summary(StrategyResult r) =>
        [r.P50Ms, r.P95Ms, r.P99Ms, r.MeanMs, r.MaxMs, r.MeanWaitMs, r.MakespanMs, r.LowerBoundMs, r.Utilization, r.Completed];
}
