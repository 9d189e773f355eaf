namespace WorkFleet.Messaging.Security;

/// <summary>A broker user of the fleet.</summary>
/// <param name="Name">User name, e.g. <c>workfleet-worker</c>.</param>
/// <param name="Role">Its role, a key of <see cref="BrokerRoles.All"/>.</param>
/// <param name="Password">Its password (only its hash is written).</param>
/// <param name="WorkerId">
/// For a worker user that serves one worker only: that worker's id (its permissions are <see cref="BrokerRoles.OfWorker"/>);
/// null for a user shared by its role.
/// </param>
public sealed record BrokerUser(string Name, string Role, string Password, string? WorkerId = null)
{
    /// <summary>The user's permissions.</summary>
    /// <exception cref="ArgumentException">A worker id on a user whose role is not worker, or an unknown role.</exception>
    public BrokerPermissions Permissions => WorkerId switch
    {
        null => BrokerRoles.Of(Role, Name),
        _ when Role == BrokerRoles.Worker => BrokerRoles.OfWorker(WorkerId),
        _ => throw new ArgumentException($"User '{Name}' names worker '{WorkerId}' but its role is '{Role}', not '{BrokerRoles.Worker}'."),
    };
}
