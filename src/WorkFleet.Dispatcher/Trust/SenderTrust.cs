using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Dispatcher.Trust;

/// <summary>
/// Decides whether a heartbeat or a result from a worker is believed: it must pass <see cref="HeartbeatScreen"/>
/// (heartbeats), carry the broker-validated user that sent it (on RabbitMQ), come from an allowed worker user, from
/// the user a pinned worker is pinned to (<see cref="WorkerPins"/>), and from the user bound to the worker id it
/// names (<see cref="WorkerIdentities"/>). What is refused is logged with
/// its reason and counted (<c>workfleet_messages_refused_total</c>); it changes nothing.
/// </summary>
public sealed class SenderTrust(
    IOptions<SenderTrustOptions> options,
    WorkerIdentities identities,
    TransportOptions transport,
    DispatcherMetrics metrics,
    TimeProvider clock,
    ILogger<SenderTrust> logger)
{
    private readonly bool _identityRequired = options.Value.RequireSenderIdentity && transport.Kind == TransportKind.RabbitMq;

    /// <summary>Whether the heartbeat being consumed is believed.</summary>
    public bool Believes(ConsumeContext context, WorkerHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(heartbeat);
        var problem = HeartbeatScreen.Problem(heartbeat, clock.GetUtcNow(), options.Value) ?? SenderProblem(context, heartbeat.WorkerId);
        return Verdict(problem, "heartbeat", heartbeat.WorkerId, context);
    }

    /// <summary>Whether the report (start, success, failure) of <paramref name="workerId"/> being consumed is believed.</summary>
    public bool Believes(ConsumeContext context, string workerId, Guid taskId)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Verdict(SenderProblem(context, workerId), $"result for task {taskId}", workerId, context);
    }

    /// <summary>Whether a batch of <paramref name="count"/> results sent as worker <paramref name="workerId"/> is believed.</summary>
    public bool BelievesBatch(ConsumeContext context, string workerId, int count)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Verdict(SenderProblem(context, workerId), $"batch of {count} results", workerId, context);
    }

    private string? SenderProblem(ConsumeContext context, string workerId)
    {
        var sender = SenderIdentity.Of(context);
        if (sender is null)
        {
            return _identityRequired ? "it carries no broker-validated user-id (every WorkFleet worker sets it)" : null;
        }

        var allowed = options.Value.WorkerUsers;
        var pins = options.Value.PinnedWorkers;
        if (allowed.Count > 0 && !allowed.Contains(sender, StringComparer.Ordinal) && !WorkerPins.IsPinnedUser(pins, sender))
        {
            return $"broker user '{sender}' is not one of WorkFleet:Dispatcher:Trust:WorkerUsers";
        }

        if (WorkerPins.Problem(pins, workerId, sender) is { } pinProblem)
        {
            return pinProblem;
        }

        return identities.TryClaim(workerId, sender, out var owner)
            ? null
            : $"it was sent by broker user '{sender}', but worker '{workerId}' belongs to '{owner}'";
    }

    private bool Verdict(string? problem, string what, string workerId, ConsumeContext context)
    {
        if (problem is null)
        {
            return true;
        }

        metrics.MessageRefused();
        logger.LogWarning("Refused a {What} naming worker '{WorkerId}' (message {MessageId}): {Problem}", what, workerId, context.MessageId, problem);
        return false;
    }
}
