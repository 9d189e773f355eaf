namespace WorkFleet.Worker.Execution;

/// <summary>
/// Sends a result until the broker takes it: a send that failed (e.g. one the broker did not confirm in time,
/// <see cref="Messaging.BrokerConfirmation"/>) is tried again after 1, 2, 3, 4 s, as the dispatcher fences a result that
/// lands twice. Failing the delivery instead could move the attempt to the worker's error queue, where nothing would
/// ever end it. After <see cref="Tries"/> sends, or once the host stops, the last failure is thrown: the delivery then
/// stays unacknowledged and the broker delivers it again.
/// </summary>
public static class ResultRetry
{
    /// <summary>Most sends of one result.</summary>
    public const int Tries = 5;

    /// <summary>Runs <paramref name="send"/> until it succeeds; <paramref name="retrying"/> is told each failure retried.</summary>
    public static async Task SendAsync(Func<Task> send, Action<Exception, TimeSpan> retrying, TimeProvider clock, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(retrying);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await send();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < Tries && !stopping.IsCancellationRequested)
            {
                var delay = TimeSpan.FromSeconds(attempt);
                retrying(ex, delay);
                await Task.Delay(delay, clock, stopping);
            }
        }
    }
}
