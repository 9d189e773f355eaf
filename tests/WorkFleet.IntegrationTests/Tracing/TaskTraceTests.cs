using System.Diagnostics;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests.Tracing;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class TaskTraceTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task TracedSubmit_OneTask_EveryHopInTheProducersTraceShownByTheApi()
    {
        // Arrange
        await using var fleet = await TracedFleet.StartAsync(infrastructure, "trace-one");

        // Act: the producer submits one task under its own span.
        var (taskId, traceId) = await fleet.SubmitTracedAsync(sleepMs: 10);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var outcome = await fleet.Client.WaitAsync(taskId, deadline.Token);

        // Assert: producer, dispatcher, worker and the result's consume, all in the producer's trace ...
        Assert.Equal(TaskOutcome.Succeeded, outcome.Outcome);
        var spans = await fleet.WaitForTraceAsync(traceId, HasEveryHop(taskId), $"every hop of task {taskId} in trace {traceId}");
        var dispatch = spans.Single(s => SpanCollection.IsFleetSpan(s, "dispatch", taskId));
        var send = spans.Single(s => SpanCollection.IsSend(s, nameof(ExecuteTask)));
        Assert.Equal(dispatch.SpanId, send.ParentSpanId);
        var job = spans.Single(s => SpanCollection.IsFleetSpan(s, "job", taskId));
        Assert.Equal(1, job.GetTagItem("workfleet.job.batch_size"));
        Assert.Equal("diagnostics.sleep", job.GetTagItem("workfleet.job.type"));
        Assert.Single(spans, s => SpanCollection.IsConsume(s, "ExecuteTaskConsumer", nameof(ExecuteTask)));

        // The job is the attempt's own child (ExecuteTask.TraceParent), also when it travelled in a batch with others.
        Assert.Equal(dispatch.SpanId, job.ParentSpanId);

        // ... which the API shows as the task's trace id.
        Assert.Equal(traceId.ToHexString(), await fleet.TraceIdFromApiAsync(taskId));
    }

    [Fact]
    public async Task TracedSubmits_SecondWaitsForTheOnlySlot_ItsSendStaysInItsOwnTrace()
    {
        // Arrange: task A holds the worker's only slot.
        await using var fleet = await TracedFleet.StartAsync(infrastructure, "trace-two");
        var (taskA, traceA) = await fleet.SubmitTracedAsync(sleepMs: 1_500);
        await fleet.WaitForTraceAsync(traceA, s => s.Any(x => SpanCollection.IsFleetSpan(x, "dispatch", taskA)), $"task {taskA} sent");

        // Act: task B arrives while A runs, waits in the dispatcher's line and is sent when A's result frees the slot.
        var (taskB, traceB) = await fleet.SubmitTracedAsync(sleepMs: 10);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var outcomes = await Task.WhenAll(fleet.Client.WaitAsync(taskA, deadline.Token), fleet.Client.WaitAsync(taskB, deadline.Token));

        // Assert: B was sent only after A's job ended (one slot), and B's send is in B's trace, none of B's in A's.
        Assert.All(outcomes, o => Assert.Equal(TaskOutcome.Succeeded, o.Outcome));
        var spansA = await fleet.WaitForTraceAsync(traceA, HasEveryHop(taskA), $"every hop of task {taskA}");
        var spansB = await fleet.WaitForTraceAsync(traceB, HasEveryHop(taskB), $"every hop of task {taskB}");
        var jobA = spansA.Single(s => SpanCollection.IsFleetSpan(s, "job", taskA));
        var dispatchB = spansB.Single(s => SpanCollection.IsFleetSpan(s, "dispatch", taskB));
        Assert.True(dispatchB.StartTimeUtc >= jobA.StartTimeUtc + jobA.Duration, "B was sent while A held the only slot");
        Assert.Equal(dispatchB.SpanId, spansB.Single(s => SpanCollection.IsSend(s, nameof(ExecuteTask))).ParentSpanId);
        Assert.DoesNotContain(spansA, s => s.GetTagItem("workfleet.task.id") as string == taskB.ToString());
        Assert.Single(spansA, s => SpanCollection.IsSend(s, nameof(ExecuteTask)));
        Assert.Equal(traceB.ToHexString(), await fleet.TraceIdFromApiAsync(taskB));
    }

    [Fact]
    public async Task TracedSubmit_RetriedFromTheStore_RetryStaysInTheTasksTrace()
    {
        // Arrange
        await using var fleet = await TracedFleet.StartAsync(infrastructure, "trace-retry");

        // Act: attempt 1 fails (retryable); attempt 2 is sent by the retry timer, outside any of the task's spans.
        var (taskId, traceId) = await fleet.SubmitTracedAsync("diagnostics.flaky", """{"failUntilAttempt":2}""");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var outcome = await fleet.Client.WaitAsync(taskId, deadline.Token);

        // Assert: both attempts' dispatch and job spans are in the producer's trace, each send under its dispatch span.
        Assert.Equal(TaskOutcome.Succeeded, outcome.Outcome);
        Assert.Equal(2, outcome.Attempt);
        // A dispatch span ends when the broker confirms the send, which may be after the worker's job has ended: wait for
        // both attempts' dispatch spans as well as both jobs.
        var spans = await fleet.WaitForTraceAsync(
            traceId,
            s => s.Count(x => SpanCollection.IsFleetSpan(x, "job", taskId)) == 2
                && s.Count(x => SpanCollection.IsFleetSpan(x, "dispatch", taskId)) == 2
                && HasEveryHop(taskId)(s),
            $"both attempts of task {taskId}");
        var dispatches = spans.Where(s => SpanCollection.IsFleetSpan(s, "dispatch", taskId)).ToList();
        Assert.Equal([1, 2], dispatches.Select(d => (int)d.GetTagItem("workfleet.task.attempt")!).Order());
        var sends = spans.Where(s => SpanCollection.IsSend(s, nameof(ExecuteTask))).Select(s => s.ParentSpanId).ToHashSet();
        Assert.All(dispatches, d => Assert.Contains(d.SpanId, sends));
        Assert.Equal(traceId.ToHexString(), await fleet.TraceIdFromApiAsync(taskId));
    }

    /// <summary>
    /// The producer's send of SubmitTask, the dispatcher's consume of it, its dispatch span and send of ExecuteTask, the
    /// worker's consume and job span, and the dispatcher's consume of the result.
    /// </summary>
    private static Func<IReadOnlyList<Activity>, bool> HasEveryHop(Guid taskId) => spans =>
        spans.Any(s => SpanCollection.IsSend(s, nameof(SubmitTask)))
        && spans.Any(s => SpanCollection.IsConsume(s, "SubmitTaskConsumer", nameof(SubmitTask)))
        && spans.Any(s => SpanCollection.IsFleetSpan(s, "dispatch", taskId))
        && spans.Any(s => SpanCollection.IsSend(s, nameof(ExecuteTask)))
        && spans.Any(s => SpanCollection.IsConsume(s, "ExecuteTaskConsumer", nameof(ExecuteTask)))
        && spans.Any(s => SpanCollection.IsFleetSpan(s, "job", taskId))
        && spans.Any(s => SpanCollection.IsConsume(s, "TaskResultConsumer", nameof(TaskCompleted)));
}
