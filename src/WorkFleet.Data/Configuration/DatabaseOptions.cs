namespace WorkFleet.Data.Configuration;

/// <summary>Where the fleet's state lives. Section <c>WorkFleet:Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Database";

    /// <summary><c>Postgres</c> (default) or <c>Sqlite</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Postgres;

    /// <summary>
    /// Npgsql or SQLite connection string. Default: <c>Host=localhost;Username=workfleet;Database=workfleet</c>, with no
    /// password: give one in the connection string (<c>WorkFleet__Database__ConnectionString</c>, or a file named by
    /// <c>WorkFleet__Database__ConnectionString_FILE</c>) or in <c>PGPASSWORD</c>.
    /// </summary>
    public string ConnectionString { get; set; } = "Host=localhost;Username=workfleet;Database=workfleet";

    /// <summary>
    /// Whether a host brings the PostgreSQL schema up to date at start (default <c>true</c>, for the embedded
    /// demo and single-role setups). With <c>false</c> the host only checks that every migration has been
    /// applied and refuses to start otherwise: run <c>workfleet migrate</c> as <c>workfleet_owner</c> first, and
    /// let the host connect as <c>workfleet_app</c>, which cannot change the schema. SQLite ignores it.
    /// </summary>
    public bool ApplyMigrations { get; set; } = true;
}
