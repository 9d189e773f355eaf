using Microsoft.Extensions.Configuration;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WorkFleet.Data.Configuration;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Lab.Bench;

/// <summary>
/// Checks that the configuration names the real stack and that RabbitMQ and PostgreSQL answer, before any host
/// starts: the hosts themselves retry a missing broker or database forever, which is right for a service and
/// wrong for a command.
/// </summary>
public static class StackPreflight
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>What is wrong, naming the setting; null when both servers answer.</summary>
    public static async Task<string?> CheckAsync(IConfiguration stack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var transport = stack.GetSection(TransportOptions.SectionName).Get<TransportOptions>() ?? new TransportOptions();
        var database = stack.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (transport.Kind != TransportKind.RabbitMq)
        {
            return $"The bench runs on the real stack: WorkFleet:Transport:Kind must be RabbitMq, not {transport.Kind}.";
        }

        if (database.Provider != DatabaseProvider.Postgres)
        {
            return $"The bench runs on the real stack: WorkFleet:Database:Provider must be Postgres, not {database.Provider}.";
        }

        return await CheckRabbitMqAsync(transport.RabbitMq, cancellationToken) ?? await CheckPostgresAsync(database.ConnectionString, cancellationToken);
    }

    private static async Task<string?> CheckRabbitMqAsync(RabbitMqTransportOptions rabbit, CancellationToken cancellationToken)
    {
        var factory = rabbit.CreateFactory("workfleet-bench-preflight");
        factory.RequestedConnectionTimeout = ConnectTimeout;
        factory.AutomaticRecoveryEnabled = false;
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            return null;
        }
        catch (BrokerUnreachableException ex)
        {
            var reason = ex.GetBaseException().Message;
            return $"RabbitMQ is not reachable at {rabbit.Host}:{rabbit.Port}, virtual host '{rabbit.VirtualHost}', user '{rabbit.Username}' " +
                $"(WorkFleet:Transport:RabbitMq:Host, :Port, :VirtualHost, :Username, :Password): {reason}";
        }
    }

    private static async Task<string?> CheckPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = (int)ConnectTimeout.TotalSeconds, Pooling = false };
        }
        catch (ArgumentException ex)
        {
            return $"WorkFleet:Database:ConnectionString is not a valid Npgsql connection string: {ex.Message}";
        }

        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return $"PostgreSQL is not reachable at {builder.Host}:{builder.Port}, database '{builder.Database}', user '{builder.Username}' " +
                $"(WorkFleet:Database:ConnectionString): {ex.Message}";
        }
    }
}
