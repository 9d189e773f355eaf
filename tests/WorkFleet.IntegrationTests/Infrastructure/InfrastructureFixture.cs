using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Xunit;

namespace WorkFleet.IntegrationTests.Infrastructure;

/// <summary>
/// One RabbitMQ and one PostgreSQL server for a test run, started as containers (images from
/// <c>WORKFLEET_TEST_RABBITMQ_IMAGE</c> / <c>WORKFLEET_TEST_POSTGRES_IMAGE</c>, defaulting to the
/// local images built by infra/scripts/build-local-images.sh) or, when
/// <c>WORKFLEET_TEST_RABBITMQ</c> (<c>host:port:user:password</c>) / <c>WORKFLEET_TEST_POSTGRES</c>
/// (an Npgsql connection string) are set, servers that already run. Tests isolate themselves with
/// <see cref="CreateVirtualHostAsync"/> and <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    /// <summary>User name of the servers started by the fixture.</summary>
    public const string Username = "workfleet";

    /// <summary>Password of the servers started by the fixture.</summary>
    public const string Password = "workfleet";

    private const int AmqpPort = 5672;
    private const int ManagementPort = 15672;
    private const int PostgresPort = 5432;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private string _postgresAdminConnectionString = string.Empty;

    /// <summary>The RabbitMQ container, or null when an external server is used.</summary>
    public DockerContainer? RabbitMq { get; private set; }

    /// <summary>The PostgreSQL container, or null when an external server is used.</summary>
    public DockerContainer? Postgres { get; private set; }

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
            await RabbitMq.ExecAsync("rabbitmqctl", "add_vhost", name);
            await RabbitMq.ExecAsync("rabbitmqctl", "set_permissions", "-p", name, server.Username, ".*", ".*", ".*");
        }
        else
        {
            await CreateVirtualHostOverHttpAsync(server, name);
        }

        return server with { VirtualHost = name };
    }

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

    private static string? Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static async Task CreateVirtualHostOverHttpAsync(RabbitMqEndpoint server, string name)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{server.Host}:{ManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{server.Username}:{server.Password}")));
        var vhost = Uri.EscapeDataString(name);
        try
        {
            using var deleted = await http.DeleteAsync(new Uri($"vhosts/{vhost}", UriKind.Relative));
            if (deleted.StatusCode != HttpStatusCode.NotFound)
            {
                deleted.EnsureSuccessStatusCode();
            }

            using var body = new StringContent("{}", Encoding.UTF8, "application/json");
            using var created = await http.PutAsync(new Uri($"vhosts/{vhost}", UriKind.Relative), body);
            created.EnsureSuccessStatusCode();

            using var grant = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
            var user = Uri.EscapeDataString(server.Username);
            using var granted = await http.PutAsync(new Uri($"permissions/{vhost}/{user}", UriKind.Relative), grant);
            granted.EnsureSuccessStatusCode();
        }
        catch (HttpRequestException exception) when (exception.StatusCode is null)
        {
            throw new NotSupportedException(
                $"Creating virtual hosts on the external RabbitMQ (WORKFLEET_TEST_RABBITMQ) needs its management API at {http.BaseAddress}, which is not reachable.",
                exception);
        }
    }

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
        }
        else
        {
            RabbitMq = await DockerContainer.RunAsync(
                "rabbitmq",
                Setting("WORKFLEET_TEST_RABBITMQ_IMAGE") ?? "workfleet/rabbitmq:local",
                new Dictionary<string, string> { ["RABBITMQ_DEFAULT_USER"] = Username, ["RABBITMQ_DEFAULT_PASS"] = Password },
                [AmqpPort, ManagementPort]);
            RabbitMqServer = new RabbitMqEndpoint(RabbitMq.Host, RabbitMq.GetMappedPort(AmqpPort), "/", Username, Password);
        }

        var factory = RabbitMqServer.CreateConnectionFactory();
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(5);
        var server = RabbitMq is null ? $"RabbitMQ from WORKFLEET_TEST_RABBITMQ ({RabbitMqServer.Host}:{RabbitMqServer.Port})" : "RabbitMQ";
        await WaitUntilReadyAsync(server, RabbitMq, async () =>
        {
            await using var connection = await factory.CreateConnectionAsync();
        });
    }

    private async Task StartPostgresAsync()
    {
        if (Setting("WORKFLEET_TEST_POSTGRES") is { } external)
        {
            _postgresAdminConnectionString = external;
        }
        else
        {
            Postgres = await DockerContainer.RunAsync(
                "postgres",
                Setting("WORKFLEET_TEST_POSTGRES_IMAGE") ?? "workfleet/postgres:local",
                new Dictionary<string, string>
                {
                    ["POSTGRES_USER"] = Username,
                    ["POSTGRES_PASSWORD"] = Password,
                    ["POSTGRES_DB"] = Username,
                },
                [PostgresPort]);
            _postgresAdminConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = Postgres.Host,
                Port = Postgres.GetMappedPort(PostgresPort),
                Username = Username,
                Password = Password,
                Database = Username,
            }.ConnectionString;
        }

        // Admin statements use unpooled connections: pooled ones would go stale across the
        // restarts and kills of chaos tests.
        _postgresAdminConnectionString = new NpgsqlConnectionStringBuilder(_postgresAdminConnectionString)
        {
            Pooling = false,
            IncludeErrorDetail = true,
        }.ConnectionString;
        await WaitUntilReadyAsync(Postgres is null ? "PostgreSQL from WORKFLEET_TEST_POSTGRES" : "PostgreSQL", Postgres, async () =>
        {
            await using var connection = new NpgsqlConnection(_postgresAdminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
        });
    }

    /// <summary>Polls <paramref name="probe"/> until it succeeds, the container exits, or the deadline passes.</summary>
    private static async Task WaitUntilReadyAsync(string server, DockerContainer? container, Func<Task> probe)
    {
        var clock = Stopwatch.StartNew();
        Exception? lastError = null;
        var exited = false;
        while (clock.Elapsed < StartupTimeout)
        {
            try
            {
                await probe();
                return;
            }
            catch (Exception exception) // any failure means "not ready yet"; the last one is reported
            {
                lastError = exception;
            }

            if (container is not null && !await container.IsRunningAsync())
            {
                exited = true;
                break;
            }

            await Task.Delay(PollInterval);
        }

        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{server} did not come up: ")
            .Append(exited ? "its container exited" : $"no connection within {StartupTimeout.TotalSeconds} s")
            .Append(CultureInfo.InvariantCulture, $". Last error: {lastError?.GetType().Name}: {lastError?.Message}");
        if (container is not null)
        {
            message.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}--- docker logs --tail 40 {container.Name} ---{Environment.NewLine}")
                .Append(await container.GetLogsAsync(40));
        }

        throw new TimeoutException(message.ToString());
    }
}
