using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Dispatcher.Tests.Security;

/// <summary>
/// TLS settings for the broker are checked when the host is built, and a bad one stops it with a message that names
/// the setting. (Connecting over TLS is shown against a real broker in the integration tests' AmqpsTests.)
/// </summary>
[Trait("Category", "Security")]
public sealed class BrokerTlsSettingsTests : IDisposable
{
    private const string Tls = "WorkFleet:Transport:RabbitMq:Tls";
    private readonly string _directory = Directory.CreateTempSubdirectory("workfleet-tls-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Host_CaFileMissing_RefusedNamingCaCertificatePath()
    {
        var missing = Path.Combine(_directory, "missing.pem");

        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { [$"{Tls}:Enabled"] = "true", [$"{Tls}:CaCertificatePath"] = missing }));

        Assert.Contains($"{Tls}:CaCertificatePath '{missing}' cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CaFileWithoutCertificate_RefusedNamingCaCertificatePath()
    {
        var empty = Path.Combine(_directory, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");

        var error = Assert.Throws<InvalidOperationException>(() => BrokerTls.Load(Rabbit(new() { Enabled = true, CaCertificatePath = empty })));

        Assert.Contains($"{Tls}:CaCertificatePath '{empty}' holds no PEM certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TlsSettingsWhileDisabled_RefusedNamingEnabled()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BrokerTls.Load(Rabbit(new() { CaCertificatePath = "/etc/ca.pem" })));

        Assert.Contains($"{Tls}:CaCertificatePath set but {Tls}:Enabled is false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientKeyWithoutCertificate_RefusedNamingBoth()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BrokerTls.Load(Rabbit(new() { Enabled = true, ClientKeyPath = "/etc/client.key" })));

        Assert.Contains($"{Tls}:ClientKeyPath is set without {Tls}:ClientCertificatePath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EnabledWithoutServerName_ChecksTheHostName()
    {
        using var tls = BrokerTls.Load(Rabbit(new() { Enabled = true }));

        Assert.Equal("rabbitmq.internal", tls?.ServerName);
        Assert.Null(tls?.AuthoritiesPath);
        Assert.Null(BrokerTls.Load(Rabbit(new())));
    }

    private static RabbitMqTransportOptions Rabbit(RabbitMqTlsOptions tls) => new() { Host = "rabbitmq.internal", Tls = tls };

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:Kind"] = "RabbitMq",
            ["WorkFleet:Transport:RabbitMq:Host"] = "127.0.0.1",
            ["WorkFleet:Transport:RabbitMq:Port"] = "5671",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkFleetBus();
        return builder.Build();
    }
}
