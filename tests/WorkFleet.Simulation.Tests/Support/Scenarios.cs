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

    /// <summary>The default fleet shared by four dispatchers, each seeing the others only through 1 s heartbeats.</summary>
    public static SimulationScenario FourDispatchers { get; } = new() { Dispatchers = 4 };

    public static SimulationScenario ByName(string name) => name switch
    {
        nameof(Default) => Default,
        nameof(Sixteen) => Sixteen,
        nameof(FourDispatchers) => FourDispatchers,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such scenario."),
    };

    public static TheoryData<string> Names => [nameof(Default), nameof(Sixteen), nameof(FourDispatchers)];

    /// <summary>Every strategy the simulator runs, as theory data.</summary>
    public static TheoryData<string> Strategies => [.. FleetSimulator.StrategyNames];
}
