using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Balancing.Tests.CostAware;

public sealed class AgingRuleTests
{
    [Fact]
    public void DueMs_WithEstimate_IsArrivalPlusAgingFactorTimesCost()
    {
        var rule = new AgingRule { AgingFactor = 2, MaxHeadStart = TimeSpan.FromSeconds(10) };

        Assert.Equal(1_000 + (2 * 300), rule.DueMs(1_000, 300));
    }

    [Fact]
    public void DueMs_HugeEstimate_IsCappedByTheMaxHeadStart()
    {
        var rule = new AgingRule { AgingFactor = 1, MaxHeadStart = TimeSpan.FromSeconds(5) };

        Assert.Equal(1_000 + 5_000, rule.DueMs(1_000, 1e9));
    }

    [Fact]
    public void DueMs_WithoutEstimate_IsTheArrival()
    {
        Assert.Equal(1_000, new AgingRule().DueMs(1_000, null));
    }

    [Fact]
    public void OrderKeyMs_Fifo_IsTheArrival()
    {
        var rule = new AgingRule { Order = WaitingOrder.Fifo };

        Assert.Equal(1_000, rule.OrderKeyMs(1_000, rule.DueMs(1_000, 300)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Validate_AgingFactorNotPositive_NamesTheSetting(double factor)
    {
        var error = Assert.Throws<ArgumentException>(() => new AgingRule { AgingFactor = factor }.Validate());

        Assert.Equal(nameof(AgingRule.AgingFactor), error.ParamName);
    }
}
