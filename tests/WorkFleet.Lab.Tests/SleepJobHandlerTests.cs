using System.Diagnostics;
using WorkFleet.Jobs;
using WorkFleet.Lab.Bench;

namespace WorkFleet.Lab.Tests;

public sealed class SleepJobHandlerTests
{
    [Fact]
    public async Task ExecuteAsync_ManyShortSleeps_NoneEndsBeforeItsCostOverSpeed()
    {
        // Arrange: costs with fractions of a millisecond on a worker of speed 4, where the millisecond timer alone may
        // end a wait early.
        var handler = new SleepJobHandler(new Dictionary<string, double> { ["w"] = 4 });
        JobExecutionContext.Current = new JobExecutionContext(Guid.NewGuid(), 1, "w");
        var costs = Enumerable.Range(0, 40).Select(i => 4.3 + (i * 1.37)).ToList();

        foreach (var cost in costs)
        {
            // Act
            var started = Stopwatch.GetTimestamp();
            var output = await handler.ExecuteAsync(SleepJobHandler.Payload(cost), CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            // Assert: never early (a lower bound the handler guarantees; how late is not asserted).
            Assert.True(elapsed >= cost / 4, $"cost {cost} ms / speed 4 took {elapsed} ms");
            Assert.True(output.GetProperty("sleptMs").GetDouble() >= cost / 4);
        }
    }
}
