using WorkFleet.Balancing.CostAware;
using WorkFleet.Simulation.Tests.Support;

namespace WorkFleet.Simulation.Tests;

/// <summary>
/// Issue 15's "done when" numbers for the cost-aware strategy against the shared queue, with hints of noise
/// cv 0.3, on the documented scenarios with cost cv 1, 2 and 3 (<see cref="CostAwareScenarios"/>). Findings, not
/// tuning targets: a failure prints the numbers.
/// </summary>
public sealed class CostAwareClaimTests
{
    private const string CostAware = CostAwarePlacement.StrategyName;

    [Theory]
    [MemberData(nameof(CostAwareScenarios.Names), MemberType = typeof(CostAwareScenarios))]
    public void CostAware_P99_NeverAboveTheSharedQueuesByMoreThanFivePercent(string scenario)
    {
        var results = CostAwareScenarios.Of(scenario);

        var chosen = results[CostAware];
        var shared = results[FleetSimulator.SharedQueue];

        Assert.True(chosen.P99Ms <= 1.05 * shared.P99Ms, $"p99 ratio {chosen.P99Ms / shared.P99Ms:F2}{Environment.NewLine}{CostAwareScenarios.Table(results)}");
    }

    [Theory]
    [MemberData(nameof(CostAwareScenarios.Names), MemberType = typeof(CostAwareScenarios))]
    public void CostAware_P99_WhereTheSharedQueueIsAboveOneAndAHalfFloors_BeatsIt(string scenario)
    {
        // The 0.75x, on every scenario: one dispatcher measured 0.59x, 0.68x and 0.70x at cost cv 1, 2, 3. Four
        // dispatchers take the submits by consumer priority (SubmitPriorities): one line orders and places every task,
        // so they measure what one does. (With equal priorities, each with its own line, four measured 0.76x and 0.91x
        // at cv 2 and 3.)
        var results = CostAwareScenarios.Of(scenario);

        var chosen = results[CostAware];
        var shared = results[FleetSimulator.SharedQueue];
        Assert.True(
            shared.P99Ms <= 1.5 * shared.P99FloorMs || chosen.P99Ms <= 0.75 * shared.P99Ms,
            $"p99 ratio {chosen.P99Ms / shared.P99Ms:F4}{Environment.NewLine}{CostAwareScenarios.Table(results)}");
    }

    [Theory]
    [MemberData(nameof(CostAwareScenarios.Names), MemberType = typeof(CostAwareScenarios))]
    public void CostAware_NoTaskStartsBeforeATaskOfItsQueueThatWasAlreadyDue(string scenario)
    {
        // The aging bound (AgingRule): a task k that waits past its due time d_k is passed by no task arriving
        // after d_k at the same dispatcher, so its wait is at most min(A · ê_k, H) + the time the fleet takes to
        // free a slot for each task due before it. Checked on every task of the run.
        var results = CostAwareScenarios.Of(scenario);

        foreach (var name in new[] { CostAware, FleetSimulator.SharedQueueSjf })
        {
            var tasks = results[name].Tasks;
            var perQueue = name == CostAware ? tasks.GroupBy(t => t.Dispatcher) : tasks.GroupBy(_ => 0);
            foreach (var queue in perQueue)
            {
                var overtaken = FirstOvertaken([.. queue]);
                Assert.True(overtaken is null, $"{name}: {overtaken}{Environment.NewLine}{CostAwareScenarios.Table(results)}");
            }
        }
    }

    [Theory]
    [InlineData("1,3,9")]
    [InlineData("1,4,16")]
    public void CostAware_WithoutHints_LearnedEstimatesGetAtLeastHalfTheHintedGain(string jobTypes)
    {
        // Three job types whose mean costs differ (1:3:9 or 1:4:16), cost cv 1 within each, the default fleet.
        var hinted = OfJobTypes("hinted", jobTypes, s => s with { HintCv = CostAwareScenarios.HintCv });
        var learned = OfJobTypes("learned", jobTypes, s => s);

        var hintedGain = Gain(hinted);
        var learnedGain = Gain(learned);

        Assert.True(hintedGain > 0, CostAwareScenarios.Table(hinted));
        Assert.True(
            learnedGain >= 0.5 * hintedGain,
            $"learned gain {learnedGain:F1} ms, hinted {hintedGain:F1} ms{Environment.NewLine}hinted:{Environment.NewLine}{CostAwareScenarios.Table(hinted)}{Environment.NewLine}learned:{Environment.NewLine}{CostAwareScenarios.Table(learned)}");
    }

    [Theory]
    [InlineData("1,3,9")]
    [InlineData("1,4,16")]
    public void CostAware_WithoutHints_LearnedAgainstPayloadSize_GetsMostOfTheHintedGain(string jobTypes)
    {
        // As above, but every task carries a payload size that follows its cost within its type (noise cv 0.3, as the
        // hints'), at a different ms per size unit for each type. Measured: 0.96 and 0.94 of the hinted gain, against
        // 0.75 and 0.63 for the per-type mean.
        var hinted = OfJobTypes("hinted", jobTypes, s => s with { HintCv = CostAwareScenarios.HintCv });
        var perType = OfJobTypes("learned", jobTypes, s => s);
        var sized = OfJobTypes("sized", jobTypes, s => s with { PayloadSizeCv = 0.3 });

        var hintedGain = Gain(hinted);
        var sizedGain = Gain(sized);

        Assert.True(
            sizedGain >= 0.9 * hintedGain && sizedGain > Gain(perType),
            $"sized gain {sizedGain:F1} ms, hinted {hintedGain:F1} ms, per-type mean {Gain(perType):F1} ms{Environment.NewLine}sized:{Environment.NewLine}{CostAwareScenarios.Table(sized)}");
    }

    /// <summary>The default fleet with three job types of mean costs <paramref name="jobTypes"/> (e.g. "1,3,9"), no hints unless <paramref name="variant"/> adds them.</summary>
    private static IReadOnlyDictionary<string, StrategyResult> OfJobTypes(string name, string jobTypes, Func<SimulationScenario, SimulationScenario> variant)
    {
        var costs = jobTypes.Split(',').Select(double.Parse).ToArray();
        return CostAwareScenarios.Of($"{name} {jobTypes}", _ => variant(Scenarios.Default with { JobTypeCosts = costs, HintCv = null }));
    }

    /// <summary>How much lower the cost-aware p99 is than the shared queue's, in ms.</summary>
    private static double Gain(IReadOnlyDictionary<string, StrategyResult> results) => results[FleetSimulator.SharedQueue].P99Ms - results[CostAware].P99Ms;

    /// <summary>A description of the first task started after a task of the same queue that was due before it arrived; null if none.</summary>
    private static string? FirstOvertaken(IReadOnlyList<SimulatedTask> byArrival)
    {
        // earliestStartFrom[j] = the earliest start among tasks j.. (tasks are listed in arrival order).
        var earliestStartFrom = new double[byArrival.Count + 1];
        earliestStartFrom[^1] = double.PositiveInfinity;
        for (var j = byArrival.Count - 1; j >= 0; j--)
        {
            earliestStartFrom[j] = Math.Min(byArrival[j].StartMs, earliestStartFrom[j + 1]);
        }

        var arrivals = byArrival.Select(t => t.ArrivalMs).ToArray();
        foreach (var task in byArrival)
        {
            var firstAfterDue = UpperBound(arrivals, task.DueMs);
            if (earliestStartFrom[firstAfterDue] < task.StartMs)
            {
                return FormattableString.Invariant(
                    $"a task arriving after {task.DueMs:F1} ms started at {earliestStartFrom[firstAfterDue]:F1} ms, before the task due then (arrived {task.ArrivalMs:F1}, started {task.StartMs:F1})");
            }
        }

        return null;
    }

    /// <summary>The index of the first value above <paramref name="value"/> in ascending values.</summary>
    private static int UpperBound(double[] ascending, double value)
    {
        int low = 0, high = ascending.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (ascending[mid] <= value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
