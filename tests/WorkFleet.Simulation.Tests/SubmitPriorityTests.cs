using WorkFleet.Balancing.CostAware;
using WorkFleet.Simulation.Tests.Support;

namespace WorkFleet.Simulation.Tests;

/// <summary>
/// Several cost-aware dispatchers take the submits by consumer priority: the first takes every task while it holds
/// fewer than <see cref="SimulationScenario.SubmitConcurrency"/>, the next only what overflows, so one line decides.
/// </summary>
public sealed class SubmitPriorityTests
{
    private const string CostAware = CostAwarePlacement.StrategyName;

    [Fact]
    public void FourDispatchers_LineNeverFull_FirstTakesEveryTask_AndTheRunIsOneDispatchers()
    {
        // Arrange: the same workload (arrivals, costs, hints) with one dispatcher and with four.
        var one = Scenarios.Default with { CostCv = 2, HintCv = CostAwareScenarios.HintCv, TaskCount = 5_000 };
        var four = one with { Dispatchers = 4 };

        // Act
        var alone = new FleetSimulator(one).Run(CostAware, recordTasks: true);
        var shared = new FleetSimulator(four).Run(CostAware, recordTasks: true);

        // Assert
        Assert.All(shared.Tasks, t => Assert.Equal(0, t.Dispatcher));
        Assert.Equal(alone.Tasks.Select(t => (t.Worker, t.StartMs)), shared.Tasks.Select(t => (t.Worker, t.StartMs)));
    }

    [Fact]
    public void FourDispatchers_FirstLineFull_OverflowGoesToTheNext_EveryTaskRunsOnce()
    {
        // Arrange: an overloaded fleet, so lines grow, and lines of at most 8.
        var scenario = Scenarios.Default with { Dispatchers = 4, Load = 1.3, SubmitConcurrency = 8, HintCv = CostAwareScenarios.HintCv, TaskCount = 2_000 };

        // Act
        var result = new FleetSimulator(scenario).Run(CostAware, recordTasks: true);

        // Assert: the first took most, yet some overflowed to the others; every task ran.
        var taken = result.Tasks.GroupBy(t => t.Dispatcher).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(scenario.TaskCount, result.Completed);
        Assert.True(taken.Count > 1, $"taken per dispatcher: {string.Join(", ", taken)}");
        Assert.Equal(taken.Values.Max(), taken[0]);
    }

    [Fact]
    public void FourDispatchers_EqualPriorities_TasksSpreadOverEveryDispatcher()
    {
        // Arrange
        var scenario = Scenarios.Default with { Dispatchers = 4, EqualSubmitPriorities = true, HintCv = CostAwareScenarios.HintCv, TaskCount = 2_000 };

        // Act
        var result = new FleetSimulator(scenario).Run(CostAware, recordTasks: true);

        // Assert: every dispatcher took some (each task has a 1 in 4 chance at each; 2,000 tasks).
        Assert.Equal(4, result.Tasks.Select(t => t.Dispatcher).Distinct().Count());
    }
}
