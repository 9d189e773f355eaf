namespace WorkFleet.Balancing.Tests.Support;

/// <summary>A seeded <see cref="Random"/> that remembers what <see cref="Next(int)"/> returned, to check a strategy's draws.</summary>
internal sealed class RecordingRandom(int seed) : Random(seed)
{
    public List<int> Draws { get; } = [];

    public override int Next(int maxValue)
    {
        var value = base.Next(maxValue);
        Draws.Add(value);
        return value;
    }
}
