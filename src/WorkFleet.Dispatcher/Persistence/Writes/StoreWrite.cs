using System.Data.Common;
using Npgsql;
using WorkFleet.Data;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>
/// One write of the task store, in the two forms <see cref="GroupCommitWriter"/> runs: on PostgreSQL as a single
/// SQL statement that goes to the server in one batch with the other writes of its group (one round trip, no
/// change tracking, prepared once per connection), and through EF Core everywhere else (the embedded SQLite store).
/// Both forms must do the same thing, and both must be safe to run again after a rollback.
/// </summary>
/// <typeparam name="T">What the caller learns from the write.</typeparam>
public abstract class StoreWrite<T>
{
    /// <summary>
    /// The PostgreSQL form: one statement that returns one row whose first column is a count, which
    /// <see cref="FromRow"/> turns into the answer; null when the write only has the EF Core form.
    /// </summary>
    public abstract NpgsqlBatchCommand? ToCommand();

    /// <summary>The answer, from the count the statement of <see cref="ToCommand"/> returned.</summary>
    public abstract T FromCount(long count);

    /// <summary>
    /// The answer, from the row the statement of <see cref="ToCommand"/> returned: by default its count. A write
    /// whose caller needs more than a count (a column of the row it changed) reads the other columns here, which
    /// spares the caller a query of its own.
    /// </summary>
    public virtual T FromRow(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return FromCount(row.GetInt64(0));
    }

    /// <summary>The EF Core form, inside the transaction the writer opened on <paramref name="db"/>.</summary>
    public abstract Task<T> RunAsync(WorkFleetDbContext db, CancellationToken cancellationToken);
}

/// <summary>A write that only has the EF Core form (rare writes, and tests that need a write to misbehave).</summary>
public sealed class ContextWrite<T>(Func<WorkFleetDbContext, CancellationToken, Task<T>> write) : StoreWrite<T>
{
    /// <inheritdoc />
    public override NpgsqlBatchCommand? ToCommand() => null;

    /// <inheritdoc />
    public override T FromCount(long count) => throw new NotSupportedException("A context write has no SQL form.");

    /// <inheritdoc />
    public override Task<T> RunAsync(WorkFleetDbContext db, CancellationToken cancellationToken) => write(db, cancellationToken);
}
