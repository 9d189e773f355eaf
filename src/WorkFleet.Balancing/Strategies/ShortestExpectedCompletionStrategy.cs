namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// Picks the candidate where a new task is expected to finish first, using each worker's measured task
/// duration: expected completion = s · (⌊q / c⌋ + 1), where s is the worker's per-task service time, q its
/// estimated load and c its capacity (parallel slots). Ties (within 1e-9 relative) go to the lower weighted
/// score (q + 1) / w, then uniformly at random.
/// </summary>
/// <remarks>
/// <para>
/// Model: a worker runs up to c tasks side by side, each taking s; a task that finds all c slots busy waits
/// for ⌊q / c⌋ rounds of s before its own. s is the worker's <see cref="WorkerCandidate.EwmaTaskDurationMs"/>.
/// A worker without a measurement yet is assumed to do the same work per unit of weight as the measured
/// ones: s = r / w, with r the mean of EWMA · w over the measured candidates, so an unmeasured worker
/// competes on its weight instead of looking instant or hopeless. When no candidate is measured, s = 1 / w.
/// </para>
/// <para>
/// Under <see cref="FleetView"/> every candidate has a free slot (q &lt; c), so the rule reduces to "the
/// fastest free worker by measured duration", which is earliest-finish-time list scheduling. Use it when
/// the weights are unknown or wrong but durations are measured and tasks are alike across workers; its
/// EWMA lags changes in the task mix.
/// </para>
/// </remarks>
public sealed class ShortestExpectedCompletionStrategy(Random random) : ILoadBalancingStrategy
{
    /// <summary>Configuration name.</summary>
    public const string StrategyName = "shortest-expected-completion";

    private const double Tolerance = 1e-9;

    private readonly TiedCandidates _ties = new(random);

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Select(ReadOnlySpan<WorkerCandidate> candidates)
    {
        var reference = ReferenceWorkPerTask(candidates);
        var ties = _ties.Buffer(candidates.Length);
        var tied = 0;
        var bestCompletion = 0.0;
        var bestScore = 0.0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var completion = ExpectedCompletion(candidates[i], reference);
            var score = WeightedLeastLoadStrategy.Score(candidates[i]);
            var sameCompletion = completion <= bestCompletion * (1 + Tolerance);
            if (i == 0 || completion < bestCompletion * (1 - Tolerance)
                || (sameCompletion && score < bestScore * (1 - Tolerance)))
            {
                bestCompletion = completion;
                bestScore = score;
                tied = 0;
                ties[tied++] = i;
            }
            else if (sameCompletion && score <= bestScore * (1 + Tolerance))
            {
                ties[tied++] = i;
            }
        }

        return _ties.Pick(ties, tied);
    }

    /// <summary>
    /// Expected completion of a new task on <paramref name="candidate"/>, in milliseconds when it has a
    /// measured duration; <paramref name="referenceWorkPerTask"/> is r (see the class remarks).
    /// </summary>
    public static double ExpectedCompletion(in WorkerCandidate candidate, double referenceWorkPerTask)
    {
        var serviceTime = candidate.EwmaTaskDurationMs > 0
            ? candidate.EwmaTaskDurationMs
            : referenceWorkPerTask / candidate.Weight;
        var roundsAhead = candidate.Load / Math.Max(1, candidate.Capacity);
        return serviceTime * (roundsAhead + 1);
    }

    /// <summary>r: mean of EWMA duration · weight over the measured candidates; 1 when none is measured.</summary>
    public static double ReferenceWorkPerTask(ReadOnlySpan<WorkerCandidate> candidates)
    {
        var sum = 0.0;
        var measured = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (candidates[i].EwmaTaskDurationMs > 0)
            {
                sum += candidates[i].EwmaTaskDurationMs * candidates[i].Weight;
                measured++;
            }
        }

        return measured > 0 ? sum / measured : 1;
    }
}
