using System.Globalization;

namespace WorkFleet.ThroughputBench.Roles;

/// <summary>The hidden <c>role …</c> command by which the bench starts its own child processes.</summary>
public static class RoleCommand
{
    /// <summary>Runs the role named by <paramref name="args"/>[0] until the process is killed.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args)
        {
            case ["raw-dispatcher", var submit, var results, var workers]:
                await RawDispatcherRole.RunAsync(submit, results, workers.Split(','), resultStore: null);
                return 0;
            case ["raw-dispatcher", var submit, var results, var workers, var resultStore]:
                await RawDispatcherRole.RunAsync(submit, results, workers.Split(','), resultStore);
                return 0;
            case ["raw-worker", var workerId, var queue, var results]:
                await RawWorkerRole.RunAsync(workerId, queue, results);
                return 0;
            case ["heartbeats", var count, var prefix]:
                await HeartbeatSimulatorRole.RunAsync(int.Parse(count, CultureInfo.InvariantCulture), prefix);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown role: {string.Join(' ', args)}");
                return 2;
        }
    }
}
