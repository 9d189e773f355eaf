using BenchmarkDotNet.Attributes;
using WorkFleet.Balancing;
using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Benchmarks;

/// <summary>
/// Cost of one dispatch decision as the dispatcher makes it under its lock: <see cref="FleetView.Select"/>,
/// then <see cref="InFlightLedger.Assign"/> of the chosen worker, then <see cref="InFlightLedger.Release"/>
/// (standing in for the task finishing, so the fleet stays in the same state from one operation to the
/// next). Steady state: every worker alive, capacity 8, half loaded by the dispatcher's own ledger
/// (4 assignments each), weights cycling 1, 2, 4 so scores differ, one job type.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TaskRequirements Requirements = new("preprocess.tokenize", []);
    private static readonly AssignmentKey Probe = new(Guid.NewGuid(), 1);

    private FleetView _view = null!;

    /// <summary>Fleet size.</summary>
    [Params(10, 100, 1_000, 10_000)]
    public int Workers { get; set; }

    /// <summary>The default strategy and weighted least-load (full scans), and power of two choices (a sample).</summary>
    [Params(FastestFreeSlotStrategy.StrategyName, WeightedLeastLoadStrategy.StrategyName, PowerOfTwoChoicesStrategy.StrategyName)]
    public string Strategy { get; set; } = StrategyCatalog.Default;

    [GlobalSetup]
    public void Setup()
    {
        _view = new FleetView(StrategyCatalog.Create(Strategy, new Random(42)), TimeSpan.FromSeconds(5));
        double[] weights = [1, 2, 4];
        var jobTypes = new HashSet<string>(StringComparer.Ordinal) { Requirements.JobType };
        for (var i = 0; i < Workers; i++)
        {
            var workerId = $"worker-{i:D5}";

            // The heartbeat reports the 4 tasks the ledger already holds, so there is no foreign load.
            for (var k = 0; k < 4; k++)
            {
                _view.Ledger.Assign(workerId, new AssignmentKey(Guid.NewGuid(), 1));
            }

            _view.Apply(new WorkerSnapshot
            {
                WorkerId = workerId,
                Weight = weights[i % weights.Length],
                Capacity = 8,
                ReportedLoad = 4,
                JobTypes = jobTypes,
                Sequence = 1,
                Incarnation = Now.AddHours(-1),
                LastSeen = Now,
            });
        }
    }

    [Benchmark]
    public string? SelectAssignRelease()
    {
        var selection = _view.Select(Requirements, Now);
        var workerId = selection.WorkerId!;
        _view.Ledger.Assign(workerId, Probe);
        _view.Ledger.Release(workerId, Probe);
        return workerId;
    }
}
