using Npgsql;
using RabbitMQ.Client;

namespace WorkFleet.ThroughputBench.Servers;

/// <summary>
/// The broker and database of a bench run: containers the bench starts (and removes) or servers given on the
/// command line. Each round gets its own database; rounds share the virtual host ("/" unless <c>--vhost</c>
/// names one), each draining its queues before the next starts, and the raw pipeline's queues are named per round.
/// </summary>
public sealed class BenchServers : IAsyncDisposable
{
    private const string User = "workfleet";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private readonly List<DockerContainer> _started = [];

    private BenchServers()
    {
    }

    /// <summary>The broker.</summary>
    public RabbitMqAddress RabbitMq { get; private set; } = null!;

    /// <summary>Connection string of the server's administrative database, used to create and drop round databases.</summary>
    public string PostgresAdmin { get; private set; } = string.Empty;

    /// <summary>The broker's container, when it runs in one on this machine (for its CPU).</summary>
    public string? RabbitMqContainerId { get; private set; }

    /// <summary>The database server's container, when it runs in one on this machine (for its CPU).</summary>
    public string? PostgresContainerId { get; private set; }

    /// <summary>Starts (or finds) both servers and waits until each accepts connections.</summary>
    public static async Task<BenchServers> StartAsync(BenchArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var servers = new BenchServers();
        try
        {
            await Task.WhenAll(servers.StartRabbitMqAsync(arguments.RabbitMq, arguments.VirtualHost, cancellationToken), servers.StartPostgresAsync(arguments.Postgres, cancellationToken));
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a fresh database <paramref name="name"/> and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a round's database.</summary>
    public Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    /// <summary>Removes the containers the bench started.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var container in _started)
        {
            await container.DisposeAsync();
        }

        _started.Clear();
    }

    private async Task ExecuteAsync(string statement)
    {
        await using var connection = new NpgsqlConnection(PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task StartRabbitMqAsync(string? external, string virtualHost, CancellationToken cancellationToken)
    {
        if (external is not null)
        {
            RabbitMq = RabbitMqAddress.Parse(external, virtualHost);
            RabbitMqContainerId = await DockerContainer.FindByPublishedPortAsync(RabbitMq.Port);
        }
        else
        {
            var container = await DockerContainer.RunAsync("rabbitmq", "workfleet/rabbitmq:local", 5672,
                [$"RABBITMQ_DEFAULT_USER={User}", $"RABBITMQ_DEFAULT_PASS={User}"], [], cancellationToken);
            _started.Add(container);
            RabbitMq = new RabbitMqAddress("127.0.0.1", container.HostPort, User, User);
            RabbitMqContainerId = container.Id;
        }

        var factory = new ConnectionFactory
        {
            HostName = RabbitMq.Host,
            Port = RabbitMq.Port,
            UserName = RabbitMq.Username,
            Password = RabbitMq.Password,
            VirtualHost = RabbitMq.VirtualHost,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        await WaitUntilAsync("RabbitMQ", async () =>
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        }, cancellationToken);
    }

    private async Task StartPostgresAsync(string? external, CancellationToken cancellationToken)
    {
        if (external is not null)
        {
            PostgresAdmin = new NpgsqlConnectionStringBuilder(external) { Pooling = false }.ConnectionString;
            var port = new NpgsqlConnectionStringBuilder(external).Port;
            PostgresContainerId = await DockerContainer.FindByPublishedPortAsync(port);
        }
        else
        {
            var container = await DockerContainer.RunAsync("postgres", "workfleet/postgres:local", 5432,
                [$"POSTGRES_USER={User}", $"POSTGRES_PASSWORD={User}", $"POSTGRES_DB={User}"], [], cancellationToken);
            _started.Add(container);
            PostgresAdmin = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = container.HostPort,
                Username = User,
                Password = User,
                Database = User,
                Pooling = false,
                GssEncryptionMode = GssEncryptionMode.Disable,
            }.ConnectionString;
            PostgresContainerId = container.Id;
        }

        await WaitUntilAsync("PostgreSQL", () => ExecuteAsync("SELECT 1"), cancellationToken);
    }

    private static async Task WaitUntilAsync(string server, Func<Task> probe, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            try
            {
                await probe();
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new TimeoutException($"{server} did not accept a connection within {ReadyTimeout.TotalSeconds} s: {exception.Message}", exception);
            }
        }
    }
}
