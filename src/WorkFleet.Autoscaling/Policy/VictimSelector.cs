namespace WorkFleet.Autoscaling.Policy;

/// <summary>
/// Chooses which workers leave when the fleet shrinks: those holding the fewest tasks (least work to wait for),
/// then the newest; never one whose removal would leave a job type or capability with no worker offering it.
/// </summary>
public static class VictimSelector
{
    /// <summary>Up to <paramref name="count"/> workers to drain, in the order chosen.</summary>
    /// <param name="candidates">Workers that take tasks now (live, not draining).</param>
    /// <param name="count">How many to remove.</param>
    /// <returns>The victims; fewer than <paramref name="count"/> when the others are the last to offer something.</returns>
    public static IReadOnlyList<ScaleDownCandidate> Choose(IReadOnlyCollection<ScaleDownCandidate> candidates, int count)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        // How many remaining workers offer each job type or capability.
        var offeredBy = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var offer in candidates.SelectMany(c => c.Offers))
        {
            offeredBy[offer] = offeredBy.GetValueOrDefault(offer) + 1;
        }

        var victims = new List<ScaleDownCandidate>(count);
        var order = candidates
            .OrderBy(c => c.Running)
            .ThenByDescending(c => c.StartedAt)
            .ThenBy(c => c.WorkerId, StringComparer.Ordinal);
        foreach (var candidate in order)
        {
            if (victims.Count == count)
            {
                break;
            }

            if (candidate.Offers.Any(offer => offeredBy[offer] == 1))
            {
                continue;
            }

            foreach (var offer in candidate.Offers)
            {
                offeredBy[offer]--;
            }

            victims.Add(candidate);
        }

        return victims;
    }
}
