using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>
/// Runs the autoscaler every interval on the dispatcher that holds the lease (the others stand by), and backs off
/// exponentially (up to 5 minutes) while its executor fails. Nothing here can stop dispatching.
/// </summary>
public sealed class AutoscalerLoop(
    IOptions<AutoscalerOptions> options,
    Func<Autoscaler> createAutoscaler,
    AutoscalerLease lease,
    DispatcherReadiness readiness,
    TimeProvider clock,
    ILogger<AutoscalerLoop> logger) : BackgroundService
{
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        try
        {
            await readiness.WaitAsync(stoppingToken);
            var autoscaler = createAutoscaler();
            logger.LogInformation(
                "Autoscaler enabled: executor {Executor}, policy {Policy}, forecaster {Forecaster}, {Min}..{Max} workers, every {Interval}.",
                settings.Executor, settings.Policy, settings.Forecaster, settings.MinWorkers, settings.MaxWorkers, settings.Interval);
            var failures = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await lease.HoldAsync(stoppingToken))
                    {
                        failures = await autoscaler.StepAsync(stoppingToken) ? 0 : failures + 1;
                    }
                    else
                    {
                        autoscaler.Standby();
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The broker refused the drain announcement, or a bug: log, back off, never stop the dispatcher.
                    failures++;
                    logger.LogError(ex, "Autoscaler step failed; retrying in {Delay}.", Delay(settings.Interval, failures));
                }

                await Task.Delay(Delay(settings.Interval, failures), clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host stopping
        }
        finally
        {
            await lease.ReleaseAsync();
        }
    }

    /// <summary>The wait before the next step: the interval, doubled per consecutive failure, at most 5 minutes.</summary>
    public static TimeSpan Delay(TimeSpan interval, int failures)
    {
        var backoff = interval * Math.Pow(2, Math.Min(failures, 16));
        return backoff < LongestBackoff ? backoff : (interval > LongestBackoff ? interval : LongestBackoff);
    }
}
