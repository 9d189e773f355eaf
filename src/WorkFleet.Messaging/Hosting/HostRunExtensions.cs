using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WorkFleet.Messaging.Hosting;

/// <summary>Running a WorkFleet host program to its end, with an exit code that says why it ended.</summary>
public static class HostRunExtensions
{
    // A bus start that ignores the host's stop request must not keep a refused process alive.
    private static readonly TimeSpan RefusedStopGrace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs <paramref name="host"/> until it stops and returns the process exit code: <see cref="Environment.ExitCode"/>
    /// (set by whoever stopped it, e.g. the receive endpoint watchdog), or <see cref="BrokerAccessGuard.ExitCode"/> when
    /// the broker refused the host's user, in which case the start's failure is not rethrown: the guard has logged it.
    /// </summary>
    public static async Task<int> RunWorkFleetHostAsync(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var guard = host.Services.GetService<BrokerAccessGuard>();
        var run = host.RunAsync();
        if (guard is null)
        {
            await run;
            return Environment.ExitCode;
        }

        try
        {
            if (await Task.WhenAny(run, guard.Refused) == run)
            {
                await run;
            }
            else
            {
                // The guard asked the host to stop; a start still waiting for the bus gets a grace period, no more.
                await run.WaitAsync(RefusedStopGrace);
            }
        }
        catch (Exception exception) when (guard.Refused.IsCompleted || guard.TryReport(exception))
        {
            return BrokerAccessGuard.ExitCode;
        }

        return guard.Refused.IsCompleted ? BrokerAccessGuard.ExitCode : Environment.ExitCode;
    }
}
