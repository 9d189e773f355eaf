using System.Text.RegularExpressions;
using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Trust;

/// <summary>
/// Sanity checks of a worker heartbeat that no honest worker fails (pure): a worker id usable as a queue name,
/// the queue its id implies (so a heartbeat cannot point tasks at another queue), capacity, weight and counts
/// within bounds, and timestamps near this dispatcher's clock.
/// </summary>
public static partial class HeartbeatScreen
{
    /// <summary>The longest worker id accepted.</summary>
    public const int MaxWorkerIdLength = 128;

    /// <summary>Why <paramref name="heartbeat"/> is refused, or null when it passes.</summary>
    public static string? Problem(WorkerHeartbeat heartbeat, DateTimeOffset now, SenderTrustOptions limits)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentNullException.ThrowIfNull(limits);
        if (string.IsNullOrEmpty(heartbeat.WorkerId) || heartbeat.WorkerId.Length > MaxWorkerIdLength || !WorkerIdPattern().IsMatch(heartbeat.WorkerId))
        {
            return $"worker id must be 1..{MaxWorkerIdLength} characters of letters, digits, '.', '_' or '-'";
        }

        if (heartbeat.QueueName != QueueNames.ForWorker(heartbeat.WorkerId))
        {
            return $"queue '{heartbeat.QueueName}' is not the worker's own queue '{QueueNames.ForWorker(heartbeat.WorkerId)}'";
        }

        if (heartbeat.Capacity < 0 || heartbeat.Capacity > limits.MaxCapacity)
        {
            return $"capacity {heartbeat.Capacity} is outside 0..{limits.MaxCapacity}";
        }

        if (!double.IsFinite(heartbeat.Weight) || heartbeat.Weight <= 0 || heartbeat.Weight > limits.MaxWeight)
        {
            return $"weight {heartbeat.Weight} is outside (0, {limits.MaxWeight}]";
        }

        if (heartbeat.InFlight < 0 || heartbeat.Queued < 0 || heartbeat.CompletedTotal < 0 || heartbeat.FailedTotal < 0)
        {
            return "task counts must not be negative";
        }

        if (heartbeat.JobTypes.Count > limits.MaxAnnouncedNames || heartbeat.Capabilities.Count > limits.MaxAnnouncedNames)
        {
            return $"more than {limits.MaxAnnouncedNames} job types or capabilities";
        }

        if ((heartbeat.SentAt - now).Duration() > limits.MaxClockSkew)
        {
            return $"sent at {heartbeat.SentAt:O}, more than {limits.MaxClockSkew} from this dispatcher's clock ({now:O})";
        }

        if (heartbeat.StartedAt - now > limits.MaxClockSkew || heartbeat.StartedAt > heartbeat.SentAt + limits.MaxClockSkew)
        {
            return $"started at {heartbeat.StartedAt:O}, in the future";
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkerIdPattern();
}
