namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// Waiting tasks in dispatch order: higher priority first, then by <see cref="AgingRule.OrderKeyMs"/>, then by
/// arrival. Enqueue and removal cost O(log n); enumeration yields the tasks in order. Pure and not thread-safe.
/// </summary>
/// <typeparam name="T">The caller's handle for a task.</typeparam>
public sealed class WaitingQueue<T>
{
    private readonly SortedSet<WaitingTask<T>> _tasks = new(DispatchOrder.Instance);
    private long _sequence;

    /// <summary>Creates an empty queue ordered by <paramref name="rule"/>.</summary>
    public WaitingQueue(AgingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        Rule = rule;
    }

    /// <summary>The ordering and aging rule.</summary>
    public AgingRule Rule { get; }

    /// <summary>Tasks waiting.</summary>
    public int Count => _tasks.Count;

    /// <summary>Adds a task that arrived at <paramref name="arrivalMs"/>; returns its entry.</summary>
    public WaitingTask<T> Enqueue(T item, int priority, double arrivalMs, double? expectedCostMs)
    {
        var due = Rule.DueMs(arrivalMs, expectedCostMs);
        var task = new WaitingTask<T>(item, priority, Rule.OrderKeyMs(arrivalMs, due), due, arrivalMs, expectedCostMs, _sequence++);
        _tasks.Add(task);
        return task;
    }

    /// <summary>Removes an entry returned by <see cref="Enqueue"/> or the enumeration; false when absent.</summary>
    public bool Remove(WaitingTask<T> task) => _tasks.Remove(task);

    /// <summary>The waiting tasks in dispatch order (do not change the queue while enumerating).</summary>
    public SortedSet<WaitingTask<T>>.Enumerator GetEnumerator() => _tasks.GetEnumerator();

    private sealed class DispatchOrder : IComparer<WaitingTask<T>>
    {
        public static readonly DispatchOrder Instance = new();

        public int Compare(WaitingTask<T> x, WaitingTask<T> y)
        {
            var byPriority = y.Priority.CompareTo(x.Priority);
            if (byPriority != 0)
            {
                return byPriority;
            }

            var byKey = x.OrderKeyMs.CompareTo(y.OrderKeyMs);
            return byKey != 0 ? byKey : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
