namespace WorkFleet.Balancing;

/// <summary>One attempt of one task: the unit the ledger counts.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Attempt">Its attempt number.</param>
public readonly record struct AssignmentKey(Guid TaskId, int Attempt);
