namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>The learned cost of one job type.</summary>
/// <param name="JobType">The job type.</param>
/// <param name="ExpectedCostMs">Expected run time in ms on a worker of weight 1; null while too few attempts were seen.</param>
/// <param name="Observations">Successful attempts seen (including those read from the store at start).</param>
public sealed record JobCostEstimate(string JobType, double? ExpectedCostMs, long Observations);
