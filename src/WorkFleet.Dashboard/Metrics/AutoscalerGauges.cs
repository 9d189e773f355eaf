using System.Diagnostics.Metrics;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dashboard.Metrics;

/// <summary>
/// The autoscaler's gauges, read from its last report when metrics are collected: what it measured, forecast and wants.
/// <c>workfleet_autoscaler_desired_workers</c> is what an external scaler (KEDA, an HPA on external metrics) follows with
/// the <c>none</c> executor. Only <c>workfleet_autoscaler_enabled</c> has a series while the autoscaler is off.
/// </summary>
public sealed class AutoscalerGauges
{
    private readonly AutoscalerState _state;

    /// <summary>Creates the gauges on the <see cref="DispatcherMetrics.MeterName"/> meter.</summary>
    public AutoscalerGauges(IMeterFactory meters, AutoscalerState state)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _state = state ?? throw new ArgumentNullException(nameof(state));
        var meter = meters.Create(DispatcherMetrics.MeterName);
        meter.CreateObservableGauge("workfleet.autoscaler.enabled", () => _state.Report.Enabled ? 1 : 0, null, "1 when this dispatcher runs an autoscaler.");
        meter.CreateObservableGauge("workfleet.autoscaler.leader", Leader, null, "1 when this dispatcher holds the autoscaler lease and acts; 0 on standby.");
        Gauge(meter, "workfleet.autoscaler.executor_failing", null, "1 while the executor's last call failed (see /api/autoscaler lastError).", r => r.LastError is null ? 0 : 1);
        Gauge(meter, "workfleet.autoscaler.horizon", "s", "Forecast horizon: learned time from a scale-up command to the new worker's first heartbeat.", r => r.Horizon.TotalSeconds);
        Gauge(meter, "workfleet.autoscaler.current_workers", "{worker}", "Workers the platform runs or starts, as the autoscaler counts them.", r => r.CurrentWorkers);
        Gauge(meter, "workfleet.autoscaler.desired_workers", "{worker}", "Workers the autoscaler's last decision wants.", r => r.DesiredWorkers);
        Gauge(meter, "workfleet.autoscaler.utilization", null, "Measured (running + waiting) / capacity of all workers, starting ones included.",
            r => r.Samples.Count > 0 ? r.Samples[^1].Utilization : null);
        Gauge(meter, "workfleet.autoscaler.forecast_utilization", null, "Forecast utilization at the horizon.",
            r => r.Samples.Count > 0 ? r.Samples[^1].Forecast : null);
    }

    private IEnumerable<Measurement<int>> Leader()
    {
        var report = _state.Report;
        return report.Enabled
            ? [new Measurement<int>(report.Role == "leader" ? 1 : 0, new("executor", report.Executor), new("policy", report.Policy))]
            : [];
    }

    /// <summary>A gauge with a series only while the autoscaler is on and <paramref name="value"/> is known.</summary>
    private void Gauge(Meter meter, string name, string? unit, string description, Func<AutoscalerReport, double?> value) =>
        meter.CreateObservableGauge(name, () =>
        {
            var report = _state.Report;
            return report.Enabled && value(report) is { } v ? [new Measurement<double>(v)] : Array.Empty<Measurement<double>>();
        }, unit, description);
}
