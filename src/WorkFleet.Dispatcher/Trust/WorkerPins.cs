namespace WorkFleet.Dispatcher.Trust;

/// <summary>
/// The rule of <see cref="SenderTrustOptions.PinnedWorkers"/> (pure): a pinned worker id is spoken for only by its
/// user, and a user pinned to some workers speaks for those only.
/// </summary>
public static class WorkerPins
{
    /// <summary>Why <paramref name="sender"/> may not speak for <paramref name="workerId"/>, or null when the pins allow it.</summary>
    /// <param name="pins">Worker id to the broker user that serves it.</param>
    /// <param name="workerId">The worker the message names.</param>
    /// <param name="sender">The broker-validated user that sent it.</param>
    public static string? Problem(IDictionary<string, string> pins, string workerId, string sender)
    {
        ArgumentNullException.ThrowIfNull(pins);
        if (pins.TryGetValue(workerId, out var owner))
        {
            return string.Equals(owner, sender, StringComparison.Ordinal)
                ? null
                : $"worker '{workerId}' is pinned to broker user '{owner}' (WorkFleet:Dispatcher:Trust:PinnedWorkers), but broker user '{sender}' sent it";
        }

        var own = pins.Where(p => string.Equals(p.Value, sender, StringComparison.Ordinal)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        return own.Count == 0
            ? null
            : $"broker user '{sender}' is pinned to worker(s) {string.Join(", ", own.Select(id => $"'{id}'"))} (WorkFleet:Dispatcher:Trust:PinnedWorkers), not '{workerId}'";
    }

    /// <summary>Whether <paramref name="user"/> serves a pinned worker.</summary>
    public static bool IsPinnedUser(IDictionary<string, string> pins, string user)
    {
        ArgumentNullException.ThrowIfNull(pins);
        return pins.Values.Contains(user, StringComparer.Ordinal);
    }
}
