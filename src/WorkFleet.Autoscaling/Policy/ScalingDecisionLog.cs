namespace WorkFleet.Autoscaling.Policy;

/// <summary>
/// The most recent scaling decisions, newest last, so an operator can see what the autoscaler saw and chose.
/// Bounded: the oldest decision is dropped when the log is full. Safe to read while one loop writes.
/// </summary>
public sealed class ScalingDecisionLog
{
    /// <summary>Default number of decisions kept.</summary>
    public const int DefaultCapacity = 100;

    private readonly Queue<ScalingDecision> _decisions;
    private readonly Lock _lock = new();

    /// <summary>Creates a log keeping the last <paramref name="capacity"/> decisions.</summary>
    public ScalingDecisionLog(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _decisions = new Queue<ScalingDecision>(capacity);
    }

    /// <summary>Most decisions kept.</summary>
    public int Capacity { get; }

    /// <summary>Keeps <paramref name="decision"/>, dropping the oldest when full.</summary>
    public void Add(ScalingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lock (_lock)
        {
            if (_decisions.Count == Capacity)
            {
                _decisions.Dequeue();
            }

            _decisions.Enqueue(decision);
        }
    }

    /// <summary>A copy of the kept decisions, oldest first.</summary>
    public IReadOnlyList<ScalingDecision> Snapshot()
    {
        lock (_lock)
        {
            return [.. _decisions];
        }
    }
}
