using WorkFleet.Balancing.Tests.Support;

namespace WorkFleet.Balancing.Tests;

public sealed class InFlightLedgerTests
{
    [Fact]
    public void Assign_SameKeyTwice_SecondReturnsFalseAndCountsOnce()
    {
        // Arrange
        var ledger = new InFlightLedger();
        var key = Workers.Key(1);

        // Act
        var first = ledger.Assign("w1", key);
        var second = ledger.Assign("w1", key);

        // Assert
        Assert.True(first);
        Assert.False(second);
        Assert.Equal(1, ledger.Count);
        Assert.Equal(1, ledger.Outstanding("w1"));
    }

    [Fact]
    public void Assign_SameTaskDifferentAttempts_CountsBoth()
    {
        // Arrange
        var ledger = new InFlightLedger();
        var taskId = Guid.NewGuid();

        // Act
        var first = ledger.Assign("w1", new AssignmentKey(taskId, 1));
        var second = ledger.Assign("w1", new AssignmentKey(taskId, 2));

        // Assert
        Assert.True(first);
        Assert.True(second);
        Assert.Equal(2, ledger.Outstanding("w1"));
    }

    [Fact]
    public void Release_UnknownKey_ReturnsFalseAndKeepsCount()
    {
        // Arrange
        var ledger = new InFlightLedger();
        ledger.Assign("w1", Workers.Key(1));

        // Act
        var unknownKey = ledger.Release("w1", Workers.Key(2));
        var unknownWorker = ledger.Release("w2", Workers.Key(1));

        // Assert
        Assert.False(unknownKey);
        Assert.False(unknownWorker);
        Assert.Equal(1, ledger.Count);
        Assert.Equal(1, ledger.Outstanding("w1"));
    }

    [Fact]
    public void Release_KnownKey_ReturnsTrueOnceAndDecrementsCount()
    {
        // Arrange
        var ledger = new InFlightLedger();
        ledger.Assign("w1", Workers.Key(1));
        ledger.Assign("w1", Workers.Key(2));

        // Act
        var first = ledger.Release("w1", Workers.Key(1));
        var again = ledger.Release("w1", Workers.Key(1));

        // Assert
        Assert.True(first);
        Assert.False(again);
        Assert.Equal(1, ledger.Count);
        Assert.Equal([Workers.Key(2)], ledger.AssignmentsOf("w1"));
    }

    [Fact]
    public void Outstanding_SeveralWorkers_CountsPerWorker()
    {
        // Arrange
        var ledger = new InFlightLedger();
        ledger.Assign("w1", Workers.Key(1));
        ledger.Assign("w1", Workers.Key(2));
        ledger.Assign("w2", Workers.Key(3));

        // Act
        var w1 = ledger.Outstanding("w1");
        var w2 = ledger.Outstanding("w2");
        var unknown = ledger.Outstanding("w3");

        // Assert
        Assert.Equal(2, w1);
        Assert.Equal(1, w2);
        Assert.Equal(0, unknown);
        Assert.Equal(3, ledger.Count);
    }

    [Fact]
    public void Outstanding_WorkerIdDiffersInCase_IsADifferentWorker()
    {
        // Arrange
        var ledger = new InFlightLedger();
        ledger.Assign("worker-a", Workers.Key(1));

        // Act
        var upper = ledger.Outstanding("WORKER-A");

        // Assert
        Assert.Equal(0, upper);
    }

    [Fact]
    public void ReleaseAll_WorkerWithAssignments_ReturnsThemAndClearsWorker()
    {
        // Arrange
        var ledger = new InFlightLedger();
        ledger.Assign("w1", Workers.Key(1));
        ledger.Assign("w1", Workers.Key(2));
        ledger.Assign("w2", Workers.Key(3));

        // Act
        var released = ledger.ReleaseAll("w1");

        // Assert
        Assert.Equal(
            new HashSet<AssignmentKey> { Workers.Key(1), Workers.Key(2) },
            released.ToHashSet());
        Assert.Equal(0, ledger.Outstanding("w1"));
        Assert.Empty(ledger.AssignmentsOf("w1"));
        Assert.Equal(1, ledger.Count);
        Assert.Equal(1, ledger.Outstanding("w2"));
    }

    [Fact]
    public void ReleaseAll_UnknownWorker_ReturnsEmptyAndKeepsCount()
    {
        // Arrange
        var ledger = new InFlightLedger();
        ledger.Assign("w1", Workers.Key(1));

        // Act
        var released = ledger.ReleaseAll("w2");

        // Assert
        Assert.Empty(released);
        Assert.Equal(1, ledger.Count);
    }

    [Fact]
    public void Count_AfterMixedOperations_EqualsSumOfOutstanding()
    {
        // Arrange
        var ledger = new InFlightLedger();
        var random = new Random(42);
        string[] workers = ["w1", "w2", "w3"];
        var expected = new Dictionary<string, HashSet<AssignmentKey>>(StringComparer.Ordinal)
        {
            ["w1"] = [],
            ["w2"] = [],
            ["w3"] = [],
        };

        // Act: a random mix of assign, duplicate assign, release and release-all, mirrored in a plain model.
        for (var i = 0; i < 2_000; i++)
        {
            var worker = workers[random.Next(workers.Length)];
            var key = Workers.Key(random.Next(50));
            switch (random.Next(10))
            {
                case < 6:
                    Assert.Equal(expected[worker].Add(key), ledger.Assign(worker, key));
                    break;
                case < 9:
                    Assert.Equal(expected[worker].Remove(key), ledger.Release(worker, key));
                    break;
                default:
                    Assert.Equal(expected[worker].Count, ledger.ReleaseAll(worker).Count);
                    expected[worker].Clear();
                    break;
            }
        }

        // Assert
        Assert.Equal(expected.Values.Sum(s => s.Count), ledger.Count);
        Assert.All(workers, w => Assert.Equal(expected[w].Count, ledger.Outstanding(w)));
        Assert.All(workers, w => Assert.Equal(expected[w], ledger.AssignmentsOf(w).ToHashSet()));
    }

    [Fact]
    public void AssignmentsOf_ReturnsCopy_NotAffectedByLaterChanges()
    {
        // Arrange
        var ledger = new InFlightLedger();
        ledger.Assign("w1", Workers.Key(1));
        var copy = ledger.AssignmentsOf("w1");

        // Act
        ledger.Assign("w1", Workers.Key(2));
        ledger.Release("w1", Workers.Key(1));

        // Assert
        Assert.Equal([Workers.Key(1)], copy);
    }
}
