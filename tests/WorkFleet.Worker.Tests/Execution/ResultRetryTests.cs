using Microsoft.Extensions.Time.Testing;
using WorkFleet.Messaging;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Tests.Execution;

/// <summary>
/// <see cref="ResultRetry"/>: a result send that failed (a broker that did not confirm it in time) is tried again after
/// 1, 2, 3, 4 s, up to 5 sends; once the host stops no further try is made.
/// </summary>
public sealed class ResultRetryTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly List<TimeSpan> _delays = [];
    private int _sends;

    [Fact]
    public async Task SendAsync_FailsTwiceThenLands_SendsThreeTimes_WaitingOneThenTwoSeconds()
    {
        var sending = ResultRetry.SendAsync(FailingFirst(2), Retrying, _clock, CancellationToken.None);

        await AdvanceUntilAsync(() => _sends == 3, sending);

        await Deadline.Within(sending);
        Assert.Equal(3, _sends);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _delays);
    }

    [Fact]
    public async Task SendAsync_NeverLands_ThrowsTheLastFailureAfterFiveSends()
    {
        var sending = ResultRetry.SendAsync(FailingFirst(int.MaxValue), Retrying, _clock, CancellationToken.None);

        await AdvanceUntilAsync(() => sending.IsCompleted, sending);

        await Assert.ThrowsAsync<SendNotConfirmedException>(() => sending);
        Assert.Equal(ResultRetry.Tries, _sends);
        Assert.Equal(ResultRetry.Tries - 1, _delays.Count);
    }

    [Fact]
    public async Task SendAsync_HostStopping_NoFurtherTry_TheFailureIsThrown()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        await Assert.ThrowsAsync<SendNotConfirmedException>(() => ResultRetry.SendAsync(FailingFirst(int.MaxValue), Retrying, _clock, stopping.Token));

        Assert.Equal(1, _sends);
        Assert.Empty(_delays);
    }

    private Func<Task> FailingFirst(int failures) => () =>
    {
        var send = Interlocked.Increment(ref _sends);
        return send <= failures ? Task.FromException(new SendNotConfirmedException(TimeSpan.FromSeconds(15))) : Task.CompletedTask;
    };

    private void Retrying(Exception error, TimeSpan delay)
    {
        Assert.IsType<SendNotConfirmedException>(error);
        lock (_delays)
        {
            _delays.Add(delay);
        }
    }

    // Moves the fake clock a second at a time until the condition holds (the retry's wait runs on that clock).
    private async Task AdvanceUntilAsync(Func<bool> done, Task sending)
    {
        for (var step = 0; step < 60 && !done(); step++)
        {
            await Task.Yield();
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(sending, Task.Delay(10));
        }
    }
}
