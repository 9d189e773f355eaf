using WorkFleet.ThroughputBench.Processes;
using WorkFleet.ThroughputBench.Roles;
using WorkFleet.ThroughputBench.Servers;

namespace WorkFleet.ThroughputBench.Fleets;

/// <summary>The raw MassTransit pipeline: this bench started again as a dispatcher and as workers, on queues of its own.</summary>
public sealed class RawFleet : IBenchFleet
{
    private readonly List<ChildProcess> _workers = [];
    private ChildProcess? _dispatcher;

    private RawFleet(string prefix) => SubmitQueue = $"{prefix}.submit";

    /// <inheritdoc />
    public string SubmitQueue { get; }

    /// <inheritdoc />
    public ChildProcess Dispatcher => _dispatcher!;

    /// <inheritdoc />
    public IReadOnlyList<ChildProcess> Workers => _workers;

    /// <summary>Starts the dispatcher and <paramref name="workers"/> workers; returns once each has its bus connected.</summary>
    public static async Task<RawFleet> StartAsync(RabbitMqAddress broker, string round, int workers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var prefix = $"workfleet.bench.raw.{round}";
        var results = $"{prefix}.results";
        var environment = new Dictionary<string, string>([broker.ToEnvironment()]);
        var fleet = new RawFleet(prefix);
        try
        {
            var queues = Enumerable.Range(1, workers).Select(i => $"{prefix}.worker-{i}").ToArray();
            foreach (var (queue, i) in queues.Select((q, i) => (q, i + 1)))
            {
                fleet._workers.Add(ChildProcess.Start($"raw worker {i}", BenchAssemblies.Self, ["role", "raw-worker", queue, queue, results], environment));
            }

            fleet._dispatcher = ChildProcess.Start("raw dispatcher", BenchAssemblies.Self,
                ["role", "raw-dispatcher", fleet.SubmitQueue, results, string.Join(',', queues)], environment);
            await FleetProcesses.WaitReadyAsync([fleet._dispatcher, .. fleet._workers], RoleHost.ReadyLine, cancellationToken);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<long?> StoredSuccessesAsync(IReadOnlyCollection<Guid> taskIds) => Task.FromResult<long?>(null);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await FleetProcesses.KillAsync(_dispatcher, _workers);
}
