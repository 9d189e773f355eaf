using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Balancing.Tests.CostAware;

public sealed class CostQuantilesTests
{
    [Fact]
    public void Quantile_OfOneToAThousand_IsWithinOneBucket()
    {
        var costs = new CostQuantiles();
        for (var ms = 1; ms <= 1_000; ms++)
        {
            costs.Record(ms);
        }

        // A bucket spans 2^(1/8), about 9 %; the estimate is the bucket's upper edge.
        Assert.InRange(costs.Quantile(0.9)!.Value, 900, 900 * 1.1);
        Assert.InRange(costs.Quantile(0.5)!.Value, 500, 500 * 1.1);
    }

    [Fact]
    public void Quantile_BeforeAnyObservation_IsUnknown()
    {
        Assert.Null(new CostQuantiles().Quantile(0.9));
    }
}
