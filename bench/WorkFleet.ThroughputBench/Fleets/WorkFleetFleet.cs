using System.Globalization;
using WorkFleet.ThroughputBench.Processes;
using WorkFleet.ThroughputBench.Servers;

namespace WorkFleet.ThroughputBench.Fleets;

/// <summary>
/// WorkFleet itself: the built DispatcherHost and WorkerHost dlls, configured by environment variables as in
/// the README's Configuration table, on a database of the round's own; warnings-only logging.
/// </summary>
public sealed class WorkFleetFleet : IBenchFleet
{
    private readonly BenchServers _servers;
    private readonly string _database;
    private readonly List<ChildProcess> _workers = [];
    private readonly List<ChildProcess> _dispatchers = [];

    private WorkFleetFleet(BenchServers servers, string database, string connectionString)
    {
        _servers = servers;
        _database = database;
        ConnectionString = connectionString;
    }

    /// <inheritdoc />
    public string SubmitQueue => WorkFleet.Contracts.QueueNames.Submit;

    /// <inheritdoc />
    public bool TakesBatches => true;

    /// <inheritdoc />
    public ChildProcess Dispatcher => _dispatchers[0];

    /// <inheritdoc />
    public IReadOnlyList<ChildProcess> Dispatchers => _dispatchers;

    /// <inheritdoc />
    public IReadOnlyList<ChildProcess> Workers => _workers;

    /// <summary>The round's database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the round's database (without starting anything yet).</summary>
    public static async Task<WorkFleetFleet> CreateAsync(BenchServers servers, string round)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var database = $"workfleet_bench_{round}";
        return new WorkFleetFleet(servers, database, await servers.CreateDatabaseAsync(database));
    }

    /// <summary>Starts <paramref name="workers"/> worker hosts (ids <c>&lt;round&gt;-w&lt;n&gt;</c>), unless <paramref name="workers"/> is 0.</summary>
    public void StartWorkers(string round, int workers)
    {
        for (var i = 1; i <= workers; i++)
        {
            var environment = BaseEnvironment();
            environment["WorkFleet__Worker__WorkerId"] = $"bench-{round}-w{i}";
            _workers.Add(ChildProcess.Start($"worker host {i}", BenchAssemblies.WorkerHost, [], environment));
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> dispatcher hosts sharing the submit queue and the database, with
    /// <c>PrefetchPerSlot</c> <paramref name="prefetchPerSlot"/> (0: the default, off).
    /// </summary>
    public void StartDispatchers(string round, int count = 1, int prefetchPerSlot = 0)
    {
        for (var i = 1; i <= count; i++)
        {
            var environment = BaseEnvironment();
            environment["WorkFleet__Database__Provider"] = "Postgres";
            environment["WorkFleet__Database__ConnectionString"] = ConnectionString;
            environment["WorkFleet__Dispatcher__DispatcherId"] = $"bench-{round}-d{i}";
            environment["WorkFleet__Dashboard__Urls"] = "http://127.0.0.1:0";
            environment["WorkFleet__Dispatcher__PrefetchPerSlot"] = prefetchPerSlot.ToString(CultureInfo.InvariantCulture);
            _dispatchers.Add(ChildProcess.Start(count == 1 ? "dispatcher host" : $"dispatcher host {i}", BenchAssemblies.DispatcherHost, [], environment));
        }
    }

    /// <summary>Waits until the dispatcher has stored a heartbeat of every worker: then it can dispatch to all of them.</summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + FleetProcesses.StartTimeout;
        while (true)
        {
            foreach (var process in _dispatchers.Concat(_workers))
            {
                process.ThrowIfExited();
            }

            if (await CountAsync("SELECT count(*) FROM workers") >= _workers.Count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the dispatcher did not see {_workers.Count} workers within {FleetProcesses.StartTimeout}; its output:{Environment.NewLine}{Dispatcher.Tail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<long?> StoredSuccessesAsync(IReadOnlyCollection<Guid> taskIds) =>
        await CountAsync("SELECT count(*) FROM tasks WHERE status = 'Succeeded' AND id = ANY(@ids)", taskIds.ToArray());

    /// <summary>Workers the dispatcher has stored (from their heartbeats).</summary>
    public Task<long> StoredWorkersAsync() => CountAsync("SELECT count(*) FROM workers");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await FleetProcesses.KillAsync(null, [.. _dispatchers, .. _workers]);
        await _servers.DropDatabaseAsync(_database);
    }

    private Dictionary<string, string> BaseEnvironment()
    {
        var environment = _servers.RabbitMq.HostEnvironment();

        // The role processes run against the bench's throwaway servers (or the ones given), whose passwords may be defaults.
        environment["WorkFleet__Security__AllowDefaultPasswords"] = "true";
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning";
        return environment;
    }

    private Task<long> CountAsync(string sql, Guid[]? ids = null) => StoreQueries.CountAsync(ConnectionString, sql, ids);
}
