using WorkFleet.Messaging.Security;

namespace WorkFleet.Testing.Infrastructure;

/// <summary>Broker users of one test's virtual host, each with its role's permissions from <see cref="BrokerRoles"/>.</summary>
public static class BrokerRoleUserExtensions
{
    /// <summary>
    /// Creates the user <c>{vhost}-{name}</c> (a random password) with <paramref name="role"/>'s permissions on
    /// <paramref name="virtualHost"/>'s virtual host and returns the endpoint as that user.
    /// </summary>
    /// <param name="infrastructure">The fixture whose RabbitMQ container gets the user.</param>
    /// <param name="virtualHost">The test's virtual host.</param>
    /// <param name="role">A role of <see cref="BrokerRoles"/>, e.g. <see cref="BrokerRoles.Worker"/>.</param>
    /// <param name="name">The user's suffix; the role's name when null.</param>
    public static Task<RabbitMqEndpoint> CreateRoleUserAsync(this InfrastructureFixture infrastructure, RabbitMqEndpoint virtualHost, string role, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        ArgumentNullException.ThrowIfNull(virtualHost);
        var user = $"{virtualHost.VirtualHost}-{name ?? role}";
        var permissions = BrokerRoles.Of(role, user);
        return infrastructure.CreateBrokerUserAsync(virtualHost, user, Guid.NewGuid().ToString("N"), permissions.Configure, permissions.Write, permissions.Read);
    }
}
