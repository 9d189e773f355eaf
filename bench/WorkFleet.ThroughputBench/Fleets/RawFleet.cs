using WorkFleet.ThroughputBench.Processes;
using WorkFleet.ThroughputBench.Roles;
using WorkFleet.ThroughputBench.Servers;

namespace WorkFleet.ThroughputBench.Fleets;

/// <summary>
/// The raw MassTransit pipeline: this bench started again as a dispatcher and as workers, on queues of its own; with
/// a result store, on a database of the round's own (see <see cref="RawDispatcherRole"/>).
/// </summary>
public sealed class RawFleet : IBenchFleet
{
    private readonly List<ChildProcess> _workers = [];
    private ChildProcess? _dispatcher;
    private BenchServers? _storeServers;
    private string? _storeDatabase;
    private string? _storeConnection;

    private RawFleet(string prefix) => SubmitQueue = $"{prefix}.submit";

    /// <inheritdoc />
    public string SubmitQueue { get; }

    /// <inheritdoc />
    public bool TakesBatches => false;

    /// <inheritdoc />
    public ChildProcess Dispatcher => _dispatcher!;

    /// <inheritdoc />
    public IReadOnlyList<ChildProcess> Dispatchers => [_dispatcher!];

    /// <inheritdoc />
    public IReadOnlyList<ChildProcess> Workers => _workers;

    /// <summary>
    /// Starts the dispatcher and <paramref name="workers"/> workers; returns once each has its bus connected. With
    /// <paramref name="storeResults"/>, the dispatcher stores every result in a new database on <paramref name="servers"/>' PostgreSQL.
    /// </summary>
    public static async Task<RawFleet> StartAsync(BenchServers servers, string round, int workers, bool storeResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var broker = servers.RabbitMq;
        var prefix = $"workfleet.bench.raw.{round}";
        var results = $"{prefix}.results";
        var environment = new Dictionary<string, string>([broker.ToEnvironment()]);
        var fleet = new RawFleet(prefix);
        try
        {
            if (storeResults)
            {
                fleet._storeServers = servers;
                fleet._storeDatabase = $"workfleet_bench_{round}";
                fleet._storeConnection = await servers.CreateDatabaseAsync(fleet._storeDatabase);
            }

            var queues = Enumerable.Range(1, workers).Select(i => $"{prefix}.worker-{i}").ToArray();
            foreach (var (queue, i) in queues.Select((q, i) => (q, i + 1)))
            {
                fleet._workers.Add(ChildProcess.Start($"raw worker {i}", BenchAssemblies.Self, ["role", "raw-worker", queue, queue, results], environment));
            }

            string[] store = fleet._storeConnection is { } connection ? [connection] : [];
            fleet._dispatcher = ChildProcess.Start("raw dispatcher", BenchAssemblies.Self,
                ["role", "raw-dispatcher", fleet.SubmitQueue, results, string.Join(',', queues), .. store], environment);
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
    public async Task<long?> StoredSuccessesAsync(IReadOnlyCollection<Guid> taskIds) =>
        _storeConnection is null ? null : await StoreQueries.CountAsync(_storeConnection, "SELECT count(*) FROM results WHERE task_id = ANY(@ids)", [.. taskIds]);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await FleetProcesses.KillAsync(_dispatcher, _workers);
        if (_storeServers is not null && _storeDatabase is not null)
        {
            await _storeServers.DropDatabaseAsync(_storeDatabase);
        }
    }
}
