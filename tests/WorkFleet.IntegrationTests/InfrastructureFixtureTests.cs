using System.Text;
using Npgsql;
using RabbitMQ.Client;

namespace WorkFleet.IntegrationTests;

/// <summary>Smoke tests: the shared servers are up and a test gets its own vhost and database.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class InfrastructureFixtureTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task CreateVirtualHost_PublishThenGet_ReturnsMessage()
    {
        var name = $"smoke-{Guid.NewGuid():N}";
        var endpoint = await infrastructure.CreateVirtualHostAsync(name);
        await using var connection = await endpoint.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync("smoke", durable: false, exclusive: false, autoDelete: false);

        await channel.BasicPublishAsync(exchange: string.Empty, routingKey: "smoke", body: Encoding.UTF8.GetBytes("hello"));
        var message = await Eventually.UntilAsync(
            () => channel.BasicGetAsync("smoke", autoAck: true),
            result => result is not null,
            TimeSpan.FromSeconds(10),
            "the published message in queue 'smoke'");

        Assert.Equal(name, endpoint.VirtualHost);
        Assert.Equal("hello", Encoding.UTF8.GetString(message!.Body.Span));
    }

    [Fact]
    public async Task CreateDatabase_InsertThenSelect_ReturnsRow()
    {
        var name = $"smoke_{Guid.NewGuid():N}";
        var connectionString = await infrastructure.CreateDatabaseAsync(name);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("CREATE TABLE items (id int PRIMARY KEY, value text NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = dataSource.CreateCommand("INSERT INTO items (id, value) VALUES (1, $1)"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = "hello" });
            await insert.ExecuteNonQueryAsync();
        }

        await using var select = dataSource.CreateCommand("SELECT current_database(), value FROM items WHERE id = 1");
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(name, reader.GetString(0));
        Assert.Equal("hello", reader.GetString(1));
    }
}
