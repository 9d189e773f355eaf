using Microsoft.Extensions.Logging;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn.Diagnostics;

namespace WorkFleet.Worker.Configuration;

/// <summary>Which job types a worker advertises, and whether its batching settings fit its handlers.</summary>
public static class WorkerJobTypes
{
    /// <summary>
    /// The job types to advertise in heartbeats: <see cref="WorkerOptions.JobTypes"/> (or every registered one),
    /// minus the diagnostic ones unless <see cref="WorkerOptions.EnableDiagnosticJobs"/>, minus those whose handler declares requirements (<see cref="JobRequirementsAttribute"/>) this worker does
    /// not meet: a capability missing from <see cref="WorkerOptions.Capabilities"/> (ordinal, as the dispatcher
    /// compares), or more memory per job than the process can use. Each one left out is logged as a warning
    /// naming the job type and what is missing, so the dispatcher never routes such a task here.
    /// </summary>
    /// <param name="registry">The registered handlers.</param>
    /// <param name="options">The worker's settings.</param>
    /// <param name="availableMemoryMb">Memory the process may use, in MiB.</param>
    /// <param name="logger">Receives the warnings.</param>
    /// <returns>The job types to advertise, in configured (or registry) order.</returns>
    /// <exception cref="InvalidOperationException"><see cref="WorkerOptions.JobTypes"/> names a job type with no handler.</exception>
    public static IReadOnlyList<string> Resolve(JobHandlerRegistry registry, WorkerOptions options, long availableMemoryMb, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var diagnosticsOff = !options.EnableDiagnosticJobs;
        var configuredDiagnostics = options.JobTypes.Where(t => diagnosticsOff && DiagnosticJobTypes.IsDiagnostic(t)).ToList();
        if (configuredDiagnostics.Count > 0)
        {
            throw new InvalidOperationException(
                $"WorkFleet:Worker:JobTypes names diagnostic job types ({string.Join(", ", configuredDiagnostics)}) but WorkFleet:Worker:EnableDiagnosticJobs is false; set it to true to run them.");
        }

        List<string> configured = options.JobTypes.Count == 0
            ? [.. registry.JobTypes.Where(t => !(diagnosticsOff && DiagnosticJobTypes.IsDiagnostic(t)))]
            : options.JobTypes;
        var unknown = configured.Where(t => !registry.TryGet(t, out _)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"WorkFleet:Worker:JobTypes names job types with no registered handler: {string.Join(", ", unknown)}; registered: {string.Join(", ", registry.JobTypes)}.");
        }

        var offered = options.Capabilities.ToHashSet(StringComparer.Ordinal);
        var advertised = new List<string>(configured.Count);
        foreach (string jobType in configured)
        {
            registry.TryGet(jobType, out IJobHandler? handler);
            JobRequirements requirements = handler!.Info.Requirements;
            var missing = requirements.Capabilities.Where(c => !offered.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                logger.LogWarning(
                    "Worker {WorkerId} does not advertise job type {JobType}: its handler requires capabilities [{Missing}] missing from WorkFleet:Worker:Capabilities [{Offered}]",
                    options.WorkerId, jobType, string.Join(", ", missing), string.Join(", ", options.Capabilities));
            }
            else if (requirements.MemoryMb is { } memoryMb && memoryMb > availableMemoryMb)
            {
                logger.LogWarning(
                    "Worker {WorkerId} does not advertise job type {JobType}: its handler requires {MemoryMb} MiB of memory per job but the process can use {AvailableMb} MiB",
                    options.WorkerId, jobType, memoryMb, availableMemoryMb);
            }
            else
            {
                advertised.Add(jobType);
            }
        }

        return advertised;
    }

    /// <summary>Checks that every job type with batching enabled has a registered, batch-capable handler.</summary>
    /// <param name="registry">The registered handlers.</param>
    /// <param name="options">The worker's settings.</param>
    /// <exception cref="InvalidOperationException">A setting names an unknown job type or one that cannot batch; the message names the setting.</exception>
    public static void ValidateBatching(JobHandlerRegistry registry, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        foreach ((string jobType, BatchingOptions batching) in options.Batching)
        {
            if (!batching.IsEnabled)
            {
                continue;
            }

            if (!registry.TryGet(jobType, out IJobHandler? handler))
            {
                throw new InvalidOperationException(
                    $"{WorkerOptions.SectionName}:Batching:{jobType}:MaxBatchSize is {batching.MaxBatchSize} but no handler is registered for '{jobType}'; registered: {string.Join(", ", registry.JobTypes)}.");
            }

            if (handler is not IBatchJobHandler)
            {
                var batchable = registry.JobTypes.Where(t => registry.TryGet(t, out IJobHandler? h) && h is IBatchJobHandler);
                throw new InvalidOperationException(
                    $"{WorkerOptions.SectionName}:Batching:{jobType}:MaxBatchSize is {batching.MaxBatchSize} but the handler of '{jobType}' cannot run batches " +
                    $"(it is not an IBatchJobHandler); job types that can: {string.Join(", ", batchable)}.");
            }
        }
    }

    /// <summary>
    /// Logs, per batched job type, when <see cref="WorkerOptions.Capacity"/> leaves too few slots for a full batch
    /// to gather while the others run: the tasks of running batches hold slots too, so a batch can only gather
    /// Capacity − (tasks running) tasks, and full batches need Capacity ≥ MaxBatchSize × (MaxConcurrentBatches + 1).
    /// </summary>
    /// <param name="options">The worker's settings.</param>
    /// <param name="logger">Receives the advice.</param>
    /// <returns>The job types the advice was logged for.</returns>
    public static IReadOnlyList<string> AdviseBatchCapacity(WorkerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var advised = new List<string>();
        foreach ((string jobType, BatchingOptions batching) in options.Batching)
        {
            int needed = batching.MaxBatchSize * (batching.MaxConcurrentBatches + 1);
            if (batching.IsEnabled && options.Capacity < needed)
            {
                logger.LogInformation(
                    "Worker {WorkerId}: batches of {JobType} will mostly hold about {Expected} tasks, not MaxBatchSize {MaxBatchSize}: while {Running} batch(es) run, "
                    + "only the rest of WorkFleet:Worker:Capacity {Capacity} can gather; set Capacity to {Needed} for full batches",
                    options.WorkerId, jobType, Math.Max(1, options.Capacity / (batching.MaxConcurrentBatches + 1)), batching.MaxBatchSize, batching.MaxConcurrentBatches, options.Capacity, needed);
                advised.Add(jobType);
            }
        }

        return advised;
    }
}
