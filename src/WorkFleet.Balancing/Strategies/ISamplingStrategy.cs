namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// A strategy that decides from a few candidates drawn uniformly at random (power of two choices) rather than
/// from all of them. Knowing this, <see cref="FleetView"/> need not check every worker's eligibility per
/// decision: it draws random workers with <see cref="Random"/>, keeps the eligible ones, and once it holds
/// <see cref="SampleSize"/> distinct candidates calls <see cref="ILoadBalancingStrategy.Select"/> with just
/// those. Drawing until enough eligible workers turn up is rejection sampling, so the sample is uniform over
/// the eligible workers exactly as if the strategy had drawn it from the full list; when a bounded number of
/// draws does not find enough (a mostly full or mostly incapable fleet), the view falls back to the full
/// scan.
/// </summary>
/// <remarks>
/// Contract: <see cref="ILoadBalancingStrategy.Select"/> given more than <see cref="SampleSize"/> candidates
/// draws <see cref="SampleSize"/> distinct ones uniformly itself; given at most that many it considers all of
/// them. That makes the fast path and the full scan choose from the same distribution.
/// </remarks>
public interface ISamplingStrategy : ILoadBalancingStrategy
{
    /// <summary>How many distinct eligible candidates one decision looks at, &gt; 0.</summary>
    int SampleSize { get; }

    /// <summary>The random source the strategy draws from; the fleet view draws its samples from it too.</summary>
    Random Random { get; }
}
