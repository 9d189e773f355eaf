using System.Globalization;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.ChaosTests;

/// <summary>
/// Oversized submits (3-4 MiB, over the 2 MiB MaxSubmitBytes) mixed with good tasks, sent to a dispatcher running as
/// its own process: each oversized one ends Failed <c>payload-too-large</c>, each good one succeeds, and the
/// dispatcher's peak resident memory stays within its stated bound: a baseline plus SubmitConcurrency × the largest
/// message, since the broker hands it at most SubmitConcurrency unacknowledged submits and an oversized body is never
/// deserialized.
/// </summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
[Trait("Category", "Security")]
public sealed class OversizedSubmitMemoryTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int TaskCount = 300;
    private const int SubmitConcurrency = 64;
    private const int LargestMessageBytes = 4 * 1024 * 1024 + 64 * 1024;

    // What a dispatcher process holds without any submit in hand (runtime, ASP.NET Core, EF Core, MassTransit, heaps),
    // measured at about 200-250 MiB here; the allowance is generous so that only bodies held beyond the bound fail it.
    private const long BaselineBytes = 512L * 1024 * 1024;

    [Fact]
    public async Task OversizedSubmitsAmongGoodOnes_EachFailsPayloadTooLarge_DispatcherPeakMemoryWithinBound()
    {
        // Arrange
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "oversized", output);
        await fleet.StartAsync(["w1", "w2"], dispatcherOverrides: new Dictionary<string, string>
        {
            ["WorkFleet__Dispatcher__SubmitConcurrency"] = SubmitConcurrency.ToString(CultureInfo.InvariantCulture),
        });

        // The submits wait in the queue while no dispatcher runs, so the next one is handed SubmitConcurrency of them
        // at once: the worst case for its memory, not a stream it can keep up with.
        await fleet.Dispatchers[0].TerminateAsync(TimeSpan.FromSeconds(30));

        // Act: every third submit is 3-4 MiB.
        var oversized = new HashSet<Guid>();
        var tasks = new List<SubmitTask>();
        for (var batch = 0; batch < TaskCount / 30; batch++)
        {
            // Batches of 30 keep the producer's own memory small; the dispatcher still sees them back to back.
            tasks.AddRange(await fleet.SubmitAsync(30, (client, i) => i % 3 == 0 ? Oversized(client, batch * 30 + i, oversized) : ChaosJobs.MatMul(client, i)));
        }

        var dispatcher = await fleet.StartDispatcherAsync("dispatcher-2", new Dictionary<string, string>
        {
            ["WorkFleet__Dispatcher__SubmitConcurrency"] = SubmitConcurrency.ToString(CultureInfo.InvariantCulture),
        });
        var ids = tasks.Select(t => t.TaskId).ToList();
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(240), stall: TimeSpan.FromSeconds(60));
        var peak = PeakResidentBytes(dispatcher.Pid);

        // Assert
        var audit = await fleet.AuditAsync(ids);
        Assert.True(finished, $"not every task ended.{Environment.NewLine}{audit.Summary()}");
        Assert.All(oversized, id => Assert.Equal((TaskState.Failed, ErrorKinds.PayloadTooLarge), (audit.Tasks[id].Status, audit.Tasks[id].ErrorKind)));
        Assert.All(ids.Where(id => !oversized.Contains(id)), id => Assert.Equal(TaskState.Succeeded, audit.Tasks[id].Status));
        var bound = BaselineBytes + (long)SubmitConcurrency * LargestMessageBytes;
        fleet.Log($"dispatcher peak RSS (VmHWM) {peak / (1024 * 1024)} MiB; bound {bound / (1024 * 1024)} MiB for {oversized.Count} oversized submits");
        Assert.True(peak <= bound, $"the dispatcher's peak RSS is {peak / (1024 * 1024)} MiB, over the bound of {bound / (1024 * 1024)} MiB");
        Assert.False(dispatcher.HasExited, $"the dispatcher exited ({dispatcher.ExitCode}).{Environment.NewLine}{dispatcher.Describe(60)}");
    }

    private static SubmitTask Oversized(WorkFleetClient client, int index, HashSet<Guid> oversized)
    {
        var padding = new string('x', 3 * 1024 * 1024 + index % 7 * 128 * 1024);
        var task = client.CreateTask("compute.matmul", ChaosJobs.Parse($$"""{"size":24,"padding":"{{padding}}"}"""));
        lock (oversized)
        {
            oversized.Add(task.TaskId);
        }

        return task;
    }

    /// <summary>The process's peak resident set (VmHWM in /proc/&lt;pid&gt;/status), in bytes.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes * 1024;
    }
}
