using System.Diagnostics;
using WorkFleet.ThroughputBench.Fleets;
using WorkFleet.ThroughputBench.Producer;
using WorkFleet.ThroughputBench.Report;

namespace WorkFleet.ThroughputBench.Modes;

/// <summary>
/// <c>pipeline</c>: alternating rounds of the raw MassTransit pipeline, the same storing every result as a row in
/// PostgreSQL, and WorkFleet end to end (with its defaults, then with short-task prefetch, <c>--prefetch</c> per slot), each with fresh dispatchers and 4 fresh workers (and a fresh database where
/// one is used), after one unreported warm-up round of each. A round first runs <c>--warmup</c> tasks unmeasured, then times the producer's submits to the last
/// <c>TaskFinished</c> and reads every process's and container's CPU before and after.
/// </summary>
public static class PipelineMode
{
    private const int MaxWarmupTasks = 1000;

    /// <summary>Runs the rounds and returns them (warm-ups excluded).</summary>
    public static async Task<PipelineReport> RunAsync(BenchContext bench, Action<RoundResult> onRound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bench);
        ArgumentNullException.ThrowIfNull(onRound);
        var load = Stats.LoadAverage();
        var tasks = bench.Arguments.Tasks;
        var warmup = Math.Min(tasks, MaxWarmupTasks);
        foreach (var pipeline in PipelineReport.Pipelines)
        {
            await RunRoundAsync(bench, pipeline, 0, warmup, cancellationToken);
        }

        var rounds = new List<RoundResult>();
        for (var round = 1; round <= bench.Arguments.Rounds; round++)
        {
            foreach (var pipeline in PipelineReport.Pipelines)
            {
                var result = await RunRoundAsync(bench, pipeline, round, tasks, cancellationToken);
                rounds.Add(result);
                onRound(result);
            }
        }

        return new PipelineReport(tasks, BenchContext.FleetWorkers, bench.Arguments.Dispatchers, PrefetchPerSlot(bench), rounds, load, Stats.LoadAverage());
    }

    /// <summary>The prefetching WorkFleet pipeline's <c>PrefetchPerSlot</c>: <c>--prefetch</c>, default 1.</summary>
    private static int PrefetchPerSlot(BenchContext bench) => bench.Arguments.Prefetch ?? 1;

    private static async Task<RoundResult> RunRoundAsync(BenchContext bench, string pipeline, int round, int count, CancellationToken cancellationToken)
    {
        var kind = pipeline switch { RoundResult.Raw => "raw", RoundResult.RawStored => "rawdb", RoundResult.WorkFleetPrefetch => "wfp", _ => "wf" };
        var name = $"{kind}{round}_{Guid.NewGuid().ToString("N")[..6]}";
        await using var fleet = await StartFleetAsync(bench, pipeline, name, cancellationToken);
        if (bench.Arguments.Warmup > 0)
        {
            var warmup = TaskProducer.CreateTasks(bench.Arguments.Warmup);
            var warmed = bench.Producer.Expect(warmup);
            await bench.Producer.SubmitAsync(fleet.SubmitQueue, warmup, fleet.TakesBatches && !bench.Arguments.PerTaskMessages, cancellationToken);
            await bench.WaitForAllAsync(warmed, fleet, cancellationToken);
        }

        var meter = bench.MeterFor(fleet);
        var tasks = TaskProducer.CreateTasks(count);
        var counter = bench.Producer.Expect(tasks);

        var before = meter.Read();
        var start = Stopwatch.GetTimestamp();
        await bench.Producer.SubmitAsync(fleet.SubmitQueue, tasks, fleet.TakesBatches && !bench.Arguments.PerTaskMessages, cancellationToken);
        await bench.WaitForAllAsync(counter, fleet, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start, counter.LastTimestamp);
        var used = Cpu.CpuMeter.Used(before, meter.Read());
        return new RoundResult(pipeline, round, count, elapsed.TotalSeconds, used, await fleet.StoredSuccessesAsync([.. tasks.Select(t => t.TaskId)]));
    }

    private static async Task<IBenchFleet> StartFleetAsync(BenchContext bench, string pipeline, string name, CancellationToken cancellationToken)
    {
        if (pipeline is RoundResult.Raw or RoundResult.RawStored)
        {
            return await RawFleet.StartAsync(bench.Servers, name, BenchContext.FleetWorkers, storeResults: pipeline == RoundResult.RawStored, cancellationToken);
        }

        var fleet = await WorkFleetFleet.CreateAsync(bench.Servers, name);
        try
        {
            fleet.StartWorkers(name, BenchContext.FleetWorkers);
            fleet.StartDispatchers(name, bench.Arguments.Dispatchers, prefetchPerSlot: pipeline == RoundResult.WorkFleetPrefetch ? PrefetchPerSlot(bench) : 0);
            await fleet.WaitReadyAsync(cancellationToken);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }
}
