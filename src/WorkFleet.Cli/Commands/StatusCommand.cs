using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Microsoft.Extensions.Configuration;
using WorkFleet.Balancing;
using WorkFleet.CommandLine;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Cli.Commands;

/// <summary><c>workfleet status</c>: workers with their last heartbeat metrics and task counts, from PostgreSQL.</summary>
public static class StatusCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout)" };
        var liveness = new Option<TimeSpan?>("--liveness") { Description = "Heartbeat age after which a worker is suspect: gets no new tasks (default: WorkFleet:Dispatcher:LivenessTimeout, 3 s)" };
        var command = new Command("status", "Show workers and task counts") { json, liveness };
        command.SetAction(async (result, cancellationToken) =>
        {
            var builder = CliHost.CreateBuilder();
            builder.Services.AddWorkFleetData();
            var dispatcher = builder.Configuration.GetSection(DispatcherOptions.SectionName).Get<DispatcherOptions>() ?? new DispatcherOptions();
            var suspectAfter = result.GetValue(liveness) ?? dispatcher.LivenessTimeout;
            var lostAfter = dispatcher.LostTimeout > suspectAfter ? dispatcher.LostTimeout : suspectAfter;
            using var host = builder.Build();
            var contexts = host.Services.GetRequiredService<IDbContextFactory<WorkFleetDbContext>>();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = DateTime.UtcNow;
            var workers = (await db.Workers.AsNoTracking().OrderBy(w => w.Id).ToListAsync(cancellationToken))
                .Select(w => new
                {
                    id = w.Id,
                    state = w.State,
                    alive = now - w.LastHeartbeatAt <= suspectAfter,
                    health = now - w.LastHeartbeatAt <= suspectAfter ? WorkerHealth.Live : now - w.LastHeartbeatAt <= lostAfter ? WorkerHealth.Suspect : WorkerHealth.Lost,
                    lastHeartbeatAgeMs = Math.Round((now - w.LastHeartbeatAt).TotalMilliseconds),
                    weight = w.Weight,
                    capacity = w.Capacity,
                    inFlight = w.InFlight,
                    queued = w.Queued,
                    completed = w.CompletedTotal,
                    failed = w.FailedTotal,
                    cpu = Math.Round(w.CpuUtilization, 3),
                    memory = Math.Round(w.MemoryUtilization, 3),
                    ewmaTaskDurationMs = Math.Round(w.EwmaTaskDurationMs, 1),
                    hostCpuUtilization = Round(w.HostCpuUtilization),
                    hostMemoryUtilization = Round(w.HostMemoryUtilization),
                    resourceLoad = Round(ResourceSignals.Load(w.HostCpuUtilization, w.HostMemoryUtilization)),
                    gpus = WorkerStore.ReadGpus(w.Gpus),
                    jobTypes = w.JobTypes,
                    capabilities = w.Capabilities,
                })
                .ToList();
            var counts = (await db.Tasks.GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
                .ToDictionary(g => g.Key.ToString(), g => g.Count);

            if (result.GetValue(json))
            {
                Json.WriteLine(new { workers, tasks = counts });
                return 0;
            }

            var table = new Table().AddColumns("worker", "state", "health", "weight", "capacity", "in-flight", "completed", "failed", "cpu", "ewma ms", "host cpu", "host mem", "gpus");
            foreach (var w in workers)
            {
                table.AddRow(w.id, w.state, w.health switch { WorkerHealth.Live => WorkerHealth.Live, WorkerHealth.Suspect => $"[yellow]{WorkerHealth.Suspect}[/]", _ => $"[red]{WorkerHealth.Lost}[/]" }, w.weight.ToString(CultureInfo.InvariantCulture), w.capacity.ToString(CultureInfo.InvariantCulture),
                    w.inFlight.ToString(CultureInfo.InvariantCulture), w.completed.ToString(CultureInfo.InvariantCulture), w.failed.ToString(CultureInfo.InvariantCulture),
                    w.cpu.ToString("P0", CultureInfo.InvariantCulture), w.ewmaTaskDurationMs.ToString(CultureInfo.InvariantCulture),
                    Percent(w.hostCpuUtilization), Percent(w.hostMemoryUtilization), Markup.Escape(Gpus(w.gpus)));
            }

            AnsiConsole.Write(table);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"suspect: silent > {suspectAfter.TotalSeconds:0.#} s, gets no new tasks; lost: silent > {lostAfter.TotalSeconds:0.#} s, its tasks go to other workers"));
            AnsiConsole.WriteLine("tasks: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
            return 0;
        });
        return command;
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    // Absent figures (no /proc, no GPU tool, an older worker) print as "-", never as 0.
    private static string Percent(double? value) => value is { } v ? v.ToString("P0", CultureInfo.InvariantCulture) : "-";

    private static string Gpus(IReadOnlyList<GpuStatus>? gpus) => gpus is null ? "-" : string.Join("; ", gpus.Select(g =>
        string.Create(CultureInfo.InvariantCulture, $"{g.Index} {g.Name}: {Percent(g.Utilization)}, {Gib(g.MemoryUsedBytes)}/{Gib(g.MemoryTotalBytes)} GiB")));

    private static string Gib(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) : "?";
}
