using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkFleet.Data;
using WorkFleet.Data.Configuration;
using WorkFleet.Data.Entities;

namespace WorkFleet.Dispatcher.Tests.Support;

/// <summary>A migrated SQLite store in a temporary file, the embedded demo's store; deleted on dispose.</summary>
public sealed class SqliteStore : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _connectionString;
    private readonly ServiceProvider _services;

    private SqliteStore(string directory, string connectionString, ServiceProvider services)
    {
        _directory = directory;
        _connectionString = connectionString;
        _services = services;
    }

    /// <summary>The store's context factory.</summary>
    public IDbContextFactory<WorkFleetDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<WorkFleetDbContext>>();

    /// <summary>Creates and migrates the store.</summary>
    public static async Task<SqliteStore> CreateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("workfleet-store-").FullName;
        var connectionString = $"Data Source={Path.Combine(directory, "store.db")}";
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddWorkFleetData(o =>
            {
                o.Provider = DatabaseProvider.Sqlite;
                o.ConnectionString = connectionString;
            })
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        return new SqliteStore(directory, connectionString, services);
    }

    /// <summary>A new pending task, not stored.</summary>
    public static TaskRecord NewTask(Guid? id = null) => new()
    {
        Id = id ?? Guid.NewGuid(),
        JobType = "test.echo",
        Payload = "{}",
        Status = TaskState.Pending,
        SubmittedAt = DateTime.UtcNow,
        CreatedAt = DateTime.UtcNow,
    };

    /// <summary>The ids of every stored task.</summary>
    public async Task<HashSet<Guid>> StoredTaskIdsAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return [.. await db.Tasks.Select(t => t.Id).ToListAsync()];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    /// <summary>A logger that drops everything, for the store's parts under test.</summary>
    public static NullLogger<T> Logger<T>() => NullLogger<T>.Instance;
}
