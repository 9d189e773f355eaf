using WorkFleet.Balancing.CostAware;
using WorkFleet.Balancing.Strategies;
using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Dispatcher.Tests;

public sealed class SubmitPrioritiesTests
{
    [Fact]
    public void Of_CostAwareWithoutAConfiguredPriority_DerivedFromTheIdStableAndPositive()
    {
        var options = new DispatcherOptions { DispatcherId = "dispatcher-a", Strategy = CostAwarePlacement.StrategyName };

        var priority = SubmitPriorities.Of(options);

        Assert.Equal(SubmitPriorities.Derived("dispatcher-a"), priority);
        Assert.InRange(priority!.Value, 1, 1 << 30);
    }

    [Fact]
    public void Derived_ManyIds_AllDistinct()
    {
        var priorities = Enumerable.Range(0, 1_000).Select(i => SubmitPriorities.Derived($"host-{i}")).ToList();

        Assert.Equal(priorities.Count, priorities.Distinct().Count());
        Assert.All(priorities, p => Assert.InRange(p, 1, 1 << 30));
    }

    [Fact]
    public void Of_OtherStrategyWithoutAConfiguredPriority_None()
    {
        var options = new DispatcherOptions { DispatcherId = "dispatcher-a", Strategy = StrategyCatalog.Default };

        Assert.Null(SubmitPriorities.Of(options));
    }

    [Theory]
    [InlineData("cost-aware")]
    [InlineData("fastest-free-slot")]
    public void Of_ConfiguredPriority_UsedAsIs(string strategy)
    {
        var options = new DispatcherOptions { DispatcherId = "dispatcher-a", Strategy = strategy, SubmitPriority = -3 };

        Assert.Equal(-3, SubmitPriorities.Of(options));
    }
}
