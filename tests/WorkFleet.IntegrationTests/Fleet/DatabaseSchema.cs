using Npgsql;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>What a PostgreSQL database's schema is made of, as comparable text.</summary>
public static class DatabaseSchema
{
    /// <summary>
    /// One sorted line per column (type, nullability), index and constraint (name and definition) of the
    /// <c>public</c> schema, EF's history table left out. Column order is left out too: a column added by a
    /// later migration comes last, where a schema created from the model has it in declaration order.
    /// </summary>
    public static async Task<List<string>> DescribeAsync(string connectionString)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || udt_name || ' null=' || is_nullable
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'index ' || tablename || ' ' || indexname || ' ' || regexp_replace(indexdef, '^.* USING ', '')
              FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || contype::text || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"__EFMigrationsHistory"'
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
