using WorkFleet.Autoscaling.Forecasting;

namespace WorkFleet.Autoscaling.Tests.Support;

/// <summary>Builds evenly spaced sample series from a fixed start time, so every expected value is reproducible.</summary>
internal static class Series
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Samples at Start + i × spacing with the given values.</summary>
    public static Sample[] Evenly(TimeSpan spacing, params double[] values) =>
        [.. values.Select((value, i) => new Sample(Start + spacing * i, value))];

    /// <summary><paramref name="count"/> samples at Start + i × spacing with value f(seconds since Start).</summary>
    public static Sample[] Of(int count, TimeSpan spacing, Func<double, double> valueAtSecond) =>
        [.. Enumerable.Range(0, count).Select(i => new Sample(Start + spacing * i, valueAtSecond((spacing * i).TotalSeconds)))];
}
