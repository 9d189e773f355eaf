using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Data;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// Before any message is handled: migrate the schema (or, with WorkFleet:Database:ApplyMigrations off, check it is current), load the fleet view from the <c>workers</c> table (so
/// a restarted dispatcher knows the fleet before the next heartbeat) and rebuild the ledger from the
/// attempts still open in <c>tasks</c>; learn job costs from the recent attempts (<see cref="JobCostHistory"/>).
/// </summary>
public sealed class DispatcherStartup(
    DatabaseInitializer database,
    WorkerStore workers,
    TaskStore tasks,
    SlotAllocator slots,
    JobCostHistory costHistory,
    JobCostEstimates costs,
    DispatcherReadiness readiness,
    IOptions<DispatcherOptions> options,
    ILogger<DispatcherStartup> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken);
        var stored = await workers.LoadAsync(cancellationToken);
        foreach (var row in stored)
        {
            slots.Apply(SnapshotMapper.FromRecord(row));
        }

        var open = await tasks.LoadOutstandingAsync(cancellationToken);
        foreach (var attempt in open)
        {
            slots.Restore(attempt.WorkerId, attempt.Key, attempt.JobType, attempt.ExpectedCostMs, attempt.DispatchedAt);
        }

        var learned = await costHistory.WarmUpAsync(costs, cancellationToken);
        readiness.SetReady();
        logger.LogInformation(
            "Dispatcher ready: {Workers} workers loaded from the store, {Open} open attempts in the ledger, job costs learned from {Attempts} attempts, submit consumer priority {Priority}",
            stored.Count,
            open.Count,
            learned,
            SubmitPriorities.Of(options.Value)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (submits shared evenly)");
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
