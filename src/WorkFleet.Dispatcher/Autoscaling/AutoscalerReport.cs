namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>What the autoscaler is doing, for <c>/api/autoscaler</c>, the dashboard and <c>workfleet autoscaler</c>.</summary>
/// <param name="Enabled">Whether this dispatcher runs an autoscaler at all.</param>
/// <param name="Role"><c>off</c>, <c>leader</c> (this dispatcher acts) or <c>standby</c> (another one holds the lease).</param>
/// <param name="Executor">Executor name (<c>none</c>, <c>docker</c>, <c>kubernetes</c>).</param>
/// <param name="Policy">Policy name (<c>hpa</c>, <c>threshold</c>).</param>
/// <param name="Forecaster">Forecaster name, or <c>off</c>.</param>
/// <param name="CurrentWorkers">Workers the platform runs or starts (or, with <c>none</c>, that heartbeat); null before the first measurement.</param>
/// <param name="DesiredWorkers">The last decision's count; null before the first decision.</param>
/// <param name="MinWorkers">Configured minimum.</param>
/// <param name="MaxWorkers">Configured maximum.</param>
/// <param name="Horizon">Forecast horizon in use (learned start-up time, or the configured default).</param>
/// <param name="HorizonLearned">Whether <paramref name="Horizon"/> was measured from real scale-ups.</param>
/// <param name="LastError">The executor's last failure with what to fix, until the next success; null when fine.</param>
/// <param name="Samples">Recent measured utilization with the forecast made at that time, oldest first.</param>
/// <param name="Decisions">Recent decisions, oldest first.</param>
/// <param name="Drains">Workers being drained or recently removed, oldest first.</param>
public sealed record AutoscalerReport(
    bool Enabled,
    string Role,
    string Executor,
    string Policy,
    string Forecaster,
    int? CurrentWorkers,
    int? DesiredWorkers,
    int MinWorkers,
    int MaxWorkers,
    TimeSpan Horizon,
    bool HorizonLearned,
    string? LastError,
    IReadOnlyList<SignalPoint> Samples,
    IReadOnlyList<DecisionEntry> Decisions,
    IReadOnlyList<DrainEntry> Drains)
{
    /// <summary><see cref="Horizon"/> in seconds, for readers that do not parse time spans.</summary>
    public double HorizonSeconds => Horizon.TotalSeconds;

    /// <summary>The report of a dispatcher whose autoscaler is off.</summary>
    public static AutoscalerReport Off { get; } = new(
        false, "off", "none", "-", "-", null, null, 0, 0, TimeSpan.Zero, false, null, [], [], []);
}

/// <summary>One measurement of fleet utilization and the forecast for <c>At + horizon</c> made from it.</summary>
/// <param name="At">When measured.</param>
/// <param name="Utilization">(running + waiting) / capacity of all workers, starting ones included.</param>
/// <param name="Forecast">Forecast utilization at the horizon; null when none (too few samples, or forecasting off).</param>
public sealed record SignalPoint(DateTimeOffset At, double Utilization, double? Forecast);

/// <summary>One autoscaler decision as shown to an operator.</summary>
/// <param name="At">When decided.</param>
/// <param name="CurrentWorkers">Workers then.</param>
/// <param name="Utilization">Measured utilization.</param>
/// <param name="Forecast">Forecast utilization, if any.</param>
/// <param name="DesiredWorkers">Chosen count.</param>
/// <param name="Reason">The policy's reason in words.</param>
public sealed record DecisionEntry(DateTimeOffset At, int CurrentWorkers, double Utilization, double? Forecast, int DesiredWorkers, string Reason);

/// <summary>A worker the autoscaler is removing.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="RequestedAt">When its drain began (no task is handed to it after this).</param>
/// <param name="State"><c>draining</c>, <c>removed</c> (after it reported Stopped), <c>timed-out</c> (removed when the drain timeout passed) or <c>cancelled</c>.</param>
public sealed record DrainEntry(string WorkerId, DateTimeOffset RequestedAt, string State);
