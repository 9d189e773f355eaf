namespace WorkFleet.Messaging.Hosting;

/// <summary>A queue whose consumer proves that a role still consumes (see <see cref="ReceiveEndpointWatchdog"/>).</summary>
/// <param name="Queue">The queue this process consumes from.</param>
/// <param name="Role">Who consumes, for log lines, e.g. <c>dispatcher d-1</c> or <c>worker gpu-1</c>.</param>
/// <param name="RecoveryTimeout">How long the broker may be reachable while the queue has no consumer before the process stops.</param>
public sealed record WatchedQueue(string Queue, string Role, TimeSpan RecoveryTimeout);
