using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;
using WorkFleet.Client;
using WorkFleet.CommandLine;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Security;
using WorkFleet.Data;
using WorkFleet.Data.Entities;

namespace WorkFleet.Cli.Demo;

/// <summary>
/// The embedded fleet: one process, MassTransit's in-memory transport, SQLite, one dispatcher and N
/// workers (worker i: weight w_i, capacity 2·w_i) running the real built-in jobs.
/// </summary>
public static class DemoRunner
{
    /// <summary>
    /// Runs the demo and returns its report. With <paramref name="dashboardUrls"/> the dispatcher also serves its
    /// dashboard there (<paramref name="onDashboard"/> gets the bound addresses once it listens, with the generated API key
    /// as a <c>#key=</c> fragment unless keys were configured), and
    /// <paramref name="onReport"/> runs with the fleet still up, so a caller can keep it serving until its token
    /// fires (the caller's token, or Ctrl+C).
    /// </summary>
    public static async Task<DemoReport> RunAsync(
        IReadOnlyList<double> weights,
        int taskCount,
        bool showProgress,
        string? dashboardUrls,
        Action<IReadOnlyList<string>>? onDashboard,
        Func<DemoReport, CancellationToken, Task>? onReport,
        CancellationToken cancellationToken)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"workfleet-demo-{Guid.NewGuid():N}.db");
        try
        {
            using var host = dashboardUrls is null ? BuildHost(weights, databasePath) : BuildWebHost(weights, databasePath, dashboardUrls);
            await host.StartAsync(cancellationToken);
            if (dashboardUrls is not null)
            {
                // With no key configured the dashboard made one: the printed URLs carry it, so the demo stays one command.
                var key = host.Services.GetService<GeneratedApiKey>() is { } generated ? $"/#key={generated.Value}" : "";
                var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                onDashboard?.Invoke([.. addresses.Select(a => a.TrimEnd('/') + key)]);
            }

            var report = await RunWorkloadAsync(host, weights, taskCount, showProgress, cancellationToken);
            if (onReport is not null)
            {
                // Ctrl+C reaches the host's console lifetime first; either it or the caller's token ends the wait.
                var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
                await onReport(report, either.Token);
            }

            await host.StopAsync(CancellationToken.None);
            return report;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(databasePath + suffix);
            }
        }
    }

    private static IHost BuildHost(IReadOnlyList<double> weights, string databasePath)
    {
        var builder = Host.CreateApplicationBuilder(CliHost.Settings(AppContext.BaseDirectory));
        AddFleet(builder, weights, databasePath);
        return builder.Build();
    }

    private static WebApplication BuildWebHost(IReadOnlyList<double> weights, string databasePath, string dashboardUrls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["WorkFleet:Dashboard:Urls"] = dashboardUrls });
        AddFleet(builder, weights, databasePath);
        builder.AddWorkFleetDashboard();
        var app = builder.Build();
        app.UseWorkFleetDashboard();
        app.MapWorkFleetDashboard();
        return app;
    }

    private static void AddFleet(IHostApplicationBuilder builder, IReadOnlyList<double> weights, string databasePath)
    {
        // Errors only, and on stderr: stdout carries the report (with --json, one JSON line that scripts parse), which a
        // late log line, such as a heartbeat send cancelled at shutdown, must never follow.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:Kind"] = "InMemory",
            ["WorkFleet:Database:Provider"] = "Sqlite",
            ["WorkFleet:Database:ConnectionString"] = $"Data Source={databasePath};Pooling=True;Default Timeout=60",
        });
        builder.AddWorkFleetDispatcher();
        for (var i = 0; i < weights.Count; i++)
        {
            var weight = weights[i];
            var id = $"worker-{i + 1}";
            builder.AddWorkFleetWorker(o =>
            {
                o.WorkerId = id;
                o.Weight = weight;
                o.Capacity = Math.Max(1, (int)Math.Round(2 * weight));
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
            });
        }

        builder.AddWorkFleetClient();
    }

    private static async Task<DemoReport> RunWorkloadAsync(IHost host, IReadOnlyList<double> weights, int taskCount, bool showProgress, CancellationToken cancellationToken)
    {
        var client = host.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, taskCount).Select(i =>
        {
            var (jobType, payload) = DemoWorkload.Create(i, seed: 42);
            return client.CreateTask(jobType, payload);
        }).ToList();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(5));
        var watch = Stopwatch.StartNew();
        var waits = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks, cancellationToken);
        var outcomes = showProgress ? await WithProgressAsync(client, waits, taskCount) : await CollectAsync(waits);
        watch.Stop();

        var completed = outcomes.Count(o => o?.Outcome == TaskOutcome.Succeeded);
        var failed = outcomes.Count(o => o?.Outcome == TaskOutcome.Failed);
        var workers = await WorkerReportsAsync(host.Services, weights, cancellationToken);
        return new DemoReport(
            taskCount,
            completed,
            failed,
            taskCount - completed - failed,
            Math.Round(watch.Elapsed.TotalMilliseconds, 1),
            Math.Round(taskCount / watch.Elapsed.TotalSeconds, 1),
            workers);
    }

    private static async Task<TaskFinished?[]> WithProgressAsync(WorkFleetClient client, List<Task<TaskFinished>> waits, int total)
    {
        TaskFinished?[] outcomes = [];
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask($"Running {total} tasks", maxValue: total);
                void OnFinished(TaskFinished _) => bar.Increment(1);
                client.Outcomes.Finished += OnFinished;
                try
                {
                    outcomes = await CollectAsync(waits);
                }
                finally
                {
                    client.Outcomes.Finished -= OnFinished;
                }

                bar.Value = total;
            });
        return outcomes;
    }

    private static async Task<TaskFinished?[]> CollectAsync(List<Task<TaskFinished>> waits)
    {
        try
        {
            await Task.WhenAll(waits);
        }
        catch (OperationCanceledException)
        {
            // Deadline reached: the unfinished ones are reported as lost.
        }

        return [.. waits.Select(w => w.IsCompletedSuccessfully ? w.Result : null)];
    }

    private static async Task<IReadOnlyList<DemoWorkerReport>> WorkerReportsAsync(IServiceProvider services, IReadOnlyList<double> weights, CancellationToken cancellationToken)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<WorkFleetDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var attempts = await db.TaskAttempts.AsNoTracking()
            .Where(a => a.Status == AttemptState.Succeeded && a.CompletedAt != null)
            .Select(a => new { a.WorkerId, a.DispatchedAt, CompletedAt = a.CompletedAt!.Value })
            .ToListAsync(cancellationToken);
        return [.. weights.Select((weight, i) =>
        {
            var id = $"worker-{i + 1}";
            var mine = attempts.Where(a => a.WorkerId == id).ToList();
            var mean = mine.Count == 0 ? 0 : mine.Average(a => (a.CompletedAt - a.DispatchedAt).TotalMilliseconds);
            return new DemoWorkerReport(
                id,
                weight,
                Math.Max(1, (int)Math.Round(2 * weight)),
                mine.Count,
                Math.Round(mean, 1),
                Concurrency.MaxOverlap(mine.Select(a => (a.DispatchedAt, a.CompletedAt))));
        })];
    }
}
