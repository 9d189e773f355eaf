using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using WorkFleet.Data.Configuration;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.IntegrationTests.Fleet;
using WorkFleet.Testing;
using WorkFleet.Testing.Infrastructure;

namespace WorkFleet.IntegrationTests.Autoscaling;

/// <summary>One autoscaler acts per fleet: the PostgreSQL advisory lock is held by one dispatcher at a time and passes on when its holder goes.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class AutoscalerLeaseTests(InfrastructureFixture infrastructure)
{
    private static AutoscalerLease Lease(string connectionString) => new(
        Options.Create(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString }),
        NullLogger<AutoscalerLease>.Instance);

    [Fact]
    public async Task One_holder_at_a_time_and_the_lease_passes_on_when_the_holder_releases_it()
    {
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("lease"));
        await using var first = Lease(database);
        await using var second = Lease(database);

        Assert.True(await first.HoldAsync(CancellationToken.None));
        Assert.False(await second.HoldAsync(CancellationToken.None));
        Assert.True(await first.HoldAsync(CancellationToken.None));

        await first.ReleaseAsync();

        Assert.True(await second.HoldAsync(CancellationToken.None));
        Assert.False(await first.HoldAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_holder_whose_connection_dies_loses_the_lease_to_the_next()
    {
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("leaselost"));
        await using var first = Lease(database);
        await using var second = Lease(database);
        Assert.True(await first.HoldAsync(CancellationToken.None));

        // The leader's session ends as in a crash or a network cut: the server frees its lock.
        await using (var admin = new NpgsqlConnection(database))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'workfleet-autoscaler-lease' AND datname = current_database()", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        Assert.False(await first.HoldAsync(CancellationToken.None));

        // The lock goes when the terminated backend has exited, a moment after the signal.
        Assert.True(await Eventually.UntilAsync(() => second.HoldAsync(CancellationToken.None), held => held, TimeSpan.FromSeconds(30), "the second dispatcher takes the lease"));
    }
}
