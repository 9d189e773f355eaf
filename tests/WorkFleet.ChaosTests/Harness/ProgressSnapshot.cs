using System.Globalization;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>Task counts by status at one moment, read from the <c>tasks</c> table.</summary>
/// <param name="ByStatus">Count per status name (<c>Pending</c>, <c>Dispatched</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c>).</param>
/// <param name="At">When it was read (UTC).</param>
public sealed record ProgressSnapshot(IReadOnlyDictionary<string, int> ByStatus, DateTime At)
{
    /// <summary>Tasks recorded.</summary>
    public int Total => ByStatus.Values.Sum();

    /// <summary>Tasks in a terminal state (Succeeded or Failed).</summary>
    public int Terminal => Count("Succeeded") + Count("Failed");

    /// <summary>The count of one status (0 when none).</summary>
    public int Count(string status) => ByStatus.TryGetValue(status, out var n) ? n : 0;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Terminal}/{Total} terminal (")
        + string.Join(", ", ByStatus.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")))
        + ")";
}
