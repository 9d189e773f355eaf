namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>The autoscaler's latest report, published by its loop and read by the HTTP API, metrics and dashboard.</summary>
public sealed class AutoscalerState
{
    private volatile AutoscalerReport _report = AutoscalerReport.Off;

    /// <summary>The latest report (<see cref="AutoscalerReport.Off"/> until the autoscaler runs).</summary>
    public AutoscalerReport Report => _report;

    /// <summary>Replaces the report.</summary>
    public void Publish(AutoscalerReport report) => _report = report ?? throw new ArgumentNullException(nameof(report));
}
