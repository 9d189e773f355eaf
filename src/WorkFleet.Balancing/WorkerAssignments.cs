namespace WorkFleet.Balancing;

/// <summary>One worker's outstanding assignments in an <see cref="InFlightLedger"/>.</summary>
internal sealed class WorkerAssignments
{
    public HashSet<AssignmentKey> Keys { get; } = [];

    /// <summary>The slot the ledger's listener knows this worker by while it is tracked; -1 otherwise.</summary>
    public int Slot { get; set; } = -1;
}
