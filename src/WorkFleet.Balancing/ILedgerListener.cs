namespace WorkFleet.Balancing;

/// <summary>Told by an <see cref="InFlightLedger"/> whenever a tracked worker's outstanding count changes.</summary>
internal interface ILedgerListener
{
    /// <summary>The worker tracked under <paramref name="slot"/> now has <paramref name="outstanding"/> assignments.</summary>
    void OnOutstandingChanged(int slot, int outstanding);
}
