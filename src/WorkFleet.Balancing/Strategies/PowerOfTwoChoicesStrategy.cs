namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// Power of two choices: draws two distinct candidates uniformly at random and keeps the one with the lower
/// weighted score (q + 1) / w (see <see cref="WeightedLeastLoadStrategy.Score"/>); a tie goes to either with
/// equal chance. It never picks the worse of its two samples.
/// </summary>
/// <remarks>
/// Two random choices already cut the maximum load exponentially compared with one (Mitzenmacher), and the
/// randomness keeps several dispatchers that share a fleet, or one that sees stale heartbeats, from all
/// herding onto the same "best" worker, which a full minimum scan does. Its cost does not depend on the
/// fleet size: as an <see cref="ISamplingStrategy"/> it lets <see cref="FleetView"/> check two random
/// workers instead of all of them.
/// </remarks>
public sealed class PowerOfTwoChoicesStrategy(Random random) : ISamplingStrategy
{
    /// <summary>Configuration name.</summary>
    public const string StrategyName = "power-of-two";

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int SampleSize => 2;

    /// <inheritdoc />
    public Random Random => random;

    /// <inheritdoc />
    public int Select(ReadOnlySpan<WorkerCandidate> candidates)
    {
        switch (candidates.Length)
        {
            case 0:
                return -1;
            case 1:
                return 0;
        }

        int first;
        int second;
        if (candidates.Length == 2)
        {
            (first, second) = (0, 1);
        }
        else
        {
            // Two distinct positions, uniformly: the second is drawn from the n - 1 others.
            first = random.Next(candidates.Length);
            second = random.Next(candidates.Length - 1);
            if (second >= first)
            {
                second++;
            }
        }

        var firstScore = WeightedLeastLoadStrategy.Score(candidates[first]);
        var secondScore = WeightedLeastLoadStrategy.Score(candidates[second]);
        if (firstScore < secondScore)
        {
            return first;
        }

        if (secondScore < firstScore)
        {
            return second;
        }

        return random.Next(2) == 0 ? first : second;
    }
}
