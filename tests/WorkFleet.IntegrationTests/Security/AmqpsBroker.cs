using System.Globalization;
using Testcontainers.RabbitMq;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// A RabbitMQ container of its own that speaks AMQP over TLS only, with a server certificate from a CA made at test
/// time and mutual TLS (a client certificate of that CA is required), loading the role users' definitions document
/// as a deployment does. Also writes the CA files and a client certificate where hosts' settings can name them.
/// </summary>
public sealed class AmqpsBroker : IAsyncLifetime
{
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.CreateAuthority("WorkFleet Broker Test CA");
    private readonly TestCertificateAuthority _otherAuthority = TestCertificateAuthority.CreateAuthority("Some Other CA");
    private readonly string _directory = Directory.CreateTempSubdirectory("workfleet-amqps-").FullName;
    private readonly List<BrokerUser> _users = BrokerRoles.All.Keys.Select(role => new BrokerUser("workfleet-" + role, role, Guid.NewGuid().ToString("N"))).ToList();

    /// <summary>The broker container.</summary>
    public RabbitMqContainer Container { get; private set; } = null!;

    /// <summary>Its amqps port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The PEM file of the CA that signed the broker's certificate.</summary>
    public string CaFile => Path.Combine(_directory, "ca.pem");

    /// <summary>The PEM file of a CA that did not.</summary>
    public string OtherCaFile => Path.Combine(_directory, "other-ca.pem");

    /// <summary>A client certificate of the broker's CA (key in <see cref="ClientKeyFile"/>).</summary>
    public string ClientCertificateFile => Path.Combine(_directory, "client.pem");

    /// <summary>The key of <see cref="ClientCertificateFile"/>.</summary>
    public string ClientKeyFile => Path.Combine(_directory, "client.key");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var (certificate, key) = _authority.IssueServerCertificate();
        var (clientCertificate, clientKey) = _authority.IssueClientCertificate("workfleet-test-client");
        await File.WriteAllTextAsync(CaFile, _authority.CaPem);
        await File.WriteAllTextAsync(OtherCaFile, _otherAuthority.CaPem);
        await File.WriteAllTextAsync(ClientCertificateFile, clientCertificate);
        await File.WriteAllTextAsync(ClientKeyFile, clientKey);
        (Container, Port) = await InfrastructureFixture.StartRabbitMqWithTlsAsync(
            RabbitMqDefinitions.Create("/", _users), certificate, key, _authority.CaPem, requireClientCertificate: true);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Container is not null)
        {
            await Container.DisposeAsync();
        }

        _authority.Dispose();
        _otherAuthority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// The broker as <paramref name="role"/>'s user, over TLS: trusting <paramref name="caFile"/> (default the broker's
    /// CA), checking the name <paramref name="serverName"/> (default <c>localhost</c>), with the client certificate
    /// unless <paramref name="withClientCertificate"/> is false.
    /// </summary>
    public RabbitMqEndpoint As(string role, string? caFile = null, string serverName = "localhost", bool withClientCertificate = true)
    {
        var user = _users.Single(u => u.Role == role);
        var tls = new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:RabbitMq:Tls:Enabled"] = "true",
            ["WorkFleet:Transport:RabbitMq:Tls:ServerName"] = serverName,
            ["WorkFleet:Transport:RabbitMq:Tls:CaCertificatePath"] = caFile ?? CaFile,
        };
        if (withClientCertificate)
        {
            tls["WorkFleet:Transport:RabbitMq:Tls:ClientCertificatePath"] = ClientCertificateFile;
            tls["WorkFleet:Transport:RabbitMq:Tls:ClientKeyPath"] = ClientKeyFile;
        }

        return new RabbitMqEndpoint("127.0.0.1", Port, "/", user.Name, user.Password) { ExtraTransportSettings = tls };
    }

    /// <summary>The broker's view of its open connections: (user, whether over TLS), from <c>rabbitmqctl list_connections</c>.</summary>
    public async Task<IReadOnlyList<(string User, bool Tls)>> ConnectionsAsync()
    {
        var result = await Container.ExecAsync(["rabbitmqctl", "list_connections", "--quiet", "--no-table-headers", "user", "ssl"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2)
            .Select(fields => (fields[0], bool.Parse(fields[1].ToLower(CultureInfo.InvariantCulture))))
            .ToList();
    }
}
