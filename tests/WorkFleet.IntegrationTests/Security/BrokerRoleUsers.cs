using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>Broker users of one test's virtual host, each with its role's permissions from <see cref="BrokerRoles"/>.</summary>
public static class BrokerRoleUsers
{
    /// <summary>Creates the user <c>{vhost}-{name}</c> with <paramref name="role"/>'s permissions and returns its endpoint.</summary>
    public static Task<RabbitMqEndpoint> CreateAsync(InfrastructureFixture infrastructure, RabbitMqEndpoint virtualHost, string role, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        ArgumentNullException.ThrowIfNull(virtualHost);
        var user = $"{virtualHost.VirtualHost}-{name ?? role}";
        var permissions = BrokerRoles.Of(role, user);
        return infrastructure.CreateBrokerUserAsync(virtualHost, user, Guid.NewGuid().ToString("N"), permissions.Configure, permissions.Write, permissions.Read);
    }
}
