using System.Globalization;
using WorkFleet.ChaosTests.Harness;
using WorkFleet.Data.Entities;
using WorkFleet.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WorkFleet.ChaosTests;

/// <summary>Retryable handler failures are retried with exponential backoff kept in the database.</summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class RetryTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int TaskCount = 1000;
    private static readonly string[] WorkerIds = ["w1", "w2", "w3"];

    // Clock resolution between the dispatcher's "result arrived" and "sent again" timestamps.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task RetryableHandler_FailsTwice_SucceedsOnAttempt3WithBackoff()
    {
        // Arrange: tasks whose handler throws a retryable error on attempts 1 and 2.
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "retry", output);
        await fleet.StartAsync(WorkerIds);

        // Act
        var ids = (await fleet.SubmitAsync(TaskCount, (client, _) => ChaosJobs.Flaky(client, failUntilAttempt: 3))).Select(t => t.TaskId).ToList();
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(150), stall: TimeSpan.FromSeconds(30));

        // Assert: each task Succeeded exactly once, on attempt 3, after two transient failures.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40));
        Assert.True(finished, "not every task ended");
        var problems = new List<string>();
        var gaps = new List<(TimeSpan First, TimeSpan Second)>();
        foreach (var task in audit.Tasks.Values)
        {
            var attempts = audit.AttemptsOf[task.Id].ToList();
            var shape = string.Join("; ", attempts.Select(a => $"#{a.Attempt} {a.Status} {a.ErrorKind}"));
            if (task.Attempt != 3 || attempts.Count != 3
                || attempts[0].Status != AttemptState.Failed || attempts[0].ErrorKind != "transient"
                || attempts[1].Status != AttemptState.Failed || attempts[1].ErrorKind != "transient"
                || attempts[2].Status != AttemptState.Succeeded)
            {
                problems.Add($"{task.Id}: {task.Status} on attempt {task.Attempt}; attempts: {shape}");
                continue;
            }

            if (attempts[0].CompletedAt is not { } firstFailed || attempts[1].CompletedAt is not { } secondFailed)
            {
                problems.Add($"{task.Id}: a failed attempt has no completed_at; attempts: {shape}");
                continue;
            }

            var gap = (First: attempts[1].DispatchedAt - firstFailed, Second: attempts[2].DispatchedAt - secondFailed);
            gaps.Add(gap);

            // The backoff before retry n is base x 2^(n-1), minus at most 25 % jitter; waiting for a slot only adds to it.
            if (gap.First < (HostSettings.RetryBaseDelay * 0.75) - Tolerance || gap.Second < (HostSettings.RetryBaseDelay * 2 * 0.75) - Tolerance)
            {
                problems.Add($"{task.Id}: retried too early: {gap.First.TotalMilliseconds:0} ms after failure 1, {gap.Second.TotalMilliseconds:0} ms after failure 2 (base {HostSettings.RetryBaseDelay.TotalMilliseconds:0} ms)");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} task(s) broke the retry rules; first 20:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}{Environment.NewLine}{audit.Summary()}");

        // Backoff visible in the attempt history: the wait before attempt 3 is longer than before attempt 2.
        var first = gaps.Select(g => g.First.TotalMilliseconds).Order().ToList();
        var second = gaps.Select(g => g.Second.TotalMilliseconds).Order().ToList();
        var report = string.Create(CultureInfo.InvariantCulture, $"retry gaps (failure -> next send), ms: before #2 min {first[0]:0} p50 {Percentile(first, 0.5):0} p90 {Percentile(first, 0.9):0}; before #3 min {second[0]:0} p50 {Percentile(second, 0.5):0} p90 {Percentile(second, 0.9):0}");
        fleet.Log(report);
        Assert.True(second[0] > first[0] && Percentile(second, 0.5) > Percentile(first, 0.5), "backoff does not grow: " + report);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
