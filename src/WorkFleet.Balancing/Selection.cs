namespace WorkFleet.Balancing;

/// <summary>Result of <see cref="FleetView.Select"/>.</summary>
/// <param name="Outcome">Whether a worker was chosen, and if not, why.</param>
/// <param name="WorkerId">The chosen worker when <see cref="SelectionOutcome.Selected"/>.</param>
public readonly record struct Selection(SelectionOutcome Outcome, string? WorkerId);
