namespace WorkFleet.Messaging.Hosting;

/// <summary>A broker role (<see cref="Security.BrokerRoles"/>) whose permissions this host's broker user needs.</summary>
/// <param name="Name">The role's name, e.g. <c>worker</c>.</param>
public sealed record HostBrokerRole(string Name);
