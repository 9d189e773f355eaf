using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using WorkFleet.Balancing;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Balancing.Strategies;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Benchmarks;

/// <summary>
/// Cost of one decision as the dispatcher makes it: the whole <see cref="SlotAllocator"/> step under its lock, line
/// and ledger included, for the default strategy and for <c>cost-aware</c> (a task with a 100 ms cost hint). The
/// fleet as in <see cref="DecisionBenchmarks"/>: every worker alive, capacity 8, weights cycling 1, 2, 4, one job
/// type, on a clock that stands still.
/// </summary>
/// <remarks>
/// <see cref="AcquireRelease"/>: half-loaded workers (4 attempts each); a task is granted at once and its slot freed.
/// <see cref="ReleaseGrantsWaiting"/>: a full fleet; one slot frees and the waiting task takes it, then the task that
/// freed it comes back and waits (so the step runs two passes over the line, both with one waiting task).
/// </remarks>
[MemoryDiagnoser]
public class AllocatorDecisionBenchmarks
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TaskRequirements Requirements = new("preprocess.tokenize", []);

    private readonly AssignmentKey _probe = new(Guid.NewGuid(), 1);
    private SlotAllocator _slots = null!;
    private (AssignmentKey Running, AssignmentKey Waiting) _swap;
    private string _swapWorker = "";

    /// <summary>Fleet size.</summary>
    [Params(10, 100, 1_000, 10_000)]
    public int Workers { get; set; }

    /// <summary>The default strategy and the cost-aware one.</summary>
    [Params(FastestFreeSlotStrategy.StrategyName, CostAwarePlacement.StrategyName)]
    public string Strategy { get; set; } = StrategyCatalog.Default;

    [GlobalSetup(Target = nameof(AcquireRelease))]
    public void SetupHalfLoaded() => _slots = CreateFleet(running: 4);

    [GlobalSetup(Target = nameof(ReleaseGrantsWaiting))]
    public void SetupFull()
    {
        _slots = CreateFleet(running: 8);
        _swapWorker = WorkerId(Workers - 1);
        _swap = (new AssignmentKey(Guid.NewGuid(), 1), new AssignmentKey(Guid.NewGuid(), 1));
        _slots.Restore(_swapWorker, _swap.Running);
        _ = _slots.AcquireAsync(Requirements, _swap.Waiting, 0, expectedCostMs: 100, CancellationToken.None);
    }

    [Benchmark]
    public string? AcquireRelease()
    {
        var acquired = _slots.AcquireAsync(Requirements, _probe, 0, expectedCostMs: 100, CancellationToken.None);
        var workerId = acquired.Result.WorkerId!;
        _slots.Release(workerId, _probe);
        return workerId;
    }

    [Benchmark]
    public bool ReleaseGrantsWaiting()
    {
        var (running, waiting) = _swap;
        var released = _slots.Release(_swapWorker, running);
        _ = _slots.AcquireAsync(Requirements, running, 0, expectedCostMs: 100, CancellationToken.None);
        _swap = (waiting, running);
        return released;
    }

    private SlotAllocator CreateFleet(int running)
    {
        var options = new DispatcherOptions
        {
            DispatcherId = "bench",
            Strategy = Strategy,
            LivenessTimeout = TimeSpan.FromSeconds(5),
        };
        var slots = new SlotAllocator(Options.Create(options), new StoppedClock(Now), new JobCostEstimates());
        double[] weights = [1, 2, 4];
        var jobTypes = new HashSet<string>(StringComparer.Ordinal) { Requirements.JobType };
        for (var i = 0; i < Workers; i++)
        {
            // The last worker of a full fleet keeps one slot for the task the benchmark swaps in and out.
            var workerId = WorkerId(i);
            var own = running == 8 && i == Workers - 1 ? running - 1 : running;
            for (var k = 0; k < own; k++)
            {
                slots.Restore(workerId, new AssignmentKey(Guid.NewGuid(), 1));
            }

            slots.Apply(new WorkerSnapshot
            {
                WorkerId = workerId,
                Weight = weights[i % weights.Length],
                Capacity = 8,
                ReportedLoad = own,
                JobTypes = jobTypes,
                Sequence = 1,
                Incarnation = Now.AddHours(-1),
                LastSeen = Now,
            });
        }

        return slots;
    }

    private static string WorkerId(int i) => $"worker-{i:D5}";

    /// <summary>A clock that stands still: every decision sees the same fleet.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
