using System.Runtime.InteropServices;

namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// Smooth weighted round-robin as nginx does it: each decision adds every candidate's weight to its current
/// value, picks the candidate with the largest current value (the first one on a tie), and subtracts the
/// total weight of the candidates from the winner. Over any run each worker gets its weight's share, spread
/// out rather than in bursts: weights 5, 1, 1 give a a b a c a a, not a a a a a b c.
/// </summary>
/// <remarks>
/// <para>
/// Current values are kept per <see cref="WorkerCandidate.WorkerKey"/>. When the candidate set changes (a
/// worker fills up, drains, dies or joins), the sums run over this decision's candidates only, as nginx
/// skips peers that are down: a worker that is not a candidate keeps its current value frozen and resumes
/// from it; a new worker starts at 0. Values of workers absent for a whole sweep interval (65,536
/// decisions) are dropped, so a churning fleet does not grow the table.
/// </para>
/// <para>
/// Load-blind: it hands out turns in proportion to configured weight whatever the workers report, so it
/// fits only when the weights are accurate and tasks uniform. Cost: one table look-up per candidate.
/// </para>
/// </remarks>
public sealed class SmoothWeightedRoundRobinStrategy : ILoadBalancingStrategy
{
    /// <summary>Configuration name.</summary>
    public const string StrategyName = "weighted-round-robin";

    private const long SweepInterval = 1 << 16;

    private readonly Dictionary<long, Current> _current = [];
    private long _decisions;

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Select(ReadOnlySpan<WorkerCandidate> candidates)
    {
        if (candidates.IsEmpty)
        {
            return -1;
        }

        _decisions++;
        var total = 0.0;
        var best = -1;
        var bestValue = double.NegativeInfinity;
        for (var i = 0; i < candidates.Length; i++)
        {
            ref var current = ref CollectionsMarshal.GetValueRefOrAddDefault(_current, candidates[i].StateKey, out _);
            current.Value += candidates[i].Weight;
            current.LastDecision = _decisions;
            total += candidates[i].Weight;
            if (current.Value > bestValue)
            {
                best = i;
                bestValue = current.Value;
            }
        }

        CollectionsMarshal.GetValueRefOrNullRef(_current, candidates[best].StateKey).Value -= total;
        if (_decisions % SweepInterval == 0)
        {
            Sweep();
        }

        return best;
    }

    private void Sweep()
    {
        foreach (var (key, current) in _current)
        {
            // Removing the current entry while enumerating is allowed and does not allocate.
            if (current.LastDecision <= _decisions - SweepInterval)
            {
                _current.Remove(key);
            }
        }
    }

    private struct Current
    {
        public double Value;
        public long LastDecision;
    }
}
