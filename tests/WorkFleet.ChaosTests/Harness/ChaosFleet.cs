using System.Diagnostics;
using System.Globalization;
using System.Text;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Hosting;
using Xunit.Abstractions;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>
/// One chaos test's fleet: its own virtual host and database on the shared servers, host processes
/// (dispatchers, workers) started and stopped at will, a producer, and the waits and the audit that
/// judge the run from PostgreSQL. Every host runs as its role, as a real fleet does: on the broker as
/// its role's user (<see cref="FleetBrokerUsers"/>), the dispatchers on the database as <c>workfleet_app</c>
/// after the migrate step ran as <c>workfleet_owner</c>; the waits and the audit read as <c>workfleet_read</c>.
/// Disposing it kills every process still running and writes each one's last output lines to the test output.
/// </summary>
public sealed class ChaosFleet : IAsyncDisposable
{
    /// <summary>How long a host may take to start (process start, JIT, migrations, broker connection).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<HostProcess> _processes = [];
    private readonly Dictionary<string, HostProcess> _workers = new(StringComparer.Ordinal);
    private readonly List<HostProcess> _dispatchers = [];
    private TaskSubmitter? _producer;
    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _workingDirectory;
    private readonly Dictionary<HostProcess, IReadOnlyDictionary<string, string>?> _dispatcherOverrides = [];
    private readonly Dictionary<HostProcess, (string Id, int Capacity, double Weight)> _workerSettings = [];
    private readonly HashSet<HostProcess> _restarted = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _supervisor;

    private ChaosFleet(string name, FleetBrokerUsers broker, DatabaseRoleConnections database, ITestOutputHelper output)
    {
        Name = name;
        Broker = broker;
        Database = database;
        Progress = new FleetProgress(database.Read);
        _output = output;
        _workingDirectory = Directory.CreateTempSubdirectory($"workfleet-chaos-{name}-").FullName;
    }

    /// <summary>The test's name, used for its virtual host and database.</summary>
    public string Name { get; }

    /// <summary>The test's own virtual host, as each role's user and as the administrator.</summary>
    public FleetBrokerUsers Broker { get; }

    /// <summary>The test's own database, as each of WorkFleet's roles (migrated by the owner).</summary>
    public DatabaseRoleConnections Database { get; }

    /// <summary>Reads of the database during the run.</summary>
    public FleetProgress Progress { get; }

    /// <summary>Every process started, in order.</summary>
    public IReadOnlyList<HostProcess> Processes => _processes;

    /// <summary>The dispatcher processes started, in order.</summary>
    public IReadOnlyList<HostProcess> Dispatchers => _dispatchers;

    /// <summary>The worker processes started, by worker id (the latest one of each id).</summary>
    public IReadOnlyDictionary<string, HostProcess> Workers => _workers;

    /// <summary>
    /// Creates the virtual host with a user per role, and the database with WorkFleet's roles; runs the migrate
    /// step as the owner.
    /// </summary>
    /// <param name="infrastructure">The servers.</param>
    /// <param name="name">A short name, e.g. <c>sigkill</c>.</param>
    /// <param name="output">The test's output.</param>
    public static async Task<ChaosFleet> CreateAsync(InfrastructureFixture infrastructure, string name, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        var unique = $"wf_chaos_{name}_{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();
        var broker = await FleetBrokerUsers.CreateAsync(infrastructure, await infrastructure.CreateVirtualHostAsync(unique));
        var database = await infrastructure.CreateDatabaseWithRolesAsync(unique);
        var fleet = new ChaosFleet(name, broker, database, output);
        try
        {
            await fleet.MigrateAsync();
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    /// <summary>
    /// Starts the fleet, everything at once to save time on a small machine: the dispatcher(s), one worker
    /// process per id, and the producer; then waits until the dispatcher has stored a heartbeat of every worker.
    /// A second dispatcher starts after the first is up.
    /// </summary>
    /// <param name="workerIds">Worker ids, e.g. w1, w2, w3.</param>
    /// <param name="capacity">Capacity of each worker.</param>
    /// <param name="dispatchers">How many dispatcher replicas.</param>
    /// <param name="dispatcherOverrides">Settings to add or replace for the dispatchers.</param>
    public async Task StartAsync(IReadOnlyList<string> workerIds, int capacity = 4, int dispatchers = 1, IReadOnlyDictionary<string, string>? dispatcherOverrides = null)
    {
        ArgumentNullException.ThrowIfNull(workerIds);
        var producer = TaskSubmitter.StartAsync(Broker.Producer);
        var workers = StartWorkersAsync(workerIds, capacity);
        await StartDispatcherAsync(dispatchers > 1 ? "dispatcher-1" : "dispatcher", dispatcherOverrides);
        for (var i = 2; i <= dispatchers; i++)
        {
            await StartDispatcherAsync(string.Create(CultureInfo.InvariantCulture, $"dispatcher-{i}"), dispatcherOverrides);
        }

        await workers;
        _producer = await producer;
        _supervisor ??= SuperviseAsync(_stopping.Token);
        await WaitForWorkersAsync(workerIds);
    }

    /// <summary>
    /// Dispatchers and workers that stopped with the watchdog's exit code and were started again by the supervisor:
    /// the last resort when a receive endpoint did not recover in process (tests expect none).
    /// </summary>
    public IReadOnlyList<HostProcess> Restarted
    {
        get
        {
            lock (_processes)
            {
                return [.. _restarted];
            }
        }
    }

    /// <summary>Writes a timestamped line to the test output.</summary>
    public void Log(string message) =>
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.UtcNow:HH:mm:ss.fff} +{_clock.Elapsed.TotalSeconds:0.0}s] {message}"));

    /// <summary>Starts a dispatcher process and waits until it runs.</summary>
    /// <param name="name">A name for messages.</param>
    /// <param name="overrides">Settings to add or replace, e.g. <c>WorkFleet__Dispatcher__MaxPayloadBytes</c>.</param>
    public async Task<HostProcess> StartDispatcherAsync(string name = "dispatcher", IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = HostSettings.Dispatcher(Broker.Dispatcher, Database.App, Broker.Worker.Username);
        Merge(settings, overrides);
        var process = await StartAsync(HostKind.Dispatcher, name, settings);
        lock (_processes)
        {
            _dispatchers.Add(process);
            _dispatcherOverrides[process] = overrides;
        }

        return process;
    }

    /// <summary>Starts worker processes (concurrently) and waits until each runs.</summary>
    /// <param name="ids">Worker ids.</param>
    /// <param name="capacity">Capacity of each.</param>
    /// <param name="weight">Weight of each.</param>
    public async Task<IReadOnlyList<HostProcess>> StartWorkersAsync(IReadOnlyList<string> ids, int capacity = 4, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var started = await Task.WhenAll(ids.Select(id => StartAsync(HostKind.Worker, $"worker {id}", HostSettings.Worker(Broker.Worker, id, weight, capacity))));
        lock (_processes)
        {
            foreach (var (id, process) in ids.Zip(started))
            {
                _workers[id] = process;
                _workerSettings[process] = (id, capacity, weight);
            }
        }

        return started;
    }

    /// <summary>Waits until the dispatcher has stored a fresh heartbeat of each of <paramref name="workerIds"/>.</summary>
    public async Task WaitForWorkersAsync(IReadOnlyCollection<string> workerIds)
    {
        ArgumentNullException.ThrowIfNull(workerIds);
        try
        {
            await Eventually.UntilAsync(
                () => Progress.TryReadLiveWorkersAsync(TimeSpan.FromSeconds(3)),
                live => live is not null && workerIds.All(live.Contains),
                TimeSpan.FromSeconds(30),
                $"heartbeats of {string.Join(", ", workerIds)} in the workers table");
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(exception.Message + Environment.NewLine + DescribeProcesses(40), exception);
        }

        Log($"workers registered: {string.Join(", ", workerIds)}");
    }

    /// <summary>Submits <paramref name="count"/> tasks made by <paramref name="create"/> through the producer SDK.</summary>
    public async Task<IReadOnlyList<SubmitTask>> SubmitAsync(int count, Func<WorkFleetClient, int, SubmitTask> create)
    {
        _producer ??= await TaskSubmitter.StartAsync(Broker.Producer);
        var tasks = await _producer.SubmitAsync(count, create);
        Log($"submitted {tasks.Count} tasks");
        return tasks;
    }

    /// <summary>
    /// Waits until at least <paramref name="terminal"/> of <paramref name="ids"/> are Succeeded or Failed
    /// in the database: the moment to inject a fault mid-run.
    /// </summary>
    public async Task<ProgressSnapshot> WaitForTerminalAsync(IReadOnlyCollection<Guid> ids, int terminal, TimeSpan? timeout = null)
    {
        try
        {
            var snapshot = await Eventually.UntilAsync(
                () => Progress.TryReadAsync(ids),
                s => s is not null && s.Terminal >= terminal,
                timeout ?? TimeSpan.FromSeconds(90),
                $"{terminal} of {ids.Count} tasks terminal");
            Log($"progress: {snapshot}");
            return snapshot!;
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(exception.Message + Environment.NewLine + DescribeProcesses(40), exception);
        }
    }

    /// <summary>
    /// Waits until every one of <paramref name="ids"/> is terminal in the database. Gives up (returns
    /// false, and the audit then names what is missing) after <paramref name="deadline"/>, or earlier
    /// when the count of terminal tasks has not moved for <paramref name="stall"/>.
    /// </summary>
    public async Task<bool> WaitForAllTerminalAsync(IReadOnlyCollection<Guid> ids, TimeSpan deadline, TimeSpan stall)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var clock = Stopwatch.StartNew();
        var lastChange = Stopwatch.StartNew();
        var lastTerminal = -1;
        ProgressSnapshot? last = null;
        while (true)
        {
            var snapshot = await Progress.TryReadAsync(ids);
            if (snapshot is not null)
            {
                last = snapshot;
                if (snapshot.Terminal >= ids.Count)
                {
                    Log($"all {ids.Count} tasks terminal after {clock.Elapsed.TotalSeconds:0.0} s: {snapshot}");
                    return true;
                }

                if (snapshot.Terminal != lastTerminal)
                {
                    lastTerminal = snapshot.Terminal;
                    lastChange.Restart();
                }
            }

            if (clock.Elapsed > deadline || lastChange.Elapsed > stall)
            {
                Log($"gave up waiting after {clock.Elapsed.TotalSeconds:0.0} s ({(lastChange.Elapsed > stall ? $"no progress for {stall.TotalSeconds:0} s" : "deadline")}): {last?.ToString() ?? "database unreadable"}");
                return false;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Reads the database for the audit of <paramref name="ids"/>.</summary>
    public async Task<FleetAudit> AuditAsync(IEnumerable<Guid> ids)
    {
        var audit = await FleetAudit.ReadAsync(Database.Read, ids);
        Log(audit.Summary());
        return audit;
    }

    /// <summary>Every process's header and last <paramref name="lines"/> output lines, for failure messages.</summary>
    public string DescribeProcesses(int lines = 30)
    {
        var text = new StringBuilder();
        foreach (var process in _processes)
        {
            text.Append(process.Describe(lines));
        }

        return text.ToString();
    }

    /// <summary>Kills the processes still running and logs each one's output; removes the working folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_supervisor is not null)
        {
            try
            {
                await _supervisor;
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }

        _stopping.Dispose();
        if (_producer is not null)
        {
            await _producer.DisposeAsync();
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
            _output.WriteLine(process.Describe(200));
        }

        Log("fleet disposed");

        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    /// <summary>
    /// The migrate step as a deployment runs it before any dispatcher: the dispatcher host with the argument
    /// <c>migrate</c>, as <c>workfleet_owner</c>; it applies the migrations, grants the runtime roles and exits.
    /// </summary>
    private async Task MigrateAsync()
    {
        // A one-shot step, not a host: kept out of Processes, which the tests watch for hosts that exit.
        await using var process = HostProcess.Start(HostKind.Dispatcher, "migrate", HostSettings.Migrate(Database.Owner), _workingDirectory, "migrate");
        if (!await process.WaitForExitAsync(StartTimeout))
        {
            throw new TimeoutException($"The migrate step did not end within {StartTimeout.TotalSeconds:0} s.{Environment.NewLine}{process.Describe(60)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The migrate step failed with exit code {process.ExitCode}.{Environment.NewLine}{process.Describe(60)}");
        }

        Log($"migrate step done as workfleet_owner: {string.Join(" | ", process.Output.Tail(3))}");
    }

    private async Task<HostProcess> StartAsync(HostKind kind, string name, Dictionary<string, string> settings)
    {
        var process = HostProcess.Start(kind, name, settings, _workingDirectory);
        lock (_processes)
        {
            _processes.Add(process);
        }

        await process.WaitUntilStartedAsync(StartTimeout);
        Log($"{name} started (pid {process.Pid})");
        return process;
    }

    /// <summary>
    /// What a supervisor (compose <c>restart: unless-stopped</c>, Kubernetes) does: a dispatcher or worker that
    /// stops with <see cref="ReceiveEndpointWatchdog.ExitCode"/> (its bus did not recover in process, the last
    /// resort) is started again, a worker under the same id, so that the run can finish and the test report it.
    /// Processes the test kills exit with 137 and are left alone.
    /// </summary>
    private async Task SuperviseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await Task.Delay(500, stopping);
            List<(HostProcess Process, IReadOnlyDictionary<string, string>? Overrides)> dispatchers;
            List<(HostProcess Process, (string Id, int Capacity, double Weight) Settings)> workers;
            lock (_processes)
            {
                dispatchers = [.. _dispatchers.Where(NeedsRestart).Select(p => (p, _dispatcherOverrides[p]))];
                workers = [.. _workers.Values.Where(NeedsRestart).Select(p => (p, _workerSettings[p]))];
                _restarted.UnionWith(dispatchers.Select(r => r.Process).Concat(workers.Select(r => r.Process)));
            }

            foreach (var (process, overrides) in dispatchers)
            {
                Log($"{process.Name} stopped with exit code {ReceiveEndpointWatchdog.ExitCode} (receive endpoints did not recover); restarting it as a supervisor would");
                await StartDispatcherAsync($"{process.Name}-restarted", overrides);
            }

            foreach (var (process, (id, capacity, weight)) in workers)
            {
                Log($"{process.Name} stopped with exit code {ReceiveEndpointWatchdog.ExitCode} (receive endpoints did not recover); restarting it as a supervisor would");
                await StartWorkersAsync([id], capacity, weight);
            }
        }
    }

    private bool NeedsRestart(HostProcess process) =>
        !_restarted.Contains(process) && process.HasExited && process.ExitCode == ReceiveEndpointWatchdog.ExitCode;

    private static void Merge(Dictionary<string, string> settings, IReadOnlyDictionary<string, string>? overrides)
    {
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
    }
}
