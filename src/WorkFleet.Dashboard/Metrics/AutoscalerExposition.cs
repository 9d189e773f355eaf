using WorkFleet.Dispatcher.Autoscaling;

namespace WorkFleet.Dashboard.Metrics;

/// <summary>
/// The autoscaler's gauges in Prometheus text: what it measured, forecast and wants. <c>workfleet_autoscaler_desired_workers</c>
/// is what an external scaler (KEDA, an HPA on external metrics) follows with the <c>none</c> executor.
/// </summary>
public static class AutoscalerExposition
{
    /// <summary>The gauges of <paramref name="report"/>; only <c>workfleet_autoscaler_enabled</c> when it is off.</summary>
    public static string Render(AutoscalerReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new PrometheusText();
        text.Family("workfleet_autoscaler_enabled", "gauge", "1 when this dispatcher runs an autoscaler.")
            .Sample("workfleet_autoscaler_enabled", report.Enabled ? 1 : 0);
        if (!report.Enabled)
        {
            return text.ToString();
        }

        text.Family("workfleet_autoscaler_leader", "gauge", "1 when this dispatcher holds the autoscaler lease and acts; 0 on standby.")
            .Sample("workfleet_autoscaler_leader", report.Role == "leader" ? 1 : 0, ("executor", report.Executor), ("policy", report.Policy));
        text.Family("workfleet_autoscaler_executor_failing", "gauge", "1 while the executor's last call failed (see /api/autoscaler lastError).")
            .Sample("workfleet_autoscaler_executor_failing", report.LastError is null ? 0 : 1);
        text.Family("workfleet_autoscaler_horizon_seconds", "gauge", "Forecast horizon: learned time from a scale-up command to the new worker's first heartbeat.")
            .Sample("workfleet_autoscaler_horizon_seconds", report.Horizon.TotalSeconds);
        if (report.CurrentWorkers is { } current)
        {
            text.Family("workfleet_autoscaler_current_workers", "gauge", "Workers the platform runs or starts, as the autoscaler counts them.")
                .Sample("workfleet_autoscaler_current_workers", current);
        }

        if (report.DesiredWorkers is { } desired)
        {
            text.Family("workfleet_autoscaler_desired_workers", "gauge", "Workers the autoscaler's last decision wants.")
                .Sample("workfleet_autoscaler_desired_workers", desired);
        }

        if (report.Samples.Count > 0)
        {
            var last = report.Samples[^1];
            text.Family("workfleet_autoscaler_utilization", "gauge", "Measured (running + waiting) / capacity of all workers, starting ones included.")
                .Sample("workfleet_autoscaler_utilization", last.Utilization);
            if (last.Forecast is { } forecast)
            {
                text.Family("workfleet_autoscaler_forecast_utilization", "gauge", "Forecast utilization at the horizon.")
                    .Sample("workfleet_autoscaler_forecast_utilization", forecast);
            }
        }

        return text.ToString();
    }
}
