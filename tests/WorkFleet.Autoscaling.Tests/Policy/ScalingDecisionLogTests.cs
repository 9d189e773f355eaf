using WorkFleet.Autoscaling.Policy;
using WorkFleet.Autoscaling.Tests.Support;

namespace WorkFleet.Autoscaling.Tests.Policy;

public sealed class ScalingDecisionLogTests
{
    private static ScalingDecision DecisionAt(int second) =>
        new(new ScalingInput(Series.Start + TimeSpan.FromSeconds(second), 1, 0.5), "hpa", 1, "test");

    [Fact]
    public void Add_BeyondCapacity_KeepsNewestOldestFirst()
    {
        var log = new ScalingDecisionLog(capacity: 3);

        for (var second = 0; second < 5; second++)
        {
            log.Add(DecisionAt(second));
        }

        Assert.Equal(
            [2, 3, 4],
            log.Snapshot().Select(d => (int)(d.Input.Now - Series.Start).TotalSeconds));
    }
}
