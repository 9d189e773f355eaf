using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

/// <summary><c>workfleet status</c> against a real PostgreSQL: each worker's health from its last heartbeat.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class StatusCommandTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Status_Json_ShowsLiveSuspectAndLostWorkersByHeartbeatAge()
    {
        // Arrange: three workers last heard 1 s, 60 s and 600 s ago; the dispatcher settings (read from the
        // environment as the hosts read them) make a worker suspect after 30 s and lost after 2 min, leaving
        // the CLI process plenty of time to start.
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("status"));
        await using (var db = Store.Open(database))
        {
            await db.Database.MigrateAsync();
            var now = DateTime.UtcNow;
            var live = Worker("w-live", now.AddSeconds(-1));
            (live.HostCpuUtilization, live.HostMemoryUtilization) = (0.25, 0.625);
            live.Gpus = """[{"index":0,"name":"NVIDIA A10G","utilization":0.5,"memoryUsedBytes":1073741824,"memoryTotalBytes":25769803776}]""";
            db.Workers.AddRange(live, Worker("w-suspect", now.AddSeconds(-60)), Worker("w-lost", now.AddSeconds(-600)));
            await db.SaveChangesAsync();
        }

        // Act
        var (exitCode, stdout, stderr) = await RunCliAsync(database, "status", "--json");

        // Assert
        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        using var report = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var health = report.RootElement.GetProperty("workers").EnumerateArray()
            .ToDictionary(w => w.GetProperty("id").GetString()!, w => (w.GetProperty("health").GetString(), w.GetProperty("alive").GetBoolean()));
        Assert.Equal(("live", true), health["w-live"]);
        Assert.Equal(("suspect", false), health["w-suspect"]);
        Assert.Equal(("lost", false), health["w-lost"]);

        // Host figures as stored; a worker without them shows null, never 0.
        var workers = report.RootElement.GetProperty("workers").EnumerateArray().ToDictionary(w => w.GetProperty("id").GetString()!);
        Assert.Equal(0.25, workers["w-live"].GetProperty("hostCpuUtilization").GetDouble());
        Assert.Equal(0.625, workers["w-live"].GetProperty("resourceLoad").GetDouble());
        var gpu = Assert.Single(workers["w-live"].GetProperty("gpus").EnumerateArray());
        Assert.Equal("NVIDIA A10G", gpu.GetProperty("name").GetString());
        Assert.Equal(0.5, gpu.GetProperty("utilization").GetDouble());
        Assert.Equal(JsonValueKind.Null, workers["w-suspect"].GetProperty("hostCpuUtilization").ValueKind);
        Assert.Equal(JsonValueKind.Null, workers["w-suspect"].GetProperty("gpus").ValueKind);
    }

    private static WorkerRecord Worker(string id, DateTime lastHeartbeat) => new()
    {
        Id = id,
        QueueName = "workfleet.worker." + id,
        Weight = 1,
        Capacity = 2,
        State = "Active",
        StartedAt = lastHeartbeat.AddMinutes(-5),
        FirstSeenAt = lastHeartbeat.AddMinutes(-5),
        LastHeartbeatAt = lastHeartbeat,
    };

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(string database, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "workfleet.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["WorkFleet__Database__Provider"] = "Postgres";
        startInfo.Environment["WorkFleet__Database__ConnectionString"] = database;
        startInfo.Environment["WorkFleet__Dispatcher__LivenessTimeout"] = "00:00:30";
        startInfo.Environment["WorkFleet__Dispatcher__LostTimeout"] = "00:02:00";
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
