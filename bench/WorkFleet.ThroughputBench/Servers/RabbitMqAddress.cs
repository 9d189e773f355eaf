using System.Globalization;
using System.Text.Json;
using MassTransit;

namespace WorkFleet.ThroughputBench.Servers;

/// <summary>Where and as whom to reach the broker.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">AMQP port.</param>
/// <param name="Username">User.</param>
/// <param name="Password">Password.</param>
/// <param name="VirtualHost">Virtual host.</param>
public sealed record RabbitMqAddress(string Host, int Port, string Username, string Password, string VirtualHost = "/")
{
    /// <summary>Environment variable through which child role processes receive the address.</summary>
    public const string EnvironmentVariable = "WORKFLEET_BENCH_RABBITMQ";

    /// <summary>Parses <c>host:port:user:pass</c> (the virtual host comes separately).</summary>
    public static RabbitMqAddress Parse(string text, string virtualHost)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 4);
        return parts.Length == 4 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new RabbitMqAddress(parts[0], port, parts[2], parts[3], virtualHost)
            : throw new ArgumentException($"--rabbitmq must look like host:port:user:pass, got '{text}'");
    }

    /// <summary>The address a role process was started with.</summary>
    public static RabbitMqAddress FromEnvironment() =>
        JsonSerializer.Deserialize<RabbitMqAddress>(Environment.GetEnvironmentVariable(EnvironmentVariable) ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set"))!;

    /// <summary>The role processes' environment variable with this address.</summary>
    public KeyValuePair<string, string> ToEnvironment() => KeyValuePair.Create(EnvironmentVariable, JsonSerializer.Serialize(this));

    /// <summary>WorkFleet hosts' transport settings as environment variables.</summary>
    public Dictionary<string, string> HostEnvironment() => new()
    {
        ["WorkFleet__Transport__Kind"] = "RabbitMq",
        ["WorkFleet__Transport__RabbitMq__Host"] = Host,
        ["WorkFleet__Transport__RabbitMq__Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["WorkFleet__Transport__RabbitMq__VirtualHost"] = VirtualHost,
        ["WorkFleet__Transport__RabbitMq__Username"] = Username,
        ["WorkFleet__Transport__RabbitMq__Password"] = Password,
    };

    /// <summary>Points a MassTransit bus at this broker.</summary>
    public void Configure(IRabbitMqBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.Host(Host, (ushort)Port, VirtualHost, host =>
        {
            host.Username(Username);
            host.Password(Password);
        });
    }
}
