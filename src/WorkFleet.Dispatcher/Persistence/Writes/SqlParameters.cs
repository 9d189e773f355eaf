using Npgsql;
using NpgsqlTypes;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>Positional parameters ($1, $2, …) for the store's SQL writes, typed so that nulls need no guessing.</summary>
internal static class SqlParameters
{
    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    public static NpgsqlParameter Of(Guid value) => new NpgsqlParameter<Guid> { TypedValue = value };

    public static NpgsqlParameter Of(int value) => new NpgsqlParameter<int> { TypedValue = value };

    public static NpgsqlParameter Of(long? value) => Nullable(value, NpgsqlDbType.Bigint);

    public static NpgsqlParameter Of(double? value) => Nullable(value, NpgsqlDbType.Double);

    public static NpgsqlParameter Of(string? value) => Nullable(value, NpgsqlDbType.Text);

    public static NpgsqlParameter Of(DateTime? value) => Nullable(value, NpgsqlDbType.TimestampTz);

    public static NpgsqlParameter Of(IReadOnlyList<string> values) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
