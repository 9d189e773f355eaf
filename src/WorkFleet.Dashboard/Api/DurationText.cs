using System.Globalization;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// Durations as HTTP callers write them: <c>500ms</c>, <c>30s</c>, <c>2m</c>, a bare number of seconds (<c>30</c>),
/// or a .NET time span (<c>00:00:30</c>, the contracts' JSON form).
/// </summary>
public static class DurationText
{
    /// <summary>The duration <paramref name="text"/> names, or null when it names none or a negative one.</summary>
    public static TimeSpan? Parse(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;
        }

        var (number, unit) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], 0.001)
            : value.EndsWith('s') || value.EndsWith('S') ? (value[..^1], 1.0)
            : value.EndsWith('m') || value.EndsWith('M') ? (value[..^1], 60.0)
            : (value, 1.0);
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount * unit <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(amount * unit)
            : null;
    }
}
