using Microsoft.EntityFrameworkCore;
using WorkFleet.Data.DesignTime;

namespace WorkFleet.Data.Tests;

/// <summary>The migrations as the tools see them; no database needed.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void Model_ComparedWithMigrationSnapshot_HasNoPendingChanges()
    {
        using var db = new WorkFleetDesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(
            db.Database.HasPendingModelChanges(),
            "The model has changes no migration holds: run `dotnet ef migrations add <Name> --project src/WorkFleet.Data`.");
    }

    [Fact]
    public void Migrations_OfPreviousVersions_KeepTheirIds()
    {
        // Existing databases hold these ids in __EFMigrationsHistory; a renamed one would be applied a second time.
        string[] released = ["20261123000000_InitialSchema", "20261123100000_RetrySchedule", "20261123120000_AttemptRetryAt"];

        using var db = new WorkFleetDesignTimeDbContextFactory().CreateDbContext([]);

        Assert.Equal(released, db.Database.GetMigrations().Take(released.Length));
    }
}
