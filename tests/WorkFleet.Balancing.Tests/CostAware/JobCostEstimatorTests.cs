using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Balancing.Tests.CostAware;

public sealed class JobCostEstimatorTests
{
    [Fact]
    public void ExpectedCostMs_IsTheMeanOfDurationTimesWeight_PerJobType()
    {
        var estimator = new JobCostEstimator { MinimumObservations = 1 };
        estimator.Observe("resize", durationMs: 100, weight: 1);
        estimator.Observe("resize", durationMs: 50, weight: 4);
        estimator.Observe("transcode", durationMs: 1_000, weight: 2);

        Assert.Equal(150, estimator.ExpectedCostMs("resize"));
        Assert.Equal(2_000, estimator.ExpectedCostMs("transcode"));
    }

    [Fact]
    public void ExpectedCostMs_BeforeTheMinimumObservations_IsUnknown()
    {
        var estimator = new JobCostEstimator { MinimumObservations = 3 };
        estimator.Observe("resize", 100, 1);
        estimator.Observe("resize", 100, 1);

        Assert.Null(estimator.ExpectedCostMs("resize"));
        Assert.Null(estimator.ExpectedCostMs("never-seen"));
    }

    [Fact]
    public void ExpectedCostMs_AfterTheWindow_FollowsACostThatChanged()
    {
        var estimator = new JobCostEstimator { Window = 10, MinimumObservations = 1 };
        for (var i = 0; i < 100; i++)
        {
            estimator.Observe("resize", 100, 1);
        }

        for (var i = 0; i < 100; i++)
        {
            estimator.Observe("resize", 300, 1);
        }

        Assert.InRange(estimator.ExpectedCostMs("resize")!.Value, 290, 300);
    }
}
