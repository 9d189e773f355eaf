namespace WorkFleet.Data.Configuration;

/// <summary>Where the fleet's state lives. Section <c>WorkFleet:Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Database";

    /// <summary><c>Postgres</c> (default) or <c>Sqlite</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Postgres;

    /// <summary>
    /// Npgsql or SQLite connection string. Default:
    /// <c>Host=localhost;Username=workfleet;Password=workfleet;Database=workfleet</c>.
    /// </summary>
    public string ConnectionString { get; set; } = "Host=localhost;Username=workfleet;Password=workfleet;Database=workfleet";
}
