using Microsoft.EntityFrameworkCore;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class SchemaTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Migrations_AppliedSchema_MatchesModel()
    {
        // Arrange: one database built by the migrations, one by EF from the model.
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

        // Assert: same tables, columns (type, nullability), keys and indexes, by name.
        var expected = await DatabaseSchema.DescribeAsync(fromModel);
        var actual = await DatabaseSchema.DescribeAsync(migrated);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }
}
