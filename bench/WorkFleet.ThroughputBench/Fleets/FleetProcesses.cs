using WorkFleet.ThroughputBench.Processes;

namespace WorkFleet.ThroughputBench.Fleets;

/// <summary>Starting and stopping a fleet's processes together.</summary>
public static class FleetProcesses
{
    /// <summary>How long a fleet may take to come up.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Waits until every process has printed its ready line.</summary>
    public static Task WaitReadyAsync(IEnumerable<ChildProcess> processes, string readyLine, CancellationToken cancellationToken) =>
        Task.WhenAll(processes.Select(p => p.WaitForLineAsync(line => line.Contains(readyLine, StringComparison.Ordinal), StartTimeout, cancellationToken)));

    /// <summary>Kills the dispatcher, then the workers.</summary>
    public static async Task KillAsync(ChildProcess? dispatcher, IEnumerable<ChildProcess> workers)
    {
        if (dispatcher is not null)
        {
            await dispatcher.DisposeAsync();
        }

        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }
    }
}
