namespace WorkFleet.Messaging.Security;

/// <summary>A broker user of the fleet.</summary>
/// <param name="Name">User name, e.g. <c>workfleet-worker</c>.</param>
/// <param name="Role">Its role, a key of <see cref="BrokerRoles.All"/>.</param>
/// <param name="Password">Its password (only its hash is written).</param>
public sealed record BrokerUser(string Name, string Role, string Password);
