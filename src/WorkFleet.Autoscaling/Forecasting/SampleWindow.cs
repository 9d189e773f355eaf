using System.Collections;

namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>A read-only view of a contiguous range of a sample list, so windows and back-test prefixes copy nothing.</summary>
internal sealed class SampleWindow : IReadOnlyList<Sample>
{
    private readonly IReadOnlyList<Sample> _samples;
    private readonly int _start;

    private SampleWindow(IReadOnlyList<Sample> samples, int start, int count)
    {
        _samples = samples;
        _start = start;
        Count = count;
    }

    public int Count { get; }

    public Sample this[int index] => (uint)index < (uint)Count
        ? _samples[_start + index]
        : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The last <paramref name="count"/> samples (all of them when there are fewer).</summary>
    public static IReadOnlyList<Sample> Last(IReadOnlyList<Sample> samples, int count) =>
        samples.Count <= count ? samples : new SampleWindow(samples, samples.Count - count, count);

    /// <summary>The first <paramref name="count"/> samples.</summary>
    public static IReadOnlyList<Sample> First(IReadOnlyList<Sample> samples, int count) =>
        new SampleWindow(samples, 0, count);

    public IEnumerator<Sample> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _samples[_start + i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
