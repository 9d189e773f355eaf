namespace WorkFleet.Dashboard.Status;

/// <summary>What the dispatcher learned of one job type's cost (used for tasks submitted without <c>expectedCost</c>).</summary>
/// <param name="JobType">The job type.</param>
/// <param name="ExpectedCostMs">Expected run time in ms on a worker of weight 1 (mean of run time × weight); null while fewer than 3 attempts were seen.</param>
/// <param name="Observations">Succeeded attempts it learned from, those read from the store at start included.</param>
/// <param name="MsPerPayloadChar">
/// Where the job type's cost follows payload size (the line explains at least a quarter of its variance): ms at weight
/// 1 per character of payload JSON, a task's own size then setting its expected cost; null while the mean is used.
/// </param>
public sealed record JobCostStatus(string JobType, double? ExpectedCostMs, long Observations, double? MsPerPayloadChar = null);
