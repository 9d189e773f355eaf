using Microsoft.Extensions.Configuration;
using WorkFleet.Lab.Bench;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// The library behind <c>workfleet-lab bench-strategies</c> on the real broker and database: the report must be
/// complete and consistent; its timings are not asserted (the machine is shared).
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class StrategyBenchTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task BenchStrategies_TwoStrategies_EveryTaskMeasuredAndTheReportConsistent()
    {
        // Arrange: the bench's own virtual host and database, a small fast workload.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("bench"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("bench"));
        var stack = new ConfigurationBuilder().AddInMemoryCollection(FleetHosts.StackSettings(rabbit, database)).Build();
        var settings = StrategyBenchSettings.Default with { Strategies = ["fastest-free-slot", "round-robin"], Tasks = 200, Load = 0.3, CostMs = 100 };
        Assert.Null(await StackPreflight.CheckAsync(stack, CancellationToken.None));

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var report = await StrategyBench.RunAsync(settings, stack, onRun: null, deadline.Token);

        // Assert: every task came back, ran on a bench worker, and took at least its own cost / speed.
        Assert.Equal(settings.Strategies, report.Runs.Select(r => r.Strategy));
        Assert.All(report.Runs, run =>
        {
            Assert.Equal((200, 0, 0), (run.Completed, run.Failed, run.Lost));
            Assert.Equal(200, run.Tasks.Count);
            Assert.All(run.Tasks, t =>
            {
                Assert.True(t.Succeeded);
                Assert.NotNull(t.WorkerSpeed);
                Assert.Contains(t.WorkerSpeed!.Value, settings.Speeds);
                Assert.True(t.LatencyMs >= t.CostMs / t.WorkerSpeed.Value, $"latency {t.LatencyMs} ms < cost {t.CostMs} ms / speed {t.WorkerSpeed}");
            });

            foreach (var summary in new[] { run.Real, run.Simulated })
            {
                Assert.True(summary.P50Ms > 0 && summary.P50Ms <= summary.P95Ms && summary.P95Ms <= summary.P99Ms, $"percentiles {summary}");
                Assert.InRange(summary.MeanMs, 0.001, summary.MakespanMs);
                Assert.True(summary.MakespanMs >= report.LowerBoundMs - 1, $"makespan {summary.MakespanMs} ms below the lower bound {report.LowerBoundMs} ms");
            }

            Assert.True(run.TargetRatePerSecond > 0 && run.AchievedRatePerSecond > 0);
        });

        // The rankings are the strategies by p99, and "agree" says whether they are the same order.
        Assert.Equal(settings.Strategies.Order(), report.RealRanking.Order());
        Assert.Equal(settings.Strategies.Order(), report.SimulatedRanking.Order());
        Assert.Equal(report.RealRanking.SequenceEqual(report.SimulatedRanking), report.RankingsAgree);
    }
}
