namespace WorkFleet.ChaosTests.Harness;

/// <summary>The last lines a child process wrote, kept for failure messages. Thread-safe.</summary>
public sealed class OutputRing(int capacity = 200)
{
    private readonly Queue<string> _lines = new(capacity);
    private readonly Lock _gate = new();
    private long _total;

    /// <summary>How many lines were written in all (including those no longer kept).</summary>
    public long Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Adds one line, dropping the oldest when full.</summary>
    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
            _total++;
        }
    }

    /// <summary>Whether any kept line contains <paramref name="text"/>.</summary>
    public bool Contains(string text)
    {
        lock (_gate)
        {
            return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>The last <paramref name="lines"/> kept lines, oldest first.</summary>
    public IReadOnlyList<string> Tail(int lines = int.MaxValue)
    {
        lock (_gate)
        {
            return [.. _lines.Skip(Math.Max(0, _lines.Count - lines))];
        }
    }
}
