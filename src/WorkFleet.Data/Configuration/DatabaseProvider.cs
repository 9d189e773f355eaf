namespace WorkFleet.Data.Configuration;

/// <summary>Which database engine stores the fleet's state.</summary>
public enum DatabaseProvider
{
    /// <summary>PostgreSQL via Npgsql: production. Schema managed by migrations.</summary>
    Postgres,

    /// <summary>SQLite: the embedded demo mode. Schema created from the model.</summary>
    Sqlite,
}
