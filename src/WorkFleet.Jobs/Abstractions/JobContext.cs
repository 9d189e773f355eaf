namespace WorkFleet.Jobs;

/// <summary>
/// The job being run, for typed handlers that want to report progress: inject it into the handler's
/// constructor. It is a scoped service, set up by the registration before the handler is resolved from
/// the job's own scope, so the handler must be transient or scoped (the default for <c>AddJobHandler</c>).
/// </summary>
public sealed class JobContext
{
    /// <summary>The job type being run; empty outside a job.</summary>
    public string JobType { get; internal set; } = string.Empty;

    /// <summary>Where progress goes: whatever the caller of <see cref="IJobHandler.ExecuteAsync(System.Text.Json.JsonElement, IProgress{JobProgress}?, CancellationToken)"/> passed, or nowhere.</summary>
    public IProgress<JobProgress> Progress { get; internal set; } = NoProgress.Instance;

    /// <summary>Reports progress; <paramref name="fraction"/> is clamped to [0, 1].</summary>
    /// <param name="fraction">How much of the job is done.</param>
    /// <param name="message">What the job is doing; optional.</param>
    public void ReportProgress(double fraction, string? message = null) =>
        Progress.Report(new JobProgress(double.IsNaN(fraction) ? 0 : Math.Clamp(fraction, 0, 1), message));

    private sealed class NoProgress : IProgress<JobProgress>
    {
        public static NoProgress Instance { get; } = new();

        public void Report(JobProgress value)
        {
        }
    }
}
