using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace WorkFleet.Testing.Infrastructure;

/// <summary>
/// One RabbitMQ and one PostgreSQL server for a test run: containers started with Testcontainers (images
/// from <c>WORKFLEET_TEST_RABBITMQ_IMAGE</c> / <c>WORKFLEET_TEST_POSTGRES_IMAGE</c>, by default the local
/// images built by infra/scripts/build-local-images.sh) or, when <c>WORKFLEET_TEST_RABBITMQ</c>
/// (<c>host:port:user:password</c>) / <c>WORKFLEET_TEST_POSTGRES</c> (an Npgsql connection string) are set,
/// servers that already run. Tests isolate themselves with <see cref="CreateVirtualHostAsync"/> and
/// <see cref="CreateDatabaseAsync"/>. Each test assembly declares its own collection of this fixture.
/// </summary>
/// <param name="diagnostics">Where the start times of the containers are reported (xunit diagnostic messages).</param>
public sealed class InfrastructureFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    /// <summary>User name of the servers started by the fixture.</summary>
    public const string Username = "workfleet";

    /// <summary>Password of the servers started by the fixture.</summary>
    public const string Password = "workfleet";

    private const string RabbitMqImageSetting = "WORKFLEET_TEST_RABBITMQ_IMAGE";
    private const string PostgresImageSetting = "WORKFLEET_TEST_POSTGRES_IMAGE";
    private static readonly TimeSpan ExternalServerTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private string _postgresAdminConnectionString = string.Empty;

    /// <summary>The RabbitMQ container, or null when an external server is used.</summary>
    public RabbitMqContainer? RabbitMq { get; private set; }

    /// <summary>The PostgreSQL container, or null when an external server is used.</summary>
    public PostgreSqlContainer? Postgres { get; private set; }

    /// <summary>The broker's default virtual host ("/"); prefer <see cref="CreateVirtualHostAsync"/> in tests.</summary>
    public RabbitMqEndpoint RabbitMqServer { get; private set; } = null!;

    /// <summary>Starts (or finds) both servers concurrently and waits until each accepts connections.</summary>
    public async Task InitializeAsync()
    {
        var startup = Task.WhenAll(StartRabbitMqAsync(), StartPostgresAsync());
        try
        {
            await startup;
        }
        catch
        {
            await DisposeAsync();
            if (startup.Exception is { InnerExceptions.Count: > 1 } both)
            {
                throw both; // report both servers, not just the first failure
            }

            throw;
        }
    }

    /// <summary>Removes the containers the fixture started.</summary>
    public async Task DisposeAsync()
    {
        if (RabbitMq is not null)
        {
            await RabbitMq.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }

    /// <summary>
    /// Creates the virtual host <paramref name="name"/>, grants <see cref="RabbitMqServer"/>'s user full
    /// permissions on it, and returns its endpoint. On an external server, an existing virtual host of
    /// that name is deleted first (needs the management HTTP API on port 15672).
    /// </summary>
    /// <param name="name">Virtual host name, unique per test.</param>
    /// <exception cref="NotSupportedException">An external server without a reachable management API.</exception>
    public async Task<RabbitMqEndpoint> CreateVirtualHostAsync(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var server = RabbitMqServer;
        if (RabbitMq is not null)
        {
            await RabbitMq.ExecCheckedAsync("rabbitmqctl", "add_vhost", name);
            await RabbitMq.ExecCheckedAsync("rabbitmqctl", "set_permissions", "-p", name, server.Username, ".*", ".*", ".*");
        }
        else
        {
            await RabbitMqManagementApi.CreateVirtualHostAsync(server, name);
        }

        return server with { VirtualHost = name };
    }

    /// <summary>
    /// Creates the broker user <paramref name="username"/> with exactly the given permission patterns on
    /// <paramref name="virtualHost"/>'s virtual host and no tags, and returns the endpoint as that user
    /// (a fixture container only).
    /// </summary>
    /// <exception cref="NotSupportedException">An external server.</exception>
    public async Task<RabbitMqEndpoint> CreateBrokerUserAsync(
        RabbitMqEndpoint virtualHost, string username, string password, string configure, string write, string read)
    {
        ArgumentNullException.ThrowIfNull(virtualHost);
        if (RabbitMq is null)
        {
            throw new NotSupportedException("Broker users are created only on the fixture's own RabbitMQ container.");
        }

        await RabbitMq.ExecCheckedAsync("rabbitmqctl", "add_user", username, password);
        await RabbitMq.ExecCheckedAsync("rabbitmqctl", "set_permissions", "-p", virtualHost.VirtualHost, username, configure, write, read);
        return virtualHost with { Username = username, Password = password };
    }

    /// <summary>
    /// Starts a separate RabbitMQ container (same image as the fixture's) that loads <paramref name="definitionsJson"/>
    /// at boot; the caller disposes it. Returns the container and its AMQP port on 127.0.0.1.
    /// </summary>
    public static async Task<(RabbitMqContainer Container, int Port)> StartRabbitMqWithDefinitionsAsync(string definitionsJson)
    {
        var image = Setting(RabbitMqImageSetting) ?? "workfleet/rabbitmq:local";
        var container = await ServerContainers.StartRabbitMqWithDefinitionsAsync(image, RabbitMqImageSetting, definitionsJson);
        return (container, container.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort));
    }

    /// <summary>
    /// Starts a separate RabbitMQ container (same image as the fixture's) that loads <paramref name="definitionsJson"/>
    /// at boot and accepts AMQP over TLS only (<c>listeners.tcp = none</c>, <c>listeners.ssl.default = 5671</c>) with
    /// the given server certificate, key and CA; with <paramref name="requireClientCertificate"/> it also demands a
    /// client certificate signed by that CA (<c>verify_peer</c>, <c>fail_if_no_peer_cert</c>). The caller disposes it.
    /// Returns the container and its amqps port on 127.0.0.1.
    /// </summary>
    public static async Task<(RabbitMqContainer Container, int Port)> StartRabbitMqWithTlsAsync(
        string definitionsJson, string certificatePem, string keyPem, string caPem, bool requireClientCertificate)
    {
        const int TlsPort = 5671;
        var config = string.Join('\n',
            "load_definitions = /etc/rabbitmq/definitions.json",
            "listeners.tcp = none",
            $"listeners.ssl.default = {TlsPort}",
            "ssl_options.cacertfile = /etc/rabbitmq/tls/ca.pem",
            "ssl_options.certfile = /etc/rabbitmq/tls/server.pem",
            "ssl_options.keyfile = /etc/rabbitmq/tls/server.key",
            $"ssl_options.verify = {(requireClientCertificate ? "verify_peer" : "verify_none")}",
            $"ssl_options.fail_if_no_peer_cert = {(requireClientCertificate ? "true" : "false")}") + "\n";
        var files = new Dictionary<string, string>
        {
            ["/etc/rabbitmq/definitions.json"] = definitionsJson,
            ["/etc/rabbitmq/tls/ca.pem"] = caPem,
            ["/etc/rabbitmq/tls/server.pem"] = certificatePem,
            ["/etc/rabbitmq/tls/server.key"] = keyPem,
        };
        var image = Setting(RabbitMqImageSetting) ?? "workfleet/rabbitmq:local";
        var container = await ServerContainers.StartRabbitMqWithConfigAsync(image, RabbitMqImageSetting, config, files, TlsPort);
        return (container, container.GetMappedPublicPort(TlsPort));
    }

    /// <summary>Runs <c>rabbitmqctl</c> with <paramref name="arguments"/> in the fixture's container and returns its output.</summary>
    /// <exception cref="NotSupportedException">An external server.</exception>
    public Task<string> RabbitMqCtlAsync(params string[] arguments) =>
        RabbitMq is null
            ? throw new NotSupportedException("rabbitmqctl runs only in the fixture's own RabbitMQ container.")
            : RabbitMq.ExecCheckedAsync(["rabbitmqctl", .. arguments]);

    /// <summary>
    /// Creates the database <paramref name="name"/> (dropping an existing one of that name first) and
    /// returns an Npgsql connection string for it.
    /// </summary>
    /// <param name="name">Database name, unique per test (at most 63 bytes).</param>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using (var connection = new NpgsqlConnection(_postgresAdminConnectionString))
        {
            await connection.OpenAsync();
            foreach (var statement in new[] { $"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", $"CREATE DATABASE {quoted}" })
            {
                await using var command = new NpgsqlCommand(statement, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        return new NpgsqlConnectionStringBuilder(_postgresAdminConnectionString)
        {
            Database = name,
            Pooling = true,
            MaxPoolSize = 50,
            IncludeErrorDetail = true,
        }.ConnectionString;
    }

    /// <summary>
    /// Creates the database <paramref name="name"/> like <see cref="CreateDatabaseAsync"/>, with WorkFleet's
    /// roles provisioned in it by the shipped scripts (<see cref="PostgresRoles"/>); the schema is not migrated.
    /// </summary>
    /// <param name="name">Database name, unique per test (at most 63 bytes).</param>
    public async Task<DatabaseRoleConnections> CreateDatabaseWithRolesAsync(string name) =>
        await PostgresRoles.ProvisionAsync(await CreateDatabaseAsync(name));

    private static string? Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private async Task StartRabbitMqAsync()
    {
        if (Setting("WORKFLEET_TEST_RABBITMQ") is { } external)
        {
            var parts = external.Split(':', 4);
            if (parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                throw new InvalidOperationException("WORKFLEET_TEST_RABBITMQ must look like host:port:user:password.");
            }

            RabbitMqServer = new RabbitMqEndpoint(parts[0], port, "/", parts[2], parts[3]);
            var factory = RabbitMqServer.CreateConnectionFactory();
            factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(5);
            await WaitForExternalServerAsync($"RabbitMQ from WORKFLEET_TEST_RABBITMQ ({RabbitMqServer.Host}:{RabbitMqServer.Port})", async () =>
            {
                await using var connection = await factory.CreateConnectionAsync();
            });
            return;
        }

        var image = Setting(RabbitMqImageSetting) ?? "workfleet/rabbitmq:local";
        var clock = Stopwatch.StartNew();
        RabbitMq = await ServerContainers.StartRabbitMqAsync(image, RabbitMqImageSetting, Username, Password);
        RabbitMqServer = new RabbitMqEndpoint(RabbitMq.Hostname, RabbitMq.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort), "/", Username, Password);
        Report($"RabbitMQ ({image}) ready on {RabbitMqServer.Host}:{RabbitMqServer.Port} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task StartPostgresAsync()
    {
        if (Setting("WORKFLEET_TEST_POSTGRES") is { } external)
        {
            _postgresAdminConnectionString = AdminConnectionString(external);
            await WaitForExternalServerAsync("PostgreSQL from WORKFLEET_TEST_POSTGRES", async () =>
            {
                await using var connection = new NpgsqlConnection(_postgresAdminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync();
            });
            return;
        }

        var image = Setting(PostgresImageSetting) ?? "workfleet/postgres:local";
        var clock = Stopwatch.StartNew();
        Postgres = await ServerContainers.StartPostgresAsync(image, PostgresImageSetting, Username, Password);
        _postgresAdminConnectionString = AdminConnectionString(Postgres.GetConnectionString());
        Report($"PostgreSQL ({image}) ready on {Postgres.Hostname}:{Postgres.GetMappedPublicPort(PostgreSqlBuilder.PostgreSqlPort)} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// Admin statements use unpooled connections: pooled ones would go stale across the restarts and kills
    /// of chaos tests.
    /// </summary>
    private static string AdminConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, IncludeErrorDetail = true }.ConnectionString;

    /// <summary>Polls <paramref name="probe"/> until it succeeds or the deadline passes: the server may still be starting.</summary>
    private static async Task WaitForExternalServerAsync(string server, Func<Task> probe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await probe();
                return;
            }
            catch (Exception exception) when (clock.Elapsed >= ExternalServerTimeout)
            {
                throw new TimeoutException(
                    $"{server} did not accept a connection within {ExternalServerTimeout.TotalSeconds} s. Last error: {exception.GetType().Name}: {exception.Message}",
                    exception);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // not up yet; try again
            }

            await Task.Delay(PollInterval);
        }
    }

    private void Report(string message) => diagnostics.OnMessage(new DiagnosticMessage(message));
}
