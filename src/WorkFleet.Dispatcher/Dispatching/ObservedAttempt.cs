using WorkFleet.Balancing;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Another dispatcher's attempt as its broadcast tells it (<see cref="WorkFleet.Contracts.AttemptAssigned"/>): the key
/// and, from senders that know them, its job type and expected cost (ms at weight 1), so the cost-aware strategy can
/// expect when its slot frees.
/// </summary>
/// <param name="Key">The attempt.</param>
/// <param name="JobType">Its task's job type; null when the broadcast did not say.</param>
/// <param name="ExpectedCostMs">Its expected cost in ms at weight 1; null when the broadcast did not say.</param>
public readonly record struct ObservedAttempt(AssignmentKey Key, string? JobType = null, double? ExpectedCostMs = null);
