using WorkFleet.Simulation;

namespace WorkFleet.Simulation.Tests.Support;

/// <summary>The scenarios the claims are checked on (the README documents the same ones).</summary>
internal static class Scenarios
{
    /// <summary>The default: speeds 1,1,2,4, capacity 2 × speed, ρ = 0.85, cost cv 1, 1 s heartbeats, one dispatcher.</summary>
    public static SimulationScenario Default { get; } = new();

    /// <summary>
    /// A larger, more spread fleet: 16 workers of speeds 1, 2, 4, 8 (four of each). It is 15 times faster than
    /// the default fleet, so 100,000 tasks give about 17 s of arrivals, the same order as the default's 53 s
    /// (20,000 would end after 3.5 s, where the makespan mostly measures the last few tasks' run times).
    /// </summary>
    public static SimulationScenario Sixteen { get; } = new()
    {
        Speeds = [.. Enumerable.Range(0, 16).Select(i => Math.Pow(2, i % 4))],
        TaskCount = 100_000,
    };

    /// <summary>
    /// The default fleet shared by four dispatchers with 1 s heartbeats, which learn of each other's assignments
    /// and finished attempts by broadcast, 1 ms late (the default <see cref="SimulationScenario.BroadcastDelayMs"/>).
    /// </summary>
    public static SimulationScenario FourDispatchers { get; } = new() { Dispatchers = 4 };

    /// <summary>As <see cref="FourDispatchers"/>, but the dispatchers see each other's work only through heartbeats.</summary>
    public static SimulationScenario FourDispatchersHeartbeatsOnly { get; } = new() { Dispatchers = 4, Sharing = DispatcherSharing.HeartbeatsOnly };

    /// <summary>
    /// One fast machine among slow ones, all with the same number of slots (capacity = cores, speed differs, e.g.
    /// a GPU box among CPU boxes): speeds 1, 1, 1, 8, capacity 8, ρ = 0.3. The fast worker has slots to spare,
    /// so where a task runs decides its latency.
    /// </summary>
    public static SimulationScenario OneFastWorker { get; } = new() { Speeds = [1, 1, 1, 8], Capacity = 8, Load = 0.3 };

    /// <summary><see cref="OneFastWorker"/> shared by four dispatchers (broadcast, as <see cref="FourDispatchers"/>).</summary>
    public static SimulationScenario OneFastWorkerFourDispatchers { get; } = OneFastWorker with { Dispatchers = 4 };

    public static SimulationScenario ByName(string name) => name switch
    {
        nameof(Default) => Default,
        nameof(Sixteen) => Sixteen,
        nameof(FourDispatchers) => FourDispatchers,
        nameof(FourDispatchersHeartbeatsOnly) => FourDispatchersHeartbeatsOnly,
        nameof(OneFastWorker) => OneFastWorker,
        nameof(OneFastWorkerFourDispatchers) => OneFastWorkerFourDispatchers,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such scenario."),
    };

    /// <summary>The scenarios every claim is checked on (the README's table).</summary>
    public static TheoryData<string> Names =>
        [nameof(Default), nameof(Sixteen), nameof(FourDispatchers), nameof(OneFastWorker), nameof(OneFastWorkerFourDispatchers)];

    /// <summary>The scenarios where some worker is faster than others and has slots to spare.</summary>
    public static TheoryData<string> SpareFastSlots => [nameof(OneFastWorker), nameof(OneFastWorkerFourDispatchers)];

    /// <summary>
    /// The scenarios where capacity tracks speed (2 × speed) on a busy fleet (ρ = 0.85): late binding leaves
    /// round-robin close to the ideal, so no strategy can be 3× better than it (see <c>ClaimTests</c>).
    /// </summary>
    public static TheoryData<string> BusyFleetsWithCapacityTrackingSpeed => [nameof(Default), nameof(Sixteen), nameof(FourDispatchers)];

    /// <summary>Every strategy the simulator runs, as theory data.</summary>
    public static TheoryData<string> Strategies => [.. FleetSimulator.StrategyNames];
}
