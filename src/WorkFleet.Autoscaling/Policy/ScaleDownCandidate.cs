namespace WorkFleet.Autoscaling.Policy;

/// <summary>A worker that could be removed when the fleet shrinks.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Running">Tasks it holds now (work a drain would have to wait for).</param>
/// <param name="Offers">What it can do for tasks: its job types and capabilities.</param>
/// <param name="StartedAt">When its process started; the newest go first (the longest-running keep their warm caches).</param>
public sealed record ScaleDownCandidate(string WorkerId, int Running, IReadOnlySet<string> Offers, DateTimeOffset StartedAt);
