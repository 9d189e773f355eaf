using System.Globalization;
using RabbitMQ.Client;

namespace WorkFleet.Testing.Infrastructure;

/// <summary>Where and as whom to reach one RabbitMQ virtual host.</summary>
/// <param name="Host">Broker host name or address.</param>
/// <param name="Port">AMQP port.</param>
/// <param name="VirtualHost">The virtual host, e.g. one made by <see cref="InfrastructureFixture.CreateVirtualHostAsync"/>.</param>
/// <param name="Username">User with full permissions on <paramref name="VirtualHost"/>.</param>
/// <param name="Password">That user's password.</param>
public sealed record RabbitMqEndpoint(string Host, int Port, string VirtualHost, string Username, string Password)
{
    /// <summary>A RabbitMQ.Client connection factory for this endpoint.</summary>
    public ConnectionFactory CreateConnectionFactory() => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
    };

    /// <summary>
    /// More transport settings for hosts (configuration keys, e.g. <c>WorkFleet:Transport:RabbitMq:Tls:…</c>), added by
    /// <see cref="TransportSettings"/>. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ExtraTransportSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>This endpoint as the hosts' transport settings (configuration keys, <c>WorkFleet:Transport:…</c>).</summary>
    public Dictionary<string, string?> TransportSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:Kind"] = "RabbitMq",
            ["WorkFleet:Transport:RabbitMq:Host"] = Host,
            ["WorkFleet:Transport:RabbitMq:Port"] = Port.ToString(CultureInfo.InvariantCulture),
            ["WorkFleet:Transport:RabbitMq:VirtualHost"] = VirtualHost,
            ["WorkFleet:Transport:RabbitMq:Username"] = Username,
            ["WorkFleet:Transport:RabbitMq:Password"] = Password,
        };
        foreach (var (key, value) in ExtraTransportSettings)
        {
            settings[key] = value;
        }

        return settings;
    }
}
