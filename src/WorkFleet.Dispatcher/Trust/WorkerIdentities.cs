using System.Collections.Concurrent;

namespace WorkFleet.Dispatcher.Trust;

/// <summary>
/// Binds each worker id to the broker user that sent its first accepted heartbeat; later heartbeats and results
/// for that id are believed only from the same user. A user per worker makes the binding per worker; a user
/// shared by all workers (the compose default) makes it per role. In memory: after a restart the binding is
/// made again by the next heartbeat of each worker.
/// </summary>
public sealed class WorkerIdentities
{
    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="sender"/> may speak for <paramref name="workerId"/> in a heartbeat: the first
    /// sender binds the id, later ones must match it.
    /// </summary>
    public bool TryClaim(string workerId, string sender, out string owner)
    {
        owner = _owners.GetOrAdd(workerId, sender);
        return string.Equals(owner, sender, StringComparison.Ordinal);
    }

    /// <summary>The user bound to <paramref name="workerId"/>, or null when no heartbeat of it was accepted yet.</summary>
    public string? OwnerOf(string workerId) => _owners.TryGetValue(workerId, out var owner) ? owner : null;
}
