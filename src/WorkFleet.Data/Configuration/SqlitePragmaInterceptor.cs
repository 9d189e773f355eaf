using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WorkFleet.Data.Configuration;

/// <summary>
/// Sets SQLite's own busy timeout on every connection. Without it, Microsoft.Data.Sqlite answers lock
/// contention by sleeping in coarse steps, which turned each write of the embedded demo (many concurrent
/// consumers, one writer at a time) into hundreds of milliseconds of waiting.
/// </summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;";

    /// <inheritdoc />
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
