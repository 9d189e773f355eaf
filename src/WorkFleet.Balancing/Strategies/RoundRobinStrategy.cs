namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// Hands tasks to the candidates in turn, ignoring weight and load: after the worker with key k it picks
/// the candidate with the next larger <see cref="WorkerCandidate.WorkerKey"/>, wrapping to the smallest.
/// </summary>
/// <remarks>
/// The only state is the key of the last pick, so a changing candidate set needs no bookkeeping: a worker
/// that is full, draining or dead is simply skipped and the turn passes to the next one; a new worker (a
/// larger key) joins at the end of the cycle; a removed one is never seen again. Use it only for identical
/// workers and uniform tasks; with workers of different speeds the slow ones build queues, which is why it
/// is the baseline the simulator compares against.
/// </remarks>
public sealed class RoundRobinStrategy : ILoadBalancingStrategy
{
    /// <summary>Configuration name.</summary>
    public const string StrategyName = "round-robin";

    private bool _started;
    private long _lastKey;

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Select(ReadOnlySpan<WorkerCandidate> candidates)
    {
        var next = -1;
        var nextKey = 0L;
        var first = -1;
        var firstKey = 0L;
        for (var i = 0; i < candidates.Length; i++)
        {
            var key = candidates[i].StateKey;
            if (first < 0 || key < firstKey)
            {
                first = i;
                firstKey = key;
            }

            if ((!_started || key > _lastKey) && (next < 0 || key < nextKey))
            {
                next = i;
                nextKey = key;
            }
        }

        var chosen = next >= 0 ? next : first;
        if (chosen >= 0)
        {
            _started = true;
            _lastKey = candidates[chosen].StateKey;
        }

        return chosen;
    }
}
