using WorkFleet.Balancing.Strategies;
using WorkFleet.Balancing.Tests.Support;

namespace WorkFleet.Balancing.Tests;

/// <summary>
/// Drives a <see cref="FleetView"/> with random heartbeats, assignments, releases, removals and passing time,
/// and checks every answer against a plain model that recomputes eligibility and load from scratch. The view
/// keeps loads and eligibility counts incrementally; this is what keeps it honest.
/// </summary>
public sealed class FleetViewModelTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(5);

    public static TheoryData<string, int> Cases =>
        new() { { "weighted-least-load", 1 }, { "weighted-least-load", 2 }, { "power-of-two", 3 }, { "power-of-two", 4 }, { "round-robin", 5 }, { "least-connections", 6 }, { "shortest-expected-completion", 7 }, { "weighted-round-robin", 8 }, { "random", 9 }, { "fastest-free-slot", 10 }, { "fastest-free-slot", 11 } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Select_RandomOperations_AgreesWithABruteForceModel(string strategy, int seed)
    {
        // Arrange
        var view = new FleetView(StrategyCatalog.Create(strategy, new Random(seed)), Liveness);
        var random = new Random(seed * 7919);
        var model = new Dictionary<string, (WorkerSnapshot Snapshot, int Foreign)>(StringComparer.Ordinal);
        var open = new List<(string Worker, AssignmentKey Key)>();
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        var now = Workers.Now;
        var keys = 0;

        for (var step = 0; step < 4_000; step++)
        {
            var roll = random.Next(100);
            var id = $"w{random.Next(24)}";
            if (roll < 30)
            {
                // Act: a heartbeat, mostly healthy, sometimes draining, incapable, full or already stale.
                var sequence = sequences[id] = sequences.GetValueOrDefault(id) + 1;
                var snapshot = Workers.Create(
                    id,
                    weight: random.Next(1, 5),
                    capacity: random.Next(1, 5),
                    reportedLoad: random.Next(0, 3),
                    isDraining: random.Next(10) == 0,
                    jobTypes: random.Next(8) == 0 ? ["other"] : [Workers.DefaultJobType],
                    sequence: sequence,
                    lastSeen: random.Next(10) == 0 ? now - Liveness - TimeSpan.FromSeconds(1) : now);
                Assert.True(view.Apply(snapshot));
                model[id] = (snapshot, Math.Max(0, snapshot.ReportedLoad - view.Ledger.Outstanding(id)));
            }
            else if (roll < 32)
            {
                var returned = view.Remove(id);
                model.Remove(id);
                Assert.Equal(open.Count(o => o.Worker == id), returned.Count);
                open.RemoveAll(o => o.Worker == id);
            }
            else if (roll < 55 && open.Count > 0)
            {
                var done = open[random.Next(open.Count)];
                open.Remove(done);
                Assert.True(view.Ledger.Release(done.Worker, done.Key));
            }
            else if (roll < 60)
            {
                now += TimeSpan.FromMilliseconds(random.Next(0, 3_000));
            }
            else
            {
                var selection = view.Select(Workers.Requirements(), now);

                // Assert: the choice is eligible in the model, or the model agrees there is none and why.
                var eligible = model.Where(m => IsLive(m.Value.Snapshot, now) && IsCapable(m.Value.Snapshot) && Load(view, m) < m.Value.Snapshot.Capacity)
                    .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
                if (eligible.Count == 0)
                {
                    var expected = model.Values.Any(m => IsLive(m.Snapshot, now) && IsCapable(m.Snapshot)) ? SelectionOutcome.NoFreeSlot
                        : model.Values.Any(m => IsLive(m.Snapshot, now)) ? SelectionOutcome.NoCapableWorker
                        : SelectionOutcome.NoLiveWorker;
                    Assert.Equal(new Selection(expected, null), selection);
                    continue;
                }

                Assert.Equal(SelectionOutcome.Selected, selection.Outcome);
                Assert.Contains(selection.WorkerId!, eligible.Keys);
                if (strategy == WeightedLeastLoadStrategy.StrategyName)
                {
                    var best = eligible.Min(m => (Load(view, m) + 1.0) / m.Value.Snapshot.Weight);
                    var chosen = eligible.Single(m => m.Key == selection.WorkerId);
                    Assert.Equal(best, (Load(view, chosen) + 1.0) / chosen.Value.Snapshot.Weight, 9);
                }

                var key = Workers.Key(keys++);
                view.Ledger.Assign(selection.WorkerId!, key);
                open.Add((selection.WorkerId!, key));
            }

            Assert.All(model, m => Assert.Equal(Load(view, m), view.EstimatedLoad(m.Key)));
        }
    }

    private static int Load(FleetView view, KeyValuePair<string, (WorkerSnapshot Snapshot, int Foreign)> worker) =>
        view.Ledger.Outstanding(worker.Key) + worker.Value.Foreign;

    private static bool IsLive(WorkerSnapshot snapshot, DateTimeOffset now) => !snapshot.IsDraining && now - snapshot.LastSeen <= Liveness;

    private static bool IsCapable(WorkerSnapshot snapshot) => Workers.Requirements().IsMetBy(snapshot);
}
