using BenchmarkDotNet.Attributes;
using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Benchmarks;

/// <summary>
/// Cost of one cost-aware decision: a task is enqueued, one <see cref="CostAwareScheduler{T}.Dispatch"/> pass
/// places it, and <see cref="SlotForecast.Finish"/> stands in for its end, so the fleet stays in the same state.
/// Steady state as <see cref="DecisionBenchmarks"/>: capacity 8, 4 attempts running on every worker with
/// expected ends spread over the next second, weights cycling 1, 2, 4, an expected cost of 100 ms.
/// </summary>
[MemoryDiagnoser]
public class CostAwareDecisionBenchmarks
{
    private readonly List<StartedTask<int>> _started = [];
    private CostAwareScheduler<int> _scheduler = null!;
    private SlotForecast _fleet = null!;

    /// <summary>Fleet size.</summary>
    [Params(10, 100, 1_000, 10_000)]
    public int Workers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fleet = new SlotForecast();
        double[] weights = [1, 2, 4];
        var random = new Random(42);
        for (var i = 0; i < Workers; i++)
        {
            var worker = _fleet.AddWorker(weights[i % weights.Length], 8);
            for (var k = 0; k < 4; k++)
            {
                _fleet.Start(worker, random.NextDouble() * 1_000);
            }
        }

        _scheduler = new CostAwareScheduler<int>(new AgingRule(), _fleet);

        // Fill the cost quantiles so the slow-worker budget is on, as in a running dispatcher.
        for (var k = 0; k < 1_000; k++)
        {
            _scheduler.Costs.Record(20 + (random.NextDouble() * 400));
        }
    }

    [Benchmark]
    public int EnqueueDispatchFinish()
    {
        _started.Clear();
        _scheduler.Enqueue(1, 0, arrivalMs: 0, expectedCostMs: 100);
        _scheduler.Dispatch(nowMs: 0, _started);
        var started = _started[0];
        _fleet.Finish(started.Worker, started.ExpectedEndMs);
        return started.Worker;
    }
}
