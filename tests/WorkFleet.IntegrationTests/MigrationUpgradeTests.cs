using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using WorkFleet.Data;
using WorkFleet.Data.Configuration;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class MigrationUpgradeTests(InfrastructureFixture infrastructure)
{
    private static readonly Guid TaskId = Guid.Parse("6f1d2c3b-4a59-4e68-9d7c-8b9a0f1e2d3c");

    // What the previous version stored: a task that succeeded on its second attempt, and the worker that ran it.
    private const string PreviousVersionRows = """
        INSERT INTO workers (id, queue_name, weight, capacity, in_flight, queued, completed_total, failed_total,
                             cpu_utilization, memory_utilization, ewma_task_duration_ms, job_types, capabilities,
                             state, sequence, started_at, last_heartbeat_at, first_seen_at)
        VALUES ('worker-7', 'workfleet.worker.worker-7', 2, 4, 0, 0, 1, 1, 0.25, 0.5, 12.5,
                ARRAY['compute.matmul'], ARRAY['avx2'], 'Active', 42,
                '2026-11-30 09:00:00+00', '2026-11-30 10:00:05+00', '2026-11-30 09:00:01+00');
        INSERT INTO tasks (id, job_type, payload, priority, required_capabilities, timeout_ms, status, attempt,
                           worker_id, submitted_at, created_at, dispatched_at, finished_at, result, error, error_kind)
        VALUES ('6f1d2c3b-4a59-4e68-9d7c-8b9a0f1e2d3c', 'compute.matmul', '{"size":8}', 5, ARRAY['avx2'], 30000,
                'Succeeded', 2, 'worker-7', '2026-11-30 10:00:00+00', '2026-11-30 10:00:00.1+00',
                '2026-11-30 10:00:02+00', '2026-11-30 10:00:03+00', '{"checksum":1.5}', NULL, NULL);
        INSERT INTO task_attempts (task_id, attempt, worker_id, status, dispatched_at, started_at, finished_at,
                                   completed_at, error, error_kind)
        VALUES ('6f1d2c3b-4a59-4e68-9d7c-8b9a0f1e2d3c', 1, 'worker-7', 'Failed', '2026-11-30 10:00:00.2+00',
                '2026-11-30 10:00:00.3+00', '2026-11-30 10:00:01+00', '2026-11-30 10:00:01.1+00',
                'handler timed out', 'timeout'),
               ('6f1d2c3b-4a59-4e68-9d7c-8b9a0f1e2d3c', 2, 'worker-7', 'Succeeded', '2026-11-30 10:00:02+00',
                '2026-11-30 10:00:02.1+00', '2026-11-30 10:00:02.9+00', '2026-11-30 10:00:03+00', NULL, NULL);
        """;

    [Fact]
    public async Task Initialize_DatabaseOfPreviousVersion_UpgradesInPlaceKeepingData()
    {
        // Arrange: the schema and migration history exactly as the previous version's migrations left them, with data.
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("upgrade"));
        await ExecuteAsync(database, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Resources", "PreviousVersionSchema.sql")));
        await ExecuteAsync(database, PreviousVersionRows);

        // Act: what a host of the current version does at start.
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddFakeLogging()
            .AddWorkFleetData(options =>
            {
                options.Provider = DatabaseProvider.Postgres;
                options.ConnectionString = database;
            })
            .BuildServiceProvider();
        var logs = services.GetRequiredService<FakeLogCollector>();
        List<string> Problems() => logs.GetSnapshot()
            .Where(record => record.Level >= LogLevel.Warning)
            .Select(record => $"{record.Level} {record.Category}: {record.Message} {record.Exception?.Message}")
            .ToList();
        using var stop = new CancellationTokenSource();
        var initialize = services.GetRequiredService<DatabaseInitializer>().InitializeAsync(stop.Token);

        // The initializer logs a failed statement and retries it until cancelled: wait for success or the first problem.
        await Eventually.UntilAsync(
            () => Task.FromResult(initialize.IsCompleted || Problems().Count > 0),
            settled => settled,
            TimeSpan.FromSeconds(60),
            "the database initializer to finish or log a problem");
        await stop.CancelAsync();

        // Assert: nothing failed or was retried ...
        var problems = Problems();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        await initialize;

        // ... the history holds every current migration ...
        await using var db = Store.Open(database);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());

        // ... the data is intact ...
        var task = await db.Tasks.AsNoTracking().SingleAsync();
        Assert.Equal(
            (TaskId, "compute.matmul", """{"size":8}""", TaskState.Succeeded, 2, "worker-7", """{"checksum":1.5}""", (DateTime?)At("10:00:03")),
            (task.Id, task.JobType, task.Payload, task.Status, task.Attempt, task.WorkerId, task.Result, task.FinishedAt));
        Assert.Equal(["avx2"], task.RequiredCapabilities);
        Assert.Equal(30_000, task.TimeoutMs);
        Assert.Null(task.NextAttemptAt);

        var attempts = await db.TaskAttempts.AsNoTracking().OrderBy(a => a.Attempt).ToListAsync();
        Assert.Equal(
            [(1, AttemptState.Failed, "timeout", (DateTime?)At("10:00:01.1")), (2, AttemptState.Succeeded, null, At("10:00:03"))],
            attempts.Select(a => (a.Attempt, a.Status, a.ErrorKind, a.CompletedAt)));
        Assert.All(attempts, a => Assert.Null(a.RetryAt));

        var worker = await db.Workers.AsNoTracking().SingleAsync();
        Assert.Equal(("worker-7", 2.0, 4, 42L, At("10:00:05")), (worker.Id, worker.Weight, worker.Capacity, worker.Sequence, worker.LastHeartbeatAt));
        Assert.Equal(["compute.matmul"], worker.JobTypes);

        // ... and the schema is the model's.
        var fromModel = await infrastructure.CreateDatabaseAsync(TestNames.Unique("model"));
        await using (var modelDb = Store.Open(fromModel))
        {
            await modelDb.Database.EnsureCreatedAsync();
        }

        Assert.Equal(await DatabaseSchema.DescribeAsync(fromModel), await DatabaseSchema.DescribeAsync(database));
    }

    private static DateTime At(string timeOfDay) =>
        DateTime.SpecifyKind(DateTime.Parse($"2026-11-30T{timeOfDay}", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
