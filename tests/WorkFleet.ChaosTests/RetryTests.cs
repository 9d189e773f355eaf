using System.Globalization;
using WorkFleet.Data.Entities;

namespace WorkFleet.ChaosTests;

/// <summary>Retryable handler failures are retried with exponential backoff kept in the database.</summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class RetryTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int TaskCount = 1000;
    private static readonly string[] WorkerIds = ["w1", "w2", "w3"];

    // Clock and timestamp resolution between the dispatcher's "due" and "sent again" times.
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
        var backoffs = new List<(double First, double Second)>();
        var waits = new List<(double First, double Second)>();
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

            if (attempts[0] is not { CompletedAt: { } failed1, RetryAt: { } due2 } || attempts[1] is not { CompletedAt: { } failed2, RetryAt: { } due3 })
            {
                problems.Add($"{task.Id}: a failed attempt has no completed_at or retry_at; attempts: {shape}");
                continue;
            }

            // The stored backoff is the policy's: base x 2^(n-1), within its +-25 % jitter ...
            var backoff = (First: due2 - failed1, Second: due3 - failed2);
            backoffs.Add((backoff.First.TotalMilliseconds, backoff.Second.TotalMilliseconds));
            if (!Within(backoff.First, HostSettings.RetryBaseDelay) || !Within(backoff.Second, HostSettings.RetryBaseDelay * 2))
            {
                problems.Add($"{task.Id}: backoff {backoff.First.TotalMilliseconds:0} ms then {backoff.Second.TotalMilliseconds:0} ms; expected {HostSettings.RetryBaseDelay.TotalMilliseconds:0} then {HostSettings.RetryBaseDelay.TotalMilliseconds * 2:0} ms +-25 %");
            }

            // ... and no retry was sent before it was due (waiting for a free slot only adds to it).
            waits.Add(((attempts[1].DispatchedAt - failed1).TotalMilliseconds, (attempts[2].DispatchedAt - failed2).TotalMilliseconds));
            if (attempts[1].DispatchedAt < due2 - Tolerance || attempts[2].DispatchedAt < due3 - Tolerance)
            {
                problems.Add($"{task.Id}: retried before its backoff ran out: attempt 2 sent {(attempts[1].DispatchedAt - due2).TotalMilliseconds:0} ms after due, attempt 3 {(attempts[2].DispatchedAt - due3).TotalMilliseconds:0} ms after due");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} task(s) broke the retry rules; first 20:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}{Environment.NewLine}{audit.Summary()}");

        // Backoff visible in the attempt history: it doubles from the first retry to the second.
        var first = backoffs.Select(b => b.First).Order().ToList();
        var second = backoffs.Select(b => b.Second).Order().ToList();
        var firstWait = waits.Select(w => w.First).Order().ToList();
        var secondWait = waits.Select(w => w.Second).Order().ToList();
        var report = string.Create(CultureInfo.InvariantCulture,
            $"stored backoff, ms: before #2 {first[0]:0}..{first[^1]:0} (p50 {Percentile(first, 0.5):0}), before #3 {second[0]:0}..{second[^1]:0} (p50 {Percentile(second, 0.5):0}); ")
            + string.Create(CultureInfo.InvariantCulture,
            $"failure -> next send incl. waiting for a slot, p50/p90 ms: #2 {Percentile(firstWait, 0.5):0}/{Percentile(firstWait, 0.9):0}, #3 {Percentile(secondWait, 0.5):0}/{Percentile(secondWait, 0.9):0}");
        fleet.Log(report);
        Assert.True(Percentile(second, 0.5) > 1.5 * Percentile(first, 0.5), "backoff does not grow: " + report);
    }

    private static bool Within(TimeSpan actual, TimeSpan nominal) =>
        actual >= (nominal * 0.75) - Tolerance && actual <= (nominal * 1.25) + Tolerance;

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
