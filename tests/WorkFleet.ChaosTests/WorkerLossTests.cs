using System.Diagnostics;
using WorkFleet.Data.Entities;

namespace WorkFleet.ChaosTests;

/// <summary>A worker process dies (SIGKILL) or is stopped (SIGTERM) while it holds tasks.</summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class WorkerLossTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int TaskCount = 1000;
    private static readonly string[] WorkerIds = ["w1", "w2", "w3"];

    [Fact]
    public async Task WorkerKilled_Sigkill_MidRun_TasksFinishElsewhereExactlyOnce()
    {
        // Arrange: a dispatcher and three workers (capacity 4) as processes, 1,000 tasks queued.
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "sigkill", output);
        await fleet.StartAsync(WorkerIds);
        var victim = fleet.Workers["w2"];
        var ids = (await fleet.SubmitAsync(TaskCount, ChaosJobs.MatMul)).Select(t => t.TaskId).ToList();

        // Act: a quarter of the way in, and while it holds tasks, w2 dies without a word.
        await fleet.WaitForTerminalAsync(ids, TaskCount / 4);
        var held = await Eventually.UntilAsync(() => fleet.Progress.TryCountOpenAttemptsAsync("w2"), n => n > 0, TimeSpan.FromSeconds(20), "w2 holding tasks");
        await victim.KillAsync();
        var killedAt = DateTime.UtcNow;
        fleet.Log($"SIGKILLed w2 (exit code {victim.ExitCode}) while it held {held} open attempt(s)");
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(120), stall: TimeSpan.FromSeconds(30));

        // Assert: every task Succeeded exactly once; what w2 held was rescued by the others as attempt n+1.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40));
        Assert.True(finished, "not every task ended");
        var rescued = audit.RescuedFrom("w2");
        fleet.Log($"rescued from w2: {rescued.Count} task(s), decided on {string.Join(", ", rescued.GroupBy(t => t.WorkerId).Select(g => $"{g.Key} x{g.Count()}"))}");
        Assert.True(rescued.Count >= 1, $"w2 held {held} open attempt(s) when killed but no task was finished elsewhere as a later attempt.{Environment.NewLine}{audit.Summary()}");
        Assert.All(rescued, t => Assert.NotEqual("w2", t.WorkerId));

        // A silent worker gets no new tasks: nothing was sent to w2 once it was past the liveness timeout.
        var lateSends = audit.Attempts.Where(a => a.WorkerId == "w2" && a.DispatchedAt > killedAt + HostSettings.LivenessTimeout + TimeSpan.FromSeconds(1)).ToList();
        Assert.True(lateSends.Count == 0, $"{lateSends.Count} attempt(s) sent to w2 more than {HostSettings.LivenessTimeout.TotalSeconds:0} s after it died, e.g. {lateSends.FirstOrDefault()?.TaskId}.{Environment.NewLine}{audit.Summary()}");
    }

    [Fact]
    public async Task WorkerDrained_Sigterm_MidRun_FinishesOwnAndExitsZero()
    {
        // Arrange
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "sigterm", output);
        await fleet.StartAsync(WorkerIds);
        var victim = fleet.Workers["w2"];
        var ids = (await fleet.SubmitAsync(TaskCount, ChaosJobs.MatMul)).Select(t => t.TaskId).ToList();

        // Act: w2 is asked to stop (what `docker compose up --scale worker=2` does) while it holds tasks.
        await fleet.WaitForTerminalAsync(ids, TaskCount / 4);
        var held = await Eventually.UntilAsync(() => fleet.Progress.TryCountOpenAttemptsAsync("w2"), n => n > 0, TimeSpan.FromSeconds(20), "w2 holding tasks");
        var terminatedAt = DateTime.UtcNow;
        var drain = Stopwatch.StartNew();
        var exitCode = await victim.TerminateAsync(HostSettings.DrainTimeout + TimeSpan.FromSeconds(15));
        drain.Stop();
        fleet.Log($"SIGTERMed w2 holding {held} open attempt(s): exit code {exitCode} after {drain.Elapsed.TotalSeconds:0.0} s");
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(120), stall: TimeSpan.FromSeconds(30));

        // Assert: a clean exit, every task Succeeded exactly once.
        var audit = await fleet.AuditAsync(ids);
        Assert.True(exitCode == 0, $"w2 exited with code {exitCode} after SIGTERM.{Environment.NewLine}{victim.Describe(60)}");
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40));
        Assert.True(finished, "not every task ended");

        // w2 finished what it held: nothing of it was abandoned, unless the grace period ran out.
        var abandoned = audit.Attempts.Where(a => a.WorkerId == "w2" && a.Status == AttemptState.Abandoned).ToList();
        var graceRanOut = drain.Elapsed >= HostSettings.DrainTimeout;
        fleet.Log($"w2: {audit.Attempts.Count(a => a.WorkerId == "w2")} attempts, {abandoned.Count} abandoned; drain took {drain.Elapsed.TotalSeconds:0.0} s (grace {HostSettings.DrainTimeout.TotalSeconds:0} s{(graceRanOut ? ", ran out" : string.Empty)})");
        Assert.True(abandoned.Count == 0 || graceRanOut, $"{abandoned.Count} attempt(s) of w2 were abandoned although it drained within its grace period ({drain.Elapsed.TotalSeconds:0.0} s).{Environment.NewLine}{audit.Summary()}");

        // A draining worker receives nothing new (allowing for sends already under way when it announced it).
        var lateSends = audit.Attempts.Where(a => a.WorkerId == "w2" && a.DispatchedAt > terminatedAt + TimeSpan.FromSeconds(2)).ToList();
        Assert.True(lateSends.Count == 0, $"{lateSends.Count} attempt(s) sent to w2 more than 2 s after SIGTERM, e.g. {lateSends.FirstOrDefault()?.TaskId}.{Environment.NewLine}{audit.Summary()}");
    }
}
