namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// Scratch space for the positions tied for best during one scan, and the uniform draw among them at the end:
/// one random draw per decision instead of one per tie (reservoir sampling), which matters when a
/// homogeneous fleet ties thousands of workers. The buffer grows with the largest candidate list seen and is
/// reused, so a decision does not allocate.
/// </summary>
internal sealed class TiedCandidates(Random random)
{
    private int[] _positions = new int[16];

    /// <summary>A buffer with room for <paramref name="candidates"/> positions.</summary>
    public Span<int> Buffer(int candidates)
    {
        if (_positions.Length < candidates)
        {
            _positions = new int[Math.Max(candidates, _positions.Length * 2)];
        }

        return _positions;
    }

    /// <summary>One of the first <paramref name="count"/> positions in <paramref name="ties"/>, uniformly; -1 when none.</summary>
    public int Pick(ReadOnlySpan<int> ties, int count) => count switch
    {
        0 => -1,
        1 => ties[0],
        _ => ties[random.Next(count)],
    };
}
