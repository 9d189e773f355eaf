using WorkFleet.Balancing.Strategies;
using WorkFleet.Balancing.Tests.Support;

namespace WorkFleet.Balancing.Tests;

public sealed class FleetViewTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(5);

    private static FleetView CreateView(int seed = 1) => new(new WeightedLeastLoadStrategy(new Random(seed)), Liveness);

    private static Dictionary<string, int> SelectAndAssign(FleetView view, TaskRequirements requirements, int times, int firstKey = 0)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < times; i++)
        {
            var selection = view.Select(requirements, Workers.Now);
            Assert.Equal(SelectionOutcome.Selected, selection.Outcome);
            var workerId = selection.WorkerId!;
            Assert.True(view.Ledger.Assign(workerId, Workers.Key(firstKey + i)));
            counts[workerId] = counts.GetValueOrDefault(workerId) + 1;
        }

        return counts;
    }

    [Fact]
    public void Select_WorkerLastSeenOlderThanLivenessTimeout_NeverSelected()
    {
        // Arrange: the stale worker would win on weight if it were alive.
        var view = CreateView();
        view.Apply(Workers.Create("stale", weight: 10, capacity: 100, lastSeen: Workers.Now - Liveness - TimeSpan.FromMilliseconds(1)));
        view.Apply(Workers.Create("fresh", weight: 1, capacity: 100));

        // Act
        var counts = SelectAndAssign(view, Workers.Requirements(), 50);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["fresh"] = 50 }, counts);
    }

    [Fact]
    public void IsAlive_LastSeenExactlyLivenessTimeoutAgo_IsAliveAndOneTickLaterIsNot()
    {
        // Arrange
        var view = CreateView();
        var worker = Workers.Create("w1", lastSeen: Workers.Now);

        // Act
        var atTimeout = view.IsAlive(worker, Workers.Now + Liveness);
        var pastTimeout = view.IsAlive(worker, Workers.Now + Liveness + TimeSpan.FromTicks(1));

        // Assert
        Assert.True(atTimeout);
        Assert.False(pastTimeout);
    }

    [Fact]
    public void Select_DrainingWorker_NeverSelected()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("draining", weight: 10, capacity: 100, isDraining: true));
        view.Apply(Workers.Create("active", weight: 1, capacity: 100));

        // Act
        var counts = SelectAndAssign(view, Workers.Requirements(), 50);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["active"] = 50 }, counts);
    }

    [Fact]
    public void Select_WorkerWithoutJobType_NeverSelected()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("other-jobs", weight: 10, capacity: 100, jobTypes: ["matrix.multiply"]));
        view.Apply(Workers.Create("tokenizer", weight: 1, capacity: 100, jobTypes: ["preprocess.tokenize"]));

        // Act
        var counts = SelectAndAssign(view, Workers.Requirements("preprocess.tokenize"), 50);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["tokenizer"] = 50 }, counts);
    }

    [Fact]
    public void Select_WorkerWithoutRequiredCapability_NeverSelected()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("cpu-only", weight: 10, capacity: 100, capabilities: ["avx2"]));
        view.Apply(Workers.Create("gpu", weight: 1, capacity: 100, capabilities: ["gpu", "avx2"]));

        // Act
        var counts = SelectAndAssign(view, Workers.Requirements(Workers.DefaultJobType, "gpu"), 50);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["gpu"] = 50 }, counts);
    }

    [Fact]
    public void Select_WorkerWithLoadEqualToCapacity_NeverSelected()
    {
        // Arrange: "full" reports load 2 on capacity 2 and would otherwise win on weight.
        var view = CreateView();
        view.Apply(Workers.Create("full", weight: 10, capacity: 2, reportedLoad: 2));
        view.Apply(Workers.Create("free", weight: 1, capacity: 100));

        // Act
        var counts = SelectAndAssign(view, Workers.Requirements(), 50);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["free"] = 50 }, counts);
    }

    [Fact]
    public void Select_CapableWorkersAllFull_ReturnsNoFreeSlot()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("w1", capacity: 2, reportedLoad: 2));
        view.Apply(Workers.Create("w2", capacity: 1));
        view.Ledger.Assign("w2", Workers.Key(1));
        view.Apply(Workers.Create("other", capacity: 10, jobTypes: ["other.job"]));

        // Act
        var selection = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.NoFreeSlot, null), selection);
    }

    [Fact]
    public void Select_LiveWorkersNoneCapable_ReturnsNoCapableWorker()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("w1", jobTypes: ["matrix.multiply"]));
        view.Apply(Workers.Create("w2", capabilities: ["avx2"]));

        // Act
        var selection = view.Select(Workers.Requirements(Workers.DefaultJobType, "gpu"), Workers.Now);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.NoCapableWorker, null), selection);
    }

    [Fact]
    public void Select_OnlyCapableWorkerDrainingOrStaleButAnotherLive_ReturnsNoCapableWorker()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("capable-draining", isDraining: true));
        view.Apply(Workers.Create("capable-stale", lastSeen: Workers.Now.AddMinutes(-1)));
        view.Apply(Workers.Create("live-incapable", jobTypes: ["matrix.multiply"]));

        // Act
        var selection = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal(SelectionOutcome.NoCapableWorker, selection.Outcome);
        Assert.Null(selection.WorkerId);
    }

    [Fact]
    public void Select_NoWorkersKnown_ReturnsNoLiveWorker()
    {
        // Arrange
        var view = CreateView();

        // Act
        var selection = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.NoLiveWorker, null), selection);
    }

    [Fact]
    public void Select_AllWorkersDrainingOrStale_ReturnsNoLiveWorker()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("draining", isDraining: true));
        view.Apply(Workers.Create("stale", lastSeen: Workers.Now - Liveness - TimeSpan.FromSeconds(1)));

        // Act
        var selection = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.NoLiveWorker, null), selection);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    [InlineData(1)]
    public void Apply_SameIncarnationLowerOrEqualSequence_IsIgnored(long staleSequence)
    {
        // Arrange
        var view = CreateView();
        var current = Workers.Create("w1", capacity: 4, reportedLoad: 1, sequence: 5);
        view.Apply(current);
        var stale = Workers.Create("w1", capacity: 8, reportedLoad: 3, sequence: staleSequence, lastSeen: Workers.Now.AddSeconds(1));

        // Act
        var applied = view.Apply(stale);

        // Assert
        Assert.False(applied);
        Assert.Same(current, view.Find("w1"));
        Assert.Equal(1, view.EstimatedLoad("w1"));
        Assert.Single(view.Workers);
    }

    [Fact]
    public void Apply_SameIncarnationHigherSequence_ReplacesSnapshot()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("w1", reportedLoad: 1, sequence: 5));
        var next = Workers.Create("w1", reportedLoad: 3, sequence: 6);

        // Act
        var applied = view.Apply(next);

        // Assert
        Assert.True(applied);
        Assert.Same(next, view.Find("w1"));
        Assert.Equal(3, view.EstimatedLoad("w1"));
    }

    [Fact]
    public void Apply_NewIncarnationWithSequenceOne_IsAccepted()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("w1", reportedLoad: 3, sequence: 900, incarnation: Workers.Started));
        var restarted = Workers.Create("w1", reportedLoad: 0, sequence: 1, incarnation: Workers.Started.AddMinutes(30));

        // Act
        var applied = view.Apply(restarted);

        // Assert
        Assert.True(applied);
        Assert.Same(restarted, view.Find("w1"));
        Assert.Equal(0, view.EstimatedLoad("w1"));
    }

    [Fact]
    public void Apply_OlderIncarnationWithHigherSequence_IsIgnored()
    {
        // Arrange
        var view = CreateView();
        var current = Workers.Create("w1", sequence: 1, incarnation: Workers.Started);
        view.Apply(current);
        var previous = Workers.Create("w1", sequence: 900, incarnation: Workers.Started.AddMinutes(-30));

        // Act
        var applied = view.Apply(previous);

        // Assert
        Assert.False(applied);
        Assert.Same(current, view.Find("w1"));
    }

    [Fact]
    public void Select_NoLedgerEntriesAndReportedLoadThreeOfFour_LeavesExactlyOneFreeSlot()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("w1", capacity: 4, reportedLoad: 3));

        // Act
        var first = view.Select(Workers.Requirements(), Workers.Now);
        view.Ledger.Assign("w1", Workers.Key(1));
        var second = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), first);
        Assert.Equal(new Selection(SelectionOutcome.NoFreeSlot, null), second);
        Assert.Equal(4, view.EstimatedLoad("w1"));
    }

    [Fact]
    public void EstimatedLoad_TwoLedgerEntriesAndReportedLoadTwo_IsTwoNotFour()
    {
        // Arrange: the two tasks this dispatcher sent are the two the worker reports.
        var view = CreateView();
        view.Apply(Workers.Create("w1", capacity: 4, reportedLoad: 0, sequence: 1));
        view.Ledger.Assign("w1", Workers.Key(1));
        view.Ledger.Assign("w1", Workers.Key(2));

        // Act
        view.Apply(Workers.Create("w1", capacity: 4, reportedLoad: 2, sequence: 2));
        var load = view.EstimatedLoad("w1");

        // Assert
        Assert.Equal(2, load);
    }

    [Fact]
    public void EstimatedLoad_ReportedLoadAboveLedger_AddsForeignPart()
    {
        // Arrange: 1 of ours + 2 assigned by someone else; then we assign one more after the heartbeat.
        var view = CreateView();
        view.Ledger.Assign("w1", Workers.Key(1));
        view.Apply(Workers.Create("w1", capacity: 8, reportedLoad: 3));

        // Act
        view.Ledger.Assign("w1", Workers.Key(2));
        var load = view.EstimatedLoad("w1");

        // Assert: ledger 2 + foreign (3 - 1) = 4.
        Assert.Equal(4, load);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(2024)]
    public void Select_WeightsOneTwoFourWithLedger_SplitsSeventyTasksByWeight(int seed)
    {
        // Arrange: one idle heartbeat each, then 70 selections with no further heartbeat. Worker w gets its
        // j-th task when j/w is the lowest score. The 67 tasks with j/w < 10 come first, then the three with
        // j/w = 10 (w1's 10th, w2's 20th, w4's 40th) in random order, so 70 tasks split exactly 10/20/40.
        var view = CreateView(seed);
        view.Apply(Workers.Create("w1", weight: 1, capacity: 100));
        view.Apply(Workers.Create("w2", weight: 2, capacity: 100));
        view.Apply(Workers.Create("w4", weight: 4, capacity: 100));

        // Act
        var counts = SelectAndAssign(view, Workers.Requirements(), 70);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["w1"] = 10, ["w2"] = 20, ["w4"] = 40 }, counts);
        Assert.Equal(70, view.Ledger.Count);
    }

    [Fact]
    public void Select_WithoutLedgerAssignments_HerdsEverythingOntoOneWorker()
    {
        // Arrange: without recording assignments the estimate never moves between heartbeats, so the
        // worker that looked best in its last heartbeat (weight 4, score 0.25) receives every task.
        var view = CreateView(seed: 3);
        view.Apply(Workers.Create("w1", weight: 1, capacity: 100));
        view.Apply(Workers.Create("w2", weight: 2, capacity: 100));
        view.Apply(Workers.Create("w4", weight: 4, capacity: 100));
        var chosen = new List<string?>();

        // Act
        for (var i = 0; i < 70; i++)
        {
            chosen.Add(view.Select(Workers.Requirements(), Workers.Now).WorkerId);
        }

        // Assert
        Assert.Equal(70, chosen.Count);
        Assert.All(chosen, id => Assert.Equal("w4", id));
        Assert.Equal(0, view.EstimatedLoad("w4"));
    }

    [Fact]
    public void Select_CapacitiesTwoFourEight_NeverExceedsCapacityAndReleaseFreesTheRightWorker()
    {
        // Arrange
        var view = CreateView(seed: 11);
        view.Apply(Workers.Create("w1", weight: 1, capacity: 2));
        view.Apply(Workers.Create("w2", weight: 1, capacity: 4));
        view.Apply(Workers.Create("w3", weight: 1, capacity: 8));
        var outcomes = new List<SelectionOutcome>();
        var w2Keys = new List<AssignmentKey>();

        // Act: 100 attempts, each successful one recorded in the ledger.
        for (var i = 0; i < 100; i++)
        {
            var selection = view.Select(Workers.Requirements(), Workers.Now);
            outcomes.Add(selection.Outcome);
            if (selection.Outcome == SelectionOutcome.Selected)
            {
                view.Ledger.Assign(selection.WorkerId!, Workers.Key(i));
                if (selection.WorkerId == "w2")
                {
                    w2Keys.Add(Workers.Key(i));
                }
            }
        }

        var released = view.Ledger.Release("w2", w2Keys[0]);
        var afterRelease = view.Select(Workers.Requirements(), Workers.Now);

        // Assert: 2 + 4 + 8 = 14 selections, then only NoFreeSlot; every worker exactly at capacity.
        Assert.All(outcomes.Take(14), o => Assert.Equal(SelectionOutcome.Selected, o));
        Assert.All(outcomes.Skip(14), o => Assert.Equal(SelectionOutcome.NoFreeSlot, o));
        Assert.Equal(2, view.Ledger.Outstanding("w1"));
        Assert.Equal(4, w2Keys.Count);
        Assert.Equal(8, view.Ledger.Outstanding("w3"));
        Assert.True(released);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w2"), afterRelease);
    }

    [Fact]
    public void Remove_WorkerWithOpenAssignments_ReturnsThemAndNeverSelectsItAgain()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("gone", weight: 10, capacity: 100));
        view.Apply(Workers.Create("stays", weight: 1, capacity: 100));
        view.Ledger.Assign("gone", Workers.Key(1));
        view.Ledger.Assign("gone", Workers.Key(2));
        view.Ledger.Assign("stays", Workers.Key(3));

        // Act
        var returned = view.Remove("gone");
        var counts = SelectAndAssign(view, Workers.Requirements(), 30, firstKey: 100);

        // Assert
        Assert.Equal(new HashSet<AssignmentKey> { Workers.Key(1), Workers.Key(2) }, returned.ToHashSet());
        Assert.Null(view.Find("gone"));
        Assert.Equal(["stays"], view.Workers.Select(w => w.WorkerId));
        Assert.Equal(0, view.Ledger.Outstanding("gone"));
        Assert.Equal(new Dictionary<string, int> { ["stays"] = 30 }, counts);
        Assert.Equal(31, view.Ledger.Count);
    }

    [Fact]
    public void Remove_UnknownWorker_ReturnsEmpty()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("w1"));

        // Act
        var returned = view.Remove("nobody");

        // Assert
        Assert.Empty(returned);
        Assert.NotNull(view.Find("w1"));
    }

    [Fact]
    public void Select_MoreWorkersThanInitialBuffer_ConsidersAllOfThem()
    {
        // Arrange: 40 workers (the candidate buffer starts at 16); only the last one has the job type.
        var view = CreateView();
        for (var i = 0; i < 39; i++)
        {
            view.Apply(Workers.Create($"w{i}", jobTypes: ["other"]));
        }

        view.Apply(Workers.Create("w39"));

        // Act
        var selection = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w39"), selection);
        Assert.Equal(40, view.Workers.Count());
    }

    [Fact]
    public void Select_HeartbeatAddsTheJobType_WorkerBecomesEligible()
    {
        // Arrange: the first heartbeat lacks the job type, and a selection caches that answer.
        var view = CreateView();
        view.Apply(Workers.Create("w1", jobTypes: ["other"], sequence: 1));
        var before = view.Select(Workers.Requirements(), Workers.Now);

        // Act
        view.Apply(Workers.Create("w1", sequence: 2));
        var after = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal(SelectionOutcome.NoCapableWorker, before.Outcome);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), after);
    }

    [Fact]
    public void Select_ManyDistinctRequirements_EachStillRoutedToTheOnlyCapableWorker()
    {
        // Arrange: 80 capabilities, each offered by one worker; more distinct requirements than the view caches.
        var view = CreateView();
        for (var i = 0; i < 80; i++)
        {
            view.Apply(Workers.Create($"w{i}", capabilities: [$"cap{i}"]));
        }

        // Act: twice over, so cached and uncached answers are both exercised.
        var chosen = Enumerable.Range(0, 160)
            .Select(i => view.Select(Workers.Requirements(Workers.DefaultJobType, $"cap{i % 80}"), Workers.Now).WorkerId)
            .ToList();

        // Assert
        Assert.Equal(Enumerable.Range(0, 160).Select(i => $"w{i % 80}"), chosen);
    }

    [Fact]
    public void Select_RequirementsWithCapabilitiesInAnotherList_AreMatchedByValue()
    {
        // Arrange: two equal requirements built from different list instances must give the same answers.
        var view = CreateView();
        view.Apply(Workers.Create("gpu", capabilities: ["gpu"]));
        view.Apply(Workers.Create("cpu"));
        var first = new TaskRequirements(Workers.DefaultJobType, new List<string> { "gpu" });
        var second = new TaskRequirements(Workers.DefaultJobType, ["gpu"]);

        // Act
        var one = view.Select(first, Workers.Now);
        var two = view.Select(second, Workers.Now);
        var none = view.Select(new TaskRequirements(Workers.DefaultJobType, ["gpu", "bigmem"]), Workers.Now);

        // Assert
        Assert.Equal("gpu", one.WorkerId);
        Assert.Equal("gpu", two.WorkerId);
        Assert.Equal(SelectionOutcome.NoCapableWorker, none.Outcome);
    }

    [Fact]
    public void Remove_ThenSameWorkerReturns_StartsFromItsNewHeartbeatAndAnEmptyLedger()
    {
        // Arrange
        var view = CreateView();
        view.Apply(Workers.Create("w1", capacity: 2));
        view.Ledger.Assign("w1", Workers.Key(1));
        view.Ledger.Assign("w1", Workers.Key(2));
        view.Remove("w1");

        // Act
        view.Apply(Workers.Create("w1", capacity: 2, reportedLoad: 1, sequence: 9));
        var selection = view.Select(Workers.Requirements(), Workers.Now);
        view.Ledger.Assign("w1", Workers.Key(3));
        var full = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), selection);
        Assert.Equal(new Selection(SelectionOutcome.NoFreeSlot, null), full);
        Assert.Equal(2, view.EstimatedLoad("w1"));
        Assert.Equal(1, view.Ledger.Count);
    }

    [Fact]
    public void Remove_WorkerInTheMiddle_KeepsTheOthersLoadsAndOrder()
    {
        // Arrange
        var view = CreateView();
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            view.Apply(Workers.Create(id, capacity: 8));
        }

        view.Ledger.Assign("c", Workers.Key(1));
        view.Ledger.Assign("d", Workers.Key(2));
        view.Ledger.Assign("d", Workers.Key(3));

        // Act
        view.Remove("b");
        view.Ledger.Assign("c", Workers.Key(4));

        // Assert
        Assert.Equal(["a", "c", "d"], view.Workers.Select(w => w.WorkerId));
        Assert.Equal([0, 2, 2], view.Workers.Select(w => view.EstimatedLoad(w.WorkerId)));
    }

    [Fact]
    public void ReleaseAll_OnAKnownWorker_LeavesOnlyItsForeignLoadAndKeepsCounting()
    {
        // Arrange: 1 foreign + 2 of ours.
        var view = CreateView();
        view.Apply(Workers.Create("w1", capacity: 8, reportedLoad: 1));
        view.Ledger.Assign("w1", Workers.Key(1));
        view.Ledger.Assign("w1", Workers.Key(2));

        // Act
        var released = view.Ledger.ReleaseAll("w1");
        var afterRelease = view.EstimatedLoad("w1");
        view.Ledger.Assign("w1", Workers.Key(3));

        // Assert
        Assert.Equal(2, released.Count);
        Assert.Equal(1, afterRelease);
        Assert.Equal(2, view.EstimatedLoad("w1"));
        Assert.Equal(1, view.Ledger.Outstanding("w1"));
    }

    [Fact]
    public void EstimatedLoad_UnknownWorkerWithLedgerEntries_IsTheLedgerCount()
    {
        // Arrange: assignments restored from the store before the worker's first heartbeat.
        var view = CreateView();
        view.Ledger.Assign("w1", Workers.Key(1));

        // Act
        var load = view.EstimatedLoad("w1");

        // Assert
        Assert.Equal(1, load);
    }

    [Fact]
    public void Select_StrategyReturnsAPositionOutOfRange_ThrowsNamingTheStrategy()
    {
        // Arrange
        var view = new FleetView(new BrokenStrategy(), Liveness);
        view.Apply(Workers.Create("w1"));

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => view.Select(Workers.Requirements(), Workers.Now));

        // Assert
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
    }

    private sealed class BrokenStrategy : ILoadBalancingStrategy
    {
        public string Name => "broken";

        public int Select(ReadOnlySpan<WorkerCandidate> candidates) => candidates.Length;
    }
}
