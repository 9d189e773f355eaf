namespace WorkFleet.Messaging.Recovery;

/// <summary>
/// Decides, without I/O, when a receive endpoint that is down should be restarted in process. MassTransit
/// reconnects a receive endpoint by itself, but with a growing back-off (3 s, 6 s, 12 s, 24 s, then 30 s
/// between attempts, fixed in MassTransit.RabbitMQ 8.5), so after an outage of half a minute it may wait up to
/// 30 s more once the broker is back. Restarting the endpoint cancels that wait and connects at once.
/// </summary>
/// <param name="restartDelay">How long the broker must have accepted connections, and the endpoint been down, before a restart.</param>
/// <param name="cooldown">The least time between two restarts of the same endpoint (it may need a moment to connect).</param>
public sealed class EndpointRestartPolicy(TimeSpan restartDelay, TimeSpan cooldown)
{
    /// <summary>How long the broker must have accepted connections, and the endpoint been down, before a restart.</summary>
    public TimeSpan RestartDelay { get; } = restartDelay;

    /// <summary>The least time between two restarts of the same endpoint.</summary>
    public TimeSpan Cooldown { get; } = cooldown;

    /// <summary>True when an endpoint should be restarted now.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="downSince">Since when the endpoint has been seen not ready.</param>
    /// <param name="brokerUpSince">Since when the broker has been seen accepting connections, or null when it does not.</param>
    /// <param name="lastRestart">When this endpoint was last restarted, or null if never.</param>
    public bool ShouldRestart(DateTimeOffset now, DateTimeOffset downSince, DateTimeOffset? brokerUpSince, DateTimeOffset? lastRestart)
    {
        if (brokerUpSince is not { } up)
        {
            return false; // nothing to connect to: MassTransit's own attempts are as good as ours
        }

        var waitingSince = up > downSince ? up : downSince;
        if (now - waitingSince < RestartDelay)
        {
            return false; // MassTransit may be connecting right now
        }

        return lastRestart is not { } last || now - last >= Cooldown;
    }
}
