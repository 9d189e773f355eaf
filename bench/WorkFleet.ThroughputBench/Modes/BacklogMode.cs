using System.Diagnostics;
using WorkFleet.ThroughputBench.Cpu;
using WorkFleet.ThroughputBench.Fleets;
using WorkFleet.ThroughputBench.Producer;
using WorkFleet.ThroughputBench.Report;

namespace WorkFleet.ThroughputBench.Modes;

/// <summary>
/// <c>backlog</c>: WorkFleet on a backlog that is all in the submit queue before the dispatcher and workers start,
/// a small one then the large one. Throughput and CPU are measured from the moment <c>--warmup</c> tasks (at most
/// half the backlog) have finished to the last task (startup, migration and the first tasks on cold code
/// excluded), the dispatcher's peak resident memory over its whole life.
/// </summary>
public static class BacklogMode
{
    /// <summary>Runs the small and the large backlog.</summary>
    public static async Task<BacklogReport> RunAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bench);
        var load = Stats.LoadAverage();
        var small = await RunOneAsync(bench, "small", bench.Arguments.SmallBacklog, cancellationToken);
        Console.Error.WriteLine($"small backlog: {small.TasksPerSecond:F0} tasks/s");
        var large = await RunOneAsync(bench, "large", bench.Arguments.Tasks, cancellationToken);
        return new BacklogReport(small, large, load, Stats.LoadAverage());
    }

    private static async Task<BacklogRun> RunOneAsync(BenchContext bench, string label, int count, CancellationToken cancellationToken)
    {
        var name = $"backlog_{label}_{Guid.NewGuid().ToString("N")[..6]}";
        await using var fleet = await WorkFleetFleet.CreateAsync(bench.Servers, name);
        var tasks = TaskProducer.CreateTasks(count);
        var counter = bench.Producer.Expect(tasks);
        var publish = Stopwatch.StartNew();
        await bench.Producer.SubmitAsync(fleet.SubmitQueue, tasks, fleet.TakesBatches && !bench.Arguments.PerTaskMessages, cancellationToken);
        var publishSeconds = publish.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"{label} backlog of {count} published in {publishSeconds:F1} s; starting the fleet");

        fleet.StartWorkers(name, BenchContext.FleetWorkers);
        fleet.StartDispatchers(name, prefetchPerSlot: bench.Arguments.Prefetch ?? 0);
        var meter = bench.MeterFor(fleet);
        var warm = Math.Max(1, Math.Min(bench.Arguments.Warmup, count / 2));
        while (counter.Finished < warm)
        {
            fleet.Dispatcher.ThrowIfExited();
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        var before = meter.Read();
        var finishedBefore = counter.Finished;
        var start = Stopwatch.GetTimestamp();
        await bench.WaitForAllAsync(counter, fleet, cancellationToken);
        var used = CpuMeter.Used(before, meter.Read());
        var peak = ProcessCpu.PeakResidentMiB(fleet.Dispatcher.Pid);
        var seconds = Stopwatch.GetElapsedTime(start, counter.LastTimestamp).TotalSeconds;
        return new BacklogRun(label, count, publishSeconds, new RoundResult(RoundResult.WorkFleet, 1, count - finishedBefore, seconds, used, await fleet.StoredSuccessesAsync([.. tasks.Select(t => t.TaskId)])), peak);
    }
}
