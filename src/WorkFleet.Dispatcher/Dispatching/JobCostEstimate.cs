namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>The learned cost of one job type.</summary>
/// <param name="JobType">The job type.</param>
/// <param name="ExpectedCostMs">Expected run time in ms on a worker of weight 1; null while too few attempts were seen.</param>
/// <param name="Observations">Successful attempts seen (including those read from the store at start).</param>
/// <param name="MsPerPayloadChar">
/// Where the cost follows payload size: ms at weight 1 per character of payload, the slope of the line a task's size
/// is read on; null while the mean is used.
/// </param>
public sealed record JobCostEstimate(string JobType, double? ExpectedCostMs, long Observations, double? MsPerPayloadChar = null);
