namespace WorkFleet.Cli.Top;

/// <summary>The last <see cref="Capacity"/> completion rates <c>workfleet top</c> saw, oldest first, for its throughput line.</summary>
/// <param name="capacity">How many rates to keep; older ones drop off.</param>
public sealed class RateHistory(int capacity)
{
    private readonly Queue<double> _rates = new();

    /// <summary>How many rates are kept.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be positive");

    /// <summary>The kept rates, oldest first.</summary>
    public IReadOnlyList<double> Rates => [.. _rates];

    /// <summary>Keeps <paramref name="rate"/>, dropping the oldest when full.</summary>
    public void Add(double rate)
    {
        if (_rates.Count == Capacity)
        {
            _rates.Dequeue();
        }

        _rates.Enqueue(rate);
    }
}
