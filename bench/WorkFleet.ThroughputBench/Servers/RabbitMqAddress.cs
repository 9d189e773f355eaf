using System.Globalization;
using MassTransit;

namespace WorkFleet.ThroughputBench.Servers;

/// <summary>Where and as whom to reach the broker.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">AMQP port.</param>
/// <param name="Username">User.</param>
/// <param name="Password">Password.</param>
public sealed record RabbitMqAddress(string Host, int Port, string Username, string Password)
{
    /// <summary>Environment variable through which child role processes receive the address.</summary>
    public const string EnvironmentVariable = "WORKFLEET_BENCH_RABBITMQ";

    /// <summary>Parses <c>host:port:user:pass</c>.</summary>
    public static RabbitMqAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 4);
        return parts.Length == 4 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new RabbitMqAddress(parts[0], port, parts[2], parts[3])
            : throw new ArgumentException($"--rabbitmq must look like host:port:user:pass, got '{text}'");
    }

    /// <summary>The address a role process was started with.</summary>
    public static RabbitMqAddress FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable(EnvironmentVariable) ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set"));

    /// <summary>The <c>host:port:user:pass</c> form.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}:{Username}:{Password}");

    /// <summary>WorkFleet hosts' transport settings as environment variables.</summary>
    public Dictionary<string, string> HostEnvironment() => new()
    {
        ["WorkFleet__Transport__Kind"] = "RabbitMq",
        ["WorkFleet__Transport__RabbitMq__Host"] = Host,
        ["WorkFleet__Transport__RabbitMq__Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["WorkFleet__Transport__RabbitMq__VirtualHost"] = "/",
        ["WorkFleet__Transport__RabbitMq__Username"] = Username,
        ["WorkFleet__Transport__RabbitMq__Password"] = Password,
    };

    /// <summary>Points a MassTransit bus at this broker.</summary>
    public void Configure(IRabbitMqBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.Host(Host, (ushort)Port, "/", host =>
        {
            host.Username(Username);
            host.Password(Password);
        });
    }
}
