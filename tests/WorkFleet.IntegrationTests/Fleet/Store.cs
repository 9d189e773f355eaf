using Microsoft.EntityFrameworkCore;
using WorkFleet.Data;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>Direct read access to a test's database, for assertions on recorded data.</summary>
public static class Store
{
    /// <summary>A context on the given Npgsql connection string.</summary>
    public static WorkFleetDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<WorkFleetDbContext>().UseNpgsql(connectionString).Options);
}
