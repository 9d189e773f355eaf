using WorkFleet.Balancing;

namespace WorkFleet.Dispatcher.Persistence;

/// <summary>An attempt the store holds open (sent, no outcome yet): what the ledger is rebuilt from at start.</summary>
/// <param name="WorkerId">The worker it was sent to.</param>
/// <param name="Key">The attempt.</param>
/// <param name="JobType">Its task's job type.</param>
/// <param name="ExpectedCostMs">Its task's cost hint in ms at weight 1; null without one.</param>
/// <param name="DispatchedAt">When the attempt was sent; null when the store does not say.</param>
public sealed record OpenAttempt(string WorkerId, AssignmentKey Key, string JobType, double? ExpectedCostMs, DateTimeOffset? DispatchedAt);
