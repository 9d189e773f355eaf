using Npgsql;

namespace WorkFleet.ChaosTests;

/// <summary>The fixture's control of its own server containers, which the chaos tests build on.</summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class ServerContainerTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task PostgresKilled_StartedAgain_ServesTheSameDatabaseOnTheSamePort()
    {
        // Arrange
        var database = infrastructure.Postgres
            ?? throw new InvalidOperationException("This test kills the database container; it cannot run against an external PostgreSQL (WORKFLEET_TEST_POSTGRES).");
        var connectionString = await infrastructure.CreateDatabaseAsync($"wf_kill_{Guid.NewGuid():N}"[..24]);
        await ExecuteAsync(connectionString, "CREATE TABLE survivors (id int PRIMARY KEY); INSERT INTO survivors VALUES (1)");
        var port = database.GetMappedPublicPort(5432);

        // Act: a crash, then a start.
        await database.KillAsync();
        await database.StartAsync();

        // Assert: same port, same data, a fresh connection gets through.
        Assert.Equal(port, database.GetMappedPublicPort(5432));
        NpgsqlConnection.ClearAllPools();
        var survivors = await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    return await ExecuteAsync(connectionString, "SELECT count(*) FROM survivors");
                }
                catch (NpgsqlException)
                {
                    return -1L; // still recovering
                }
            },
            count => count >= 0,
            TimeSpan.FromSeconds(60),
            "PostgreSQL answering again after the kill");
        Assert.Equal(1L, survivors);
    }

    private static async Task<long> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is long count ? count : 0;
    }
}
