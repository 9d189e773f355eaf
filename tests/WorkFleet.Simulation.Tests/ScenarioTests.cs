namespace WorkFleet.Simulation.Tests;

public sealed class ScenarioTests
{
    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(1, 2)]
    [InlineData(1.5, 3)]
    [InlineData(1.25, 3)]
    [InlineData(4, 8)]
    public void CapacityOf_NoFixedCapacity_TwiceTheSpeedRoundedAtLeastOne(double speed, int expected)
    {
        var scenario = new SimulationScenario { Speeds = [speed] };

        Assert.Equal(expected, scenario.CapacityOf(0));
    }

    [Fact]
    public void CapacityOf_FixedCapacity_SameForEveryWorker()
    {
        var scenario = new SimulationScenario { Speeds = [1, 8], Capacity = 3 };

        Assert.Equal([3, 3], [scenario.CapacityOf(0), scenario.CapacityOf(1)]);
    }

    [Fact]
    public void ArrivalsPerMs_DefaultScenario_LoadTimesSpeedCapacityOverMeanCost()
    {
        var scenario = new SimulationScenario();

        // Σ c·s = 2·1 + 2·1 + 4·2 + 8·4 = 44 work units per 100 ms at full use; 85 % of it.
        Assert.Equal(44, scenario.TotalSpeedCapacity);
        Assert.Equal(0.85 * 44 / 100, scenario.ArrivalsPerMs, 12);
    }

    public static TheoryData<SimulationScenario, string> BadScenarios => new()
    {
        { new SimulationScenario { Speeds = [] }, nameof(SimulationScenario.Speeds) },
        { new SimulationScenario { Speeds = [1, 0] }, nameof(SimulationScenario.Speeds) },
        { new SimulationScenario { Speeds = [double.NaN] }, nameof(SimulationScenario.Speeds) },
        { new SimulationScenario { Capacity = 0 }, nameof(SimulationScenario.Capacity) },
        { new SimulationScenario { Load = 0 }, nameof(SimulationScenario.Load) },
        { new SimulationScenario { Load = 2.5 }, nameof(SimulationScenario.Load) },
        { new SimulationScenario { TaskCount = 0 }, nameof(SimulationScenario.TaskCount) },
        { new SimulationScenario { CostCv = -0.1 }, nameof(SimulationScenario.CostCv) },
        { new SimulationScenario { CostUnitMs = 0 }, nameof(SimulationScenario.CostUnitMs) },
        { new SimulationScenario { HeartbeatMs = -1 }, nameof(SimulationScenario.HeartbeatMs) },
        { new SimulationScenario { Dispatchers = 0 }, nameof(SimulationScenario.Dispatchers) },
    };

    [Theory]
    [MemberData(nameof(BadScenarios))]
    public void FleetSimulator_BadScenario_ThrowsNamingTheProperty(SimulationScenario scenario, string property)
    {
        var error = Assert.Throws<ArgumentException>(() => new FleetSimulator(scenario));

        Assert.Equal(property, error.ParamName);
    }

    [Fact]
    public void Run_UnknownStrategy_ThrowsListingTheValidOnes()
    {
        var simulator = new FleetSimulator(new SimulationScenario { TaskCount = 10 });

        var error = Assert.Throws<ArgumentException>(() => simulator.Run("fastest-first"));

        Assert.Contains(FleetSimulator.SharedQueue, error.Message, StringComparison.Ordinal);
        Assert.Contains(Balancing.Strategies.StrategyCatalog.Default, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StrategyNames_EveryCatalogStrategyThenTheSharedQueue()
    {
        Assert.Equal([.. Balancing.Strategies.StrategyCatalog.Names, FleetSimulator.SharedQueue], FleetSimulator.StrategyNames);
    }
}
