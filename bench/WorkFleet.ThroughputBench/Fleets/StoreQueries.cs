using Npgsql;

namespace WorkFleet.ThroughputBench.Fleets;

/// <summary>Counts in a round's database, on a connection of their own.</summary>
public static class StoreQueries
{
    /// <summary>A count (<paramref name="sql"/> may use <c>@ids</c>); -1 while the table does not exist yet.</summary>
    public static async Task<long> CountAsync(string connectionString, string sql, Guid[]? ids = null)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            if (ids is not null)
            {
                command.Parameters.AddWithValue("ids", ids);
            }

            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return -1;
        }
    }
}
