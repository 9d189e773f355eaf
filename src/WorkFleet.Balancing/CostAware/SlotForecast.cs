namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// What the cost-aware placement knows of the fleet: each worker's weight and capacity, and for each attempt
/// running there the time it is expected to end (its start + expected cost / weight). Fed from the
/// assignments the dispatcher makes and the results it sees, as its ledger is. Pure and not thread-safe.
/// </summary>
public sealed class SlotForecast
{
    private readonly List<Slots> _workers = [];

    /// <summary>Workers known, numbered 0, 1, ... in the order added.</summary>
    public int Count => _workers.Count;

    /// <summary>The largest weight of any worker; 0 while there is none.</summary>
    public double FastestWeight { get; private set; }

    /// <summary>Free slots over the whole fleet.</summary>
    public int FreeSlots { get; private set; }

    /// <summary>Adds a worker; returns its number.</summary>
    /// <param name="weight">Relative speed, &gt; 0: a task of cost x runs x / weight ms there.</param>
    /// <param name="capacity">Tasks it runs side by side, ≥ 1.</param>
    public int AddWorker(double weight, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _workers.Add(new Slots(weight, capacity));
        FreeSlots += capacity;
        FastestWeight = Math.Max(FastestWeight, weight);
        return _workers.Count - 1;
    }

    /// <summary>Weight of a worker.</summary>
    public double Weight(int worker) => _workers[worker].Weight;

    /// <summary>Capacity of a worker.</summary>
    public int Capacity(int worker) => _workers[worker].Capacity;

    /// <summary>Attempts running on a worker.</summary>
    public int Running(int worker) => _workers[worker].Running;

    /// <summary>True when the worker is idle or still has a free slot once one more task starts there.</summary>
    public bool KeepsASlotFree(int worker) => Running(worker) == 0 || Capacity(worker) - Running(worker) >= 2;

    /// <summary>
    /// The <paramref name="n"/>-th soonest expected end (0-based) among a worker's running attempts;
    /// +∞ when it runs n or fewer, or when that attempt has no estimate.
    /// </summary>
    public double ExpectedEndMs(int worker, int n)
    {
        var slots = _workers[worker];
        return n < slots.Running ? slots.Ends[n] : double.PositiveInfinity;
    }

    /// <summary>
    /// Records an attempt started on <paramref name="worker"/>: it is expected to end at
    /// <paramref name="expectedEndMs"/> (+∞ when its cost is unknown). Pass the same value to <see cref="Finish"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The worker has no free slot (the capacity rule).</exception>
    public void Start(int worker, double expectedEndMs)
    {
        var slots = _workers[worker];
        if (slots.Running == slots.Capacity)
        {
            throw new InvalidOperationException($"Worker {worker} has all {slots.Capacity} slots running.");
        }

        var i = slots.Running;
        while (i > 0 && slots.Ends[i - 1] > expectedEndMs)
        {
            slots.Ends[i] = slots.Ends[i - 1];
            i--;
        }

        slots.Ends[i] = expectedEndMs;
        slots.Running++;
        FreeSlots--;
    }

    /// <summary>Records that an attempt started with <paramref name="expectedEndMs"/> ended; false if none matches.</summary>
    public bool Finish(int worker, double expectedEndMs)
    {
        var slots = _workers[worker];
        var i = Array.IndexOf(slots.Ends, expectedEndMs, 0, slots.Running);
        if (i < 0)
        {
            return false;
        }

        Array.Copy(slots.Ends, i + 1, slots.Ends, i, slots.Running - i - 1);
        slots.Running--;
        FreeSlots++;
        return true;
    }

    private sealed class Slots(double weight, int capacity)
    {
        public double Weight { get; } = weight;

        public int Capacity { get; } = capacity;

        public int Running { get; set; }

        /// <summary>Expected ends of the running attempts, ascending, in the first <see cref="Running"/> entries.</summary>
        public double[] Ends { get; } = new double[capacity];
    }
}
