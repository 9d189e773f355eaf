using WorkFleet.Messaging;

namespace WorkFleet.Contracts.Tests;

/// <summary>
/// <see cref="BrokerConfirmation"/>: a send the broker never confirms (RabbitMQ.Client 7.2.2 after a connection drop)
/// fails after its deadline instead of waiting for ever; a send that completes, or a caller that cancels, is unchanged.
/// </summary>
public sealed class BrokerConfirmationTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task WithinAsync_SendNeverCompletesNorObservesItsToken_FailsNamingTheDeadlineAndTheSetting()
    {
        var neverConfirmed = new TaskCompletionSource();

        var failure = await Assert.ThrowsAsync<SendNotConfirmedException>(() => BrokerConfirmation.WithinAsync(Short, _ => neverConfirmed.Task));

        Assert.Equal(Short, failure.Deadline);
        Assert.Contains("0.2 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConfirmTimeout", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithinAsync_SendThatWaitsOnItsToken_TheTokenIsCancelledAtTheDeadline()
    {
        var sendToken = new TaskCompletionSource<CancellationToken>();

        await Assert.ThrowsAsync<SendNotConfirmedException>(() => BrokerConfirmation.WithinAsync(Short, async token =>
        {
            sendToken.SetResult(token);
            await Task.Delay(Timeout.Infinite, token);
        }));

        Assert.True((await sendToken.Task).IsCancellationRequested, "the send's own wait must be cancelled too, not only abandoned");
    }

    [Fact]
    public async Task WithinAsync_SendCompletes_Completes()
    {
        var sent = 0;

        await BrokerConfirmation.WithinAsync(TimeSpan.FromMinutes(1), async _ =>
        {
            await Task.Yield();
            sent++;
        });

        Assert.Equal(1, sent);
    }

    [Fact]
    public async Task WithinAsync_SendFails_ItsOwnExceptionPassesThrough()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => BrokerConfirmation.WithinAsync(
            TimeSpan.FromMinutes(1), _ => Task.FromException(new InvalidOperationException("channel closed"))));

        Assert.Equal("channel closed", failure.Message);
    }

    [Fact]
    public async Task WithinAsync_CallerCancels_IsACancellationNotATimeout()
    {
        using var caller = new CancellationTokenSource();
        var neverConfirmed = new TaskCompletionSource();

        var sending = BrokerConfirmation.WithinAsync(TimeSpan.FromMinutes(1), _ => neverConfirmed.Task, caller.Token);
        await caller.CancelAsync();

        // A cancellation (which a SendNotConfirmedException, a TimeoutException, is not), and at once, not after a minute.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
