using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class SchemaTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Migrations_AppliedSchema_MatchesModel()
    {
        // Arrange: one database built by the hand-written migrations, one by EF from the model.
        var migrated = await infrastructure.CreateDatabaseAsync(TestNames.Unique("migrated"));
        var fromModel = await infrastructure.CreateDatabaseAsync(TestNames.Unique("model"));

        // Act
        await using (var db = Store.Open(migrated))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using (var db = Store.Open(fromModel))
        {
            await db.Database.EnsureCreatedAsync();
        }

        // Assert: same tables, columns (type, nullability), keys and indexes.
        var expected = await DescribeAsync(fromModel);
        var actual = await DescribeAsync(migrated);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    private static async Task<List<string>> DescribeAsync(string connectionString)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || udt_name || ' null=' || is_nullable
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'index ' || tablename || ' ' || regexp_replace(indexdef, '^.* USING ', '')
              FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || contype::text || ' ' || pg_get_constraintdef(oid)
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
