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

    [Fact]
    public void ExpectedCostMs_CostFollowsPayloadSize_TheSizeLineGivesEachSizeItsCost()
    {
        // Cost = 2 ms per size unit + 50 ms, ±10 %; sizes 100..1,000.
        var estimator = new JobCostEstimator();
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var size = 100 + random.Next(901);
            estimator.Observe("resize", ((2 * size) + 50) * (0.9 + (0.2 * random.NextDouble())), weight: 1, payloadSize: size);
        }

        Assert.InRange(estimator.ExpectedCostMs("resize", 200)!.Value, 400, 500);
        Assert.InRange(estimator.ExpectedCostMs("resize", 900)!.Value, 1_750, 1_950);
        Assert.InRange(estimator.CostPerSizeUnit("resize")!.Value, 1.8, 2.2);

        // Without a size: the type's mean.
        Assert.InRange(estimator.ExpectedCostMs("resize")!.Value, 900, 1_300);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExpectedCostMs_SizeSaysNothingAboutCost_TheMean(bool fixedSize)
    {
        // Costs 100..300 ms whatever the size, or every payload of one size.
        var estimator = new JobCostEstimator();
        var random = new Random(11);
        for (var i = 0; i < 300; i++)
        {
            estimator.Observe("resize", 100 + random.Next(201), weight: 1, payloadSize: fixedSize ? 500 : 100 + random.Next(901));
        }

        Assert.Null(estimator.CostPerSizeUnit("resize"));
        Assert.Equal(estimator.ExpectedCostMs("resize"), estimator.ExpectedCostMs("resize", 10_000));
    }

    [Fact]
    public void ExpectedCostMs_FewerSizedObservationsThanTheMinimum_TheMean()
    {
        var estimator = new JobCostEstimator { MinimumObservations = 1, MinimumSizedObservations = 10 };
        for (var i = 1; i <= 9; i++)
        {
            estimator.Observe("resize", 10 * i, weight: 1, payloadSize: i);
        }

        Assert.Equal(50, estimator.ExpectedCostMs("resize", 9));

        estimator.Observe("resize", 100, weight: 1, payloadSize: 10);
        Assert.InRange(estimator.ExpectedCostMs("resize", 9)!.Value, 89.9, 90.1);
    }

    [Fact]
    public void ExpectedCostMs_TinyPayloadBelowTheLine_NeverBelowATenthOfTheMean()
    {
        var estimator = new JobCostEstimator();
        for (var i = 0; i < 100; i++)
        {
            var size = 1_000 + (i * 10);
            estimator.Observe("resize", (size - 900) * 3, weight: 1, payloadSize: size);
        }

        var mean = estimator.ExpectedCostMs("resize")!.Value;
        Assert.Equal(mean / 10, estimator.ExpectedCostMs("resize", 0));
    }
}
