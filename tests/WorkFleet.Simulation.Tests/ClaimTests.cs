using WorkFleet.Balancing.Strategies;
using WorkFleet.Simulation.Tests.Support;

namespace WorkFleet.Simulation.Tests;

/// <summary>
/// Issue 3's "done when" numbers for the default strategy, on the scenarios in <see cref="Scenarios"/> (the
/// README shows the same tables). These are findings, not tuning targets: when one fails, the message carries
/// the whole table.
/// </summary>
public sealed class ClaimTests
{
    private const string RoundRobin = "round-robin";

    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void DefaultStrategy_P99_WithinOneQuarterOfTheSharedQueue(string scenario)
    {
        var results = Results.Of(scenario);

        var chosen = results[StrategyCatalog.Default];
        var ideal = results[FleetSimulator.SharedQueue];

        Assert.True(chosen.P99Ms <= 1.25 * ideal.P99Ms, $"p99 ratio {chosen.P99Ms / ideal.P99Ms:F2}{Environment.NewLine}{Results.Table(results)}");
    }

    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void DefaultStrategy_Makespan_WithinTenPercentOfTheLowerBound(string scenario)
    {
        var results = Results.Of(scenario);

        var chosen = results[StrategyCatalog.Default];

        Assert.True(chosen.MakespanMs <= 1.10 * chosen.LowerBoundMs, Results.Table(results));
    }

    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void DefaultStrategy_P99_NoWorseThanAnyOtherStrategy(string scenario)
    {
        // Within 2 %: on the default fleet several strategies land within noise of each other.
        var results = Results.Of(scenario);

        var chosen = results[StrategyCatalog.Default];

        Assert.All(
            results.Values.Where(r => r.Name != FleetSimulator.SharedQueue),
            other => Assert.True(chosen.P99Ms <= 1.02 * other.P99Ms, $"{other.Name} beats the default{Environment.NewLine}{Results.Table(results)}"));
    }

    [Theory]
    [MemberData(nameof(Scenarios.SpareFastSlots), MemberType = typeof(Scenarios))]
    public void DefaultStrategy_P99_AtLeastThreeTimesBetterThanRoundRobin_WhenAFastWorkerHasSlotsToSpare(string scenario)
    {
        // Where capacity tracks speed and the fleet is busy (the default scenario), late binding leaves
        // round-robin little room to err: it is only a few percent behind there (README, "Balancing").
        var results = Results.Of(scenario);

        var chosen = results[StrategyCatalog.Default];
        var roundRobin = results[RoundRobin];

        Assert.True(3 * chosen.P99Ms <= roundRobin.P99Ms, $"round-robin p99 / default p99 = {roundRobin.P99Ms / chosen.P99Ms:F2}{Environment.NewLine}{Results.Table(results)}");
    }

    [Theory]
    [MemberData(nameof(Scenarios.BusyFleetsWithCapacityTrackingSpeed), MemberType = typeof(Scenarios))]
    public void ThreeTimesBetterThanRoundRobin_IsOutOfReachOfAnyStrategy_WhenCapacityTracksSpeedOnABusyFleet(string scenario)
    {
        // Why the 3x claim is checked only where a fast worker has slots to spare: here even a strategy that
        // knew every cost in advance could not reach it. Every task takes at least its cost on the fastest
        // worker, so no p99 is below the p99 floor; round-robin's p99 is under three floors, so a strategy 3x
        // better than round-robin would need a p99 below the floor. The default sits near the shared queue.
        var results = Results.Of(scenario);

        var roundRobin = results[RoundRobin];
        var chosen = results[StrategyCatalog.Default];

        Assert.True(roundRobin.P99Ms < 3 * roundRobin.P99FloorMs, $"p99 floor {roundRobin.P99FloorMs:F1} ms{Environment.NewLine}{Results.Table(results)}");
        Assert.True(chosen.P99Ms < roundRobin.P99Ms, Results.Table(results));
    }

    [Fact]
    public void SeveralDispatchers_HeartbeatsOnly_AreFarWorseThanWithBroadcasts()
    {
        // Why dispatchers broadcast assignments: seen only through 1 s heartbeats, a slot another dispatcher
        // freed stays invisible for up to a second, so tasks wait at one dispatcher while workers idle.
        var broadcast = Results.Of(nameof(Scenarios.FourDispatchers))[StrategyCatalog.Default];
        var heartbeatsOnly = Results.Of(nameof(Scenarios.FourDispatchersHeartbeatsOnly))[StrategyCatalog.Default];

        Assert.True(heartbeatsOnly.P99Ms >= 10 * broadcast.P99Ms, $"{Results.Describe(heartbeatsOnly)} vs {Results.Describe(broadcast)}");
    }
}
