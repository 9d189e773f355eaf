using System.Text.Json;
using WorkFleet.Contracts;
using WorkFleet.Worker.Execution;
using WorkFleet.Worker.Tests.Support;

namespace WorkFleet.Worker.Tests.Execution;

/// <summary>
/// The worker's result sender: a result goes alone when nothing is being sent; results that finish while a send is
/// in flight wait for it and go together in one batch; each caller is released by the send that carried its result.
/// </summary>
public sealed class ResultSenderTests
{
    private const string WorkerId = "w-results";
    private readonly GatedSend _send = new();
    private readonly List<int> _sizes = [];
    private readonly ResultSender _sender;

    public ResultSenderTests() => _sender = new ResultSender(WorkerId, sent: size => { lock (_sizes) { _sizes.Add(size); } });

    [Fact]
    public async Task Send_NothingInFlight_GoesAloneAsThePlainResult_AndCompletesWhenSent()
    {
        var result = Completed(1);

        var sending = _sender.SendAsync(result, _send.SendAsync);
        var held = await _send.NextAsync();

        Assert.Same(result, held.Message);
        Assert.False(sending.IsCompleted, "the caller must wait until its result is on the broker");
        held.Done.SetResult();
        await Deadline.Within(sending);
        Assert.Equal([1], _sizes);
    }

    [Fact]
    public async Task Send_WhileASendIsInFlight_LaterResultsWaitForItAndGoTogetherInOneBatch()
    {
        // Arrange: the first result's send is in flight.
        var first = _sender.SendAsync(Completed(1), _send.SendAsync);
        var firstHeld = await _send.NextAsync();

        // Act: three more finish meanwhile.
        var second = _sender.SendAsync(Completed(2), _send.SendAsync);
        var third = _sender.SendAsync(Failed(3), _send.SendAsync);
        var fourth = _sender.SendAsync(Completed(4), _send.SendAsync);

        // Assert: nothing else is sent and nobody is released until the first send completes.
        Assert.False(_send.HasWaiting);
        Assert.All(new[] { first, second, third, fourth }, t => Assert.False(t.IsCompleted));
        firstHeld.Done.SetResult();
        await Deadline.Within(first);

        var batchHeld = await _send.NextAsync();
        var batch = Assert.IsType<TaskResultBatch>(batchHeld.Message);
        Assert.Equal(WorkerId, batch.WorkerId);
        Assert.Equal([Id(2), Id(4)], batch.Completed.Select(c => c.TaskId));
        Assert.Equal([Id(3)], batch.Failed.Select(f => f.TaskId));
        Assert.All(new[] { second, third, fourth }, t => Assert.False(t.IsCompleted));

        batchHeld.Done.SetResult();
        await Deadline.Within(Task.WhenAll(second, third, fourth));
        Assert.Equal([1, 3], _sizes);
    }

    [Fact]
    public async Task Send_BatchSendFails_EveryWaiterOfThatBatchFails_AndLaterResultsStillGo()
    {
        var first = _sender.SendAsync(Completed(1), _send.SendAsync);
        var firstHeld = await _send.NextAsync();
        var second = _sender.SendAsync(Completed(2), _send.SendAsync);
        var third = _sender.SendAsync(Failed(3), _send.SendAsync);
        firstHeld.Done.SetResult();
        await Deadline.Within(first);

        var batchHeld = await _send.NextAsync();
        var broken = new InvalidOperationException("broker connection lost");
        batchHeld.Done.SetException(broken);

        Assert.Same(broken, await Assert.ThrowsAsync<InvalidOperationException>(() => Deadline.Within(second)));
        Assert.Same(broken, await Assert.ThrowsAsync<InvalidOperationException>(() => Deadline.Within(third)));

        var later = _sender.SendAsync(Completed(4), _send.SendAsync);
        var laterHeld = await _send.NextAsync();
        Assert.Equal(Id(4), Assert.IsType<TaskCompleted>(laterHeld.Message).TaskId);
        laterHeld.Done.SetResult();
        await Deadline.Within(later);
    }

    [Fact]
    public async Task Send_ASendTheBrokerNeverConfirms_FailsAtItsDeadline_AndTheResultsBehindItStillGo()
    {
        // Arrange: the first send is never confirmed (RabbitMQ.Client 7.2.2 after a broker restart); the worker bounds
        // every result send with its confirm deadline.
        var deadline = TimeSpan.FromMilliseconds(300);
        Func<object, Task> bounded = message => WorkFleet.Messaging.BrokerConfirmation.WithinAsync(deadline, _ => _send.SendAsync(message));
        var hung = _sender.SendAsync(Completed(1), bounded);
        var neverConfirmed = await _send.NextAsync();
        var behind = _sender.SendAsync(Completed(2), bounded);

        // Act / Assert: the hung send fails its caller, then the result that waited behind it goes and lands.
        await Assert.ThrowsAsync<WorkFleet.Messaging.SendNotConfirmedException>(() => Deadline.Within(hung));
        var next = await _send.NextAsync();
        Assert.Equal(Id(2), Assert.IsType<TaskCompleted>(next.Message).TaskId);
        next.Done.SetResult();
        await Deadline.Within(behind);
        Assert.False(neverConfirmed.Done.Task.IsCompleted);
    }

    [Fact]
    public async Task Send_MoreWaitingThanABatchHolds_SplitsAtMaxItemsInArrivalOrder()
    {
        var first = _sender.SendAsync(Completed(0), _send.SendAsync);
        var firstHeld = await _send.NextAsync();
        var waiting = Enumerable.Range(1, ResultSender.MaxItems + 6).Select(i => _sender.SendAsync(Completed(i), _send.SendAsync)).ToList();
        firstHeld.Done.SetResult();

        var full = await _send.NextAsync();
        full.Done.SetResult();
        var rest = await _send.NextAsync();
        rest.Done.SetResult();

        await Deadline.Within(Task.WhenAll(waiting));
        Assert.Equal(Enumerable.Range(1, ResultSender.MaxItems).Select(Id), Assert.IsType<TaskResultBatch>(full.Message).Completed.Select(c => c.TaskId));
        Assert.Equal(Enumerable.Range(ResultSender.MaxItems + 1, 6).Select(Id), Assert.IsType<TaskResultBatch>(rest.Message).Completed.Select(c => c.TaskId));
    }

    [Fact]
    public async Task Send_AResultOverThePayloadCap_GoesAlone_BetweenTheBatchesBeforeAndAfterIt()
    {
        var first = _sender.SendAsync(Completed(0), _send.SendAsync);
        var firstHeld = await _send.NextAsync();
        var waiting = new[]
        {
            _sender.SendAsync(Completed(1), _send.SendAsync),
            _sender.SendAsync(Completed(2), _send.SendAsync),
            _sender.SendAsync(Completed(3, new string('x', ResultSender.MaxPayloadBytes)), _send.SendAsync),
            _sender.SendAsync(Completed(4), _send.SendAsync),
            _sender.SendAsync(Failed(5), _send.SendAsync),
        };
        firstHeld.Done.SetResult();

        var sent = new List<object>();
        for (var i = 0; i < 3; i++)
        {
            var held = await _send.NextAsync();
            sent.Add(held.Message);
            held.Done.SetResult();
        }

        await Deadline.Within(Task.WhenAll(waiting));
        Assert.Equal([Id(1), Id(2)], Assert.IsType<TaskResultBatch>(sent[0]).Completed.Select(c => c.TaskId));
        Assert.Equal(Id(3), Assert.IsType<TaskCompleted>(sent[1]).TaskId);
        var after = Assert.IsType<TaskResultBatch>(sent[2]);
        Assert.Equal([Id(4), Id(5)], after.Completed.Select(c => c.TaskId).Concat(after.Failed.Select(f => f.TaskId)));
    }

    [Fact]
    public async Task Send_MaxItemsOne_EveryResultGoesAloneInArrivalOrder()
    {
        var sender = new ResultSender(WorkerId, maxItems: 1);
        var first = sender.SendAsync(Completed(1), _send.SendAsync);
        var firstHeld = await _send.NextAsync();
        var second = sender.SendAsync(Failed(2), _send.SendAsync);
        var third = sender.SendAsync(Completed(3), _send.SendAsync);
        firstHeld.Done.SetResult();

        var secondHeld = await _send.NextAsync();
        secondHeld.Done.SetResult();
        var thirdHeld = await _send.NextAsync();
        thirdHeld.Done.SetResult();

        await Deadline.Within(Task.WhenAll(first, second, third));
        Assert.Equal(Id(2), Assert.IsType<TaskFailed>(secondHeld.Message).TaskId);
        Assert.Equal(Id(3), Assert.IsType<TaskCompleted>(thirdHeld.Message).TaskId);
    }

    private static Guid Id(int n) => new(n, 0, 0, new byte[8]);

    private static TaskCompleted Completed(int n, string? text = null) => new()
    {
        TaskId = Id(n),
        Attempt = 1,
        WorkerId = WorkerId,
        Result = JsonSerializer.SerializeToElement(new { n, text }),
    };

    private static TaskFailed Failed(int n) => new()
    {
        TaskId = Id(n),
        Attempt = 1,
        WorkerId = WorkerId,
        Error = $"task {n} failed",
        ErrorKind = ErrorKinds.HandlerError,
    };
}
