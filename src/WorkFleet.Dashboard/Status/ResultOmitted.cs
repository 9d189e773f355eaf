namespace WorkFleet.Dashboard.Status;

/// <summary>
/// Stands in <c>GET /api/tasks/{id}</c> for a result larger than <c>WorkFleet:Dashboard:ResultLimitBytes</c>: its size,
/// the limit, and where to read it whole.
/// </summary>
/// <param name="SizeBytes">The stored result's size in UTF-8 bytes.</param>
/// <param name="LimitBytes">The largest result the answer includes.</param>
/// <param name="Fetch">The relative path that returns the whole result (<c>api/tasks/{id}/result</c>).</param>
public sealed record ResultOmitted(long SizeBytes, int LimitBytes, string Fetch);
