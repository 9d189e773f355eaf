using WorkFleet.Messaging.Security;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>
/// The broker users of one chaos fleet's virtual host: one per role with the permissions of <see cref="BrokerRoles"/>,
/// as the definitions file provisions them for a real fleet, and the fixture's administrator for the test's own checks.
/// </summary>
/// <param name="Admin">The fixture's administrator: only the test's audits and probes (queue counts, consumers) use it.</param>
/// <param name="Dispatcher">The dispatchers' user.</param>
/// <param name="Worker">The workers' user (worker processes and worker containers).</param>
/// <param name="Producer">The producer's user (<see cref="TaskSubmitter"/>, raw submits).</param>
public sealed record FleetBrokerUsers(RabbitMqEndpoint Admin, RabbitMqEndpoint Dispatcher, RabbitMqEndpoint Worker, RabbitMqEndpoint Producer)
{
    /// <summary>Creates the role users on the virtual host of <paramref name="admin"/>.</summary>
    /// <param name="infrastructure">The servers.</param>
    /// <param name="admin">The test's virtual host as the administrator.</param>
    public static async Task<FleetBrokerUsers> CreateAsync(InfrastructureFixture infrastructure, RabbitMqEndpoint admin)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        return new FleetBrokerUsers(
            admin,
            await infrastructure.CreateRoleUserAsync(admin, BrokerRoles.Dispatcher),
            await infrastructure.CreateRoleUserAsync(admin, BrokerRoles.Worker),
            await infrastructure.CreateRoleUserAsync(admin, BrokerRoles.Producer));
    }
}
