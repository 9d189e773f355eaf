namespace WorkFleet.Messaging;

/// <summary>
/// Bounds how long a send waits for the broker to take the message. RabbitMQ.Client 7.2.2, the newest this project may
/// use, can leave a publisher confirmation waiting for ever when the connection drops during the publish
/// (rabbitmq-dotnet-client#1930, fixed after 7.2.2). Such a send never completes and never fails, and everything queued
/// behind it waits with it: found in the chaos suite as a worker whose result send hung across a broker restart, holding
/// up every later result of that worker while it kept heartbeating. Every send that must land goes through here and
/// fails with <see cref="SendNotConfirmedException"/> after the deadline, so its caller handles it as any failed send.
/// </summary>
public static class BrokerConfirmation
{
    /// <summary>
    /// Runs <paramref name="send"/> with a token cancelled after <paramref name="deadline"/> (or with
    /// <paramref name="cancellationToken"/>), and stops waiting then even if the send ignores the token.
    /// </summary>
    /// <exception cref="SendNotConfirmedException">The send did not complete within <paramref name="deadline"/>.</exception>
    public static async Task WithinAsync(TimeSpan deadline, Func<CancellationToken, Task> send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(deadline);
        try
        {
            await send(limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SendNotConfirmedException(deadline);
        }
    }
}
