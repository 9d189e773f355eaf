namespace WorkFleet.Dashboard.Status;

/// <summary>What the dispatcher learned of one job type's cost (used for tasks submitted without <c>expectedCost</c>).</summary>
/// <param name="JobType">The job type.</param>
/// <param name="ExpectedCostMs">Expected run time in ms on a worker of weight 1 (mean of run time × weight); null while fewer than 3 attempts were seen.</param>
/// <param name="Observations">Succeeded attempts it learned from, those read from the store at start included.</param>
public sealed record JobCostStatus(string JobType, double? ExpectedCostMs, long Observations);
