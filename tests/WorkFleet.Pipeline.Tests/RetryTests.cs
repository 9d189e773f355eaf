using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests;

public sealed class RetryTests
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);

    // The backoff is computed from the result's arrival; allow for the store's clock being read apart from it.
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task TransientFailureTwice_SucceedsAtAttempt3_EarlierAttemptsFailedWithTheirBackoffStored()
    {
        // Arrange
        await using var fleet = await InProcessFleet.StartAsync(new FleetSetup
        {
            Dispatcher = o => (o.RetryBaseDelay, o.RetryMaxDelay, o.MaxAttempts) = (BaseDelay, TimeSpan.FromSeconds(1), 5),
        });
        var task = fleet.Client.CreateTask(FlakyJob.Type, FlakyJob.Payload(failures: 2));

        // Act
        await fleet.Client.SubmitAsync(task);
        var finished = await fleet.OutcomeAsync(task.TaskId);

        // Assert: one outcome, decided by the third attempt.
        Assert.Equal((TaskOutcome.Succeeded, 3), (finished.Outcome, finished.Attempt));
        Assert.Equal(3, finished.Result?.GetProperty("call").GetInt32());
        var stored = await fleet.FindTaskAsync(task.TaskId);
        Assert.Equal((TaskState.Succeeded, 3), (stored!.Status, stored.Attempt));
        Assert.Equal(3, fleet.Jobs.Calls(task.TaskId));

        // ... each failed attempt kept its error and when the next one was due: base × 2^(n−1) ± 25 % after its
        // result arrived, and the next attempt was not sent before that.
        var attempts = await fleet.AttemptsAsync(task.TaskId);
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        for (var n = 1; n <= 2; n++)
        {
            var failed = attempts[n - 1];
            Assert.Equal((AttemptState.Failed, "transient"), (failed.Status, failed.ErrorKind));
            Assert.Contains($"call {n} fails on purpose", failed.Error, StringComparison.Ordinal);
            Assert.NotNull(failed.RetryAt);
            var backoff = failed.RetryAt.Value - failed.CompletedAt!.Value;
            var nominal = BaseDelay * Math.Pow(2, n - 1);
            Assert.InRange(backoff, (nominal * 0.75) - ClockSlack, (nominal * 1.25) + ClockSlack);
            Assert.True(attempts[n].DispatchedAt >= failed.RetryAt.Value, $"attempt {n + 1} sent at {attempts[n].DispatchedAt:O}, due at {failed.RetryAt:O}");
        }

        Assert.Equal(AttemptState.Succeeded, attempts[2].Status);
        Assert.Null(attempts[2].RetryAt);
    }
}
