using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>
/// A whole fleet in one host, as the embedded demo runs it: a dispatcher, the setup's workers (running the test
/// jobs beside the built-in ones) and a client on one in-memory bus, with a SQLite database in a directory of its
/// own. Built from the public entry points only; stopped and deleted on dispose. Its settings, which a test's
/// <see cref="FleetSetup.Dispatcher"/> may override: liveness 10 s and loss 60 s (a loaded machine must not make a
/// worker look lost mid-test), heartbeats sent and stored every 100 ms (a fleet is ready sooner).
/// </summary>
public sealed class InProcessFleet : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly IHost _host;
    private readonly DirectoryInfo _directory;
    private readonly string _connectionString;
    private readonly LogBook _log;

    private InProcessFleet(IHost host, DirectoryInfo directory, string connectionString, LogBook log, DateTimeOffset startedAt)
    {
        _host = host;
        _directory = directory;
        _connectionString = connectionString;
        _log = log;
        StartedAt = startedAt;
    }

    /// <summary>The producer SDK, listening for outcomes.</summary>
    public WorkFleetClient Client => _host.Services.GetRequiredService<WorkFleetClient>();

    /// <summary>What the test jobs did, and their gates.</summary>
    public JobLog Jobs => _host.Services.GetRequiredService<JobLog>();

    /// <summary>The submit and execute messages sent, received and handled.</summary>
    public MessageLog Messages { get; } = new();

    /// <summary>The fleet's bus, for sending or listening as another party would.</summary>
    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    /// <summary>Taken before the host was built and started: the dispatcher started no earlier.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Starts a fleet and returns once the dispatcher has stored a heartbeat of every worker.</summary>
    public static async Task<InProcessFleet> StartAsync(FleetSetup? setup = null)
    {
        setup ??= new FleetSetup();
        var directory = Directory.CreateTempSubdirectory("workfleet-pipeline-");
        var connectionString = $"Data Source={Path.Combine(directory.FullName, "fleet.db")};Pooling=True;Default Timeout=60";
        var log = new LogBook();
        var startedAt = DateTimeOffset.UtcNow;
        var fleet = new InProcessFleet(Build(setup, connectionString, log), directory, connectionString, log, startedAt);
        try
        {
            await fleet._host.StartAsync();
            fleet.Bus.ConnectConsumeObserver(fleet.Messages);
            fleet.Bus.ConnectSendObserver(fleet.Messages);
            await fleet.WaitForWorkersAsync(setup.Workers.Select(w => w.Id).ToHashSet());
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>A context on the fleet's database, for assertions on what it stored.</summary>
    public Task<WorkFleetDbContext> OpenStoreAsync() =>
        _host.Services.GetRequiredService<IDbContextFactory<WorkFleetDbContext>>().CreateDbContextAsync();

    /// <summary>The stored task, or null.</summary>
    public async Task<TaskRecord?> FindTaskAsync(Guid taskId)
    {
        await using var db = await OpenStoreAsync();
        return await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId);
    }

    /// <summary>The stored attempts of a task, in attempt order.</summary>
    public async Task<IReadOnlyList<TaskAttemptRecord>> AttemptsAsync(Guid taskId)
    {
        await using var db = await OpenStoreAsync();
        return await db.TaskAttempts.AsNoTracking().Where(a => a.TaskId == taskId).OrderBy(a => a.Attempt).ToListAsync();
    }

    /// <summary>Polls the stored task until <paramref name="condition"/> holds (30 s at most) and returns it.</summary>
    public async Task<TaskRecord> WaitForTaskAsync(Guid taskId, Func<TaskRecord, bool> condition, string what)
    {
        try
        {
            var task = await Eventually.UntilAsync(() => FindTaskAsync(taskId), t => t is not null && condition(t), Patience, what);
            return task!;
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}; {Describe()}", timeout);
        }
    }

    /// <summary>
    /// The outcome the client receives for <paramref name="taskId"/>; after 30 s a <see cref="TimeoutException"/>
    /// that names the stored state and the fleet's last warnings.
    /// </summary>
    public async Task<TaskFinished> OutcomeAsync(Guid taskId)
    {
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            return await Client.WaitAsync(taskId, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var stored = await FindTaskAsync(taskId);
            var state = stored is null ? "not stored" : $"{stored.Status} at attempt {stored.Attempt} on {stored.WorkerId ?? "no worker"}";
            throw new TimeoutException($"No outcome of task {taskId} within {Patience.TotalSeconds} s; stored: {state}; {Describe()}");
        }
    }

    /// <summary>Waits until the dispatcher is done with <paramref name="count"/> submits of <paramref name="taskId"/> (30 s at most).</summary>
    public async Task SubmitsHandledAsync(Guid taskId, int count) =>
        await Eventually.UntilAsync(() => Task.FromResult(Messages.Handled<SubmitTask>(taskId)), handled => handled >= count, Patience, $"{count} submits of task {taskId} handled");

    /// <summary>Submits <paramref name="task"/> and returns its outcome as <see cref="OutcomeAsync"/> does.</summary>
    public async Task<TaskFinished> SubmitAndWaitAsync(SubmitTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        await Client.SubmitAsync(task);
        return await OutcomeAsync(task.TaskId);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Jobs.OpenAll();
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            using (var connection = new SqliteConnection(_connectionString))
            {
                SqliteConnection.ClearPool(connection);
            }

            try
            {
                _directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }

    private async Task WaitForWorkersAsync(HashSet<string> expected)
    {
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    await using var db = await OpenStoreAsync();
                    return string.Join(", ", await db.Workers.Select(w => w.Id).OrderBy(id => id).ToListAsync());
                },
                stored => expected.IsSubsetOf(stored.Split(", ")),
                Patience,
                $"heartbeats of {string.Join(", ", expected)} stored");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}; {Describe()}", timeout);
        }
    }

    private string Describe() => _log.Lines.Count == 0 ? "no warnings logged" : $"last warnings:{Environment.NewLine}{string.Join(Environment.NewLine, _log.Lines)}";

    private static IHost Build(FleetSetup setup, string connectionString, LogBook log)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Logging.ClearProviders().AddProvider(log);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:Kind"] = "InMemory",
            ["WorkFleet:Database:Provider"] = "Sqlite",
            ["WorkFleet:Database:ConnectionString"] = connectionString,
        });
        builder.AddWorkFleetDispatcher(o =>
        {
            o.LivenessTimeout = TimeSpan.FromSeconds(10);
            o.LostTimeout = TimeSpan.FromSeconds(60);
            o.HeartbeatFlushInterval = TimeSpan.FromMilliseconds(100);
            setup.Dispatcher?.Invoke(o);
        });
        foreach (var worker in setup.Workers)
        {
            builder.AddWorkFleetWorker(o =>
            {
                o.WorkerId = worker.Id;
                o.Capacity = worker.Capacity;
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
                o.DrainTimeout = TimeSpan.FromSeconds(1);
                o.StartedReportDelay = worker.StartedReportDelay ?? o.StartedReportDelay;
            });
        }

        builder.Services.AddSingleton<JobLog>();
        builder.Services
            .AddJobHandler<EchoJob>(EchoJob.Type)
            .AddJobHandler<GatedJob>(GatedJob.Type)
            .AddJobHandler<BlockingJob>(BlockingJob.Type)
            .AddJobHandler<FlakyJob>(FlakyJob.Type);
        builder.AddWorkFleetClient();
        return builder.Build();
    }
}
