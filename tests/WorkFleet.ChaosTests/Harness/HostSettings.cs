using System.Globalization;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>
/// The environment variables a host process is configured by (<c>WorkFleet__Section__Key</c>, which
/// override any appsettings.json), with the timings the chaos tests use.
/// </summary>
public static class HostSettings
{
    /// <summary>A worker silent for longer than this gets no new tasks (Suspect).</summary>
    public static readonly TimeSpan LivenessTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A worker silent for longer than this is Lost: its attempts are rescued.</summary>
    public static readonly TimeSpan LostTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Backoff before the first retry; doubles for each further one.</summary>
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a SIGTERMed worker may take to finish what it holds.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a dispatcher or worker may be reachable-but-not-consuming before it stops to be restarted: the
    /// watchdog's last resort, well past the in-process recovery (about 2 s after the broker is back), so that a
    /// test sees it only when the in-process recovery failed.
    /// </summary>
    public static readonly TimeSpan EndpointRecoveryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a retryable failure is final.</summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// Settings every host gets: environment, transport and logging (one line per entry, timestamped). Hosts connect
    /// as role users with real passwords, so none needs WorkFleet:Security:AllowDefaultPasswords.
    /// </summary>
    /// <param name="rabbit">The virtual host, as the broker user of the host's role.</param>
    public static Dictionary<string, string> Common(RabbitMqEndpoint rabbit)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        var settings = EnvironmentAndLogging();

        // The same transport keys as the in-process hosts, in the environment's spelling (':' becomes '__').
        foreach (var (key, value) in rabbit.TransportSettings())
        {
            settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        return settings;
    }

    /// <summary>
    /// The migrate step (<c>WorkFleet.DispatcherHost migrate</c>, as the compose <c>migrate</c> service runs it) on
    /// the database of <paramref name="ownerDatabase"/>, connected as <c>workfleet_owner</c>.
    /// </summary>
    public static Dictionary<string, string> Migrate(string ownerDatabase)
    {
        var settings = EnvironmentAndLogging();
        settings["WorkFleet__Database__Provider"] = "Postgres";
        settings["WorkFleet__Database__ConnectionString"] = ownerDatabase;
        return settings;
    }

    private static Dictionary<string, string> EnvironmentAndLogging()
    {
        return new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Test",
            ["Logging__LogLevel__Default"] = "Information",
            // WORKFLEET_CHAOS_MASSTRANSIT_LOGLEVEL=Debug shows the transport's connection and endpoint life cycle.
            ["Logging__LogLevel__MassTransit"] = Environment.GetEnvironmentVariable("WORKFLEET_CHAOS_MASSTRANSIT_LOGLEVEL") is { Length: > 0 } level ? level : "Warning",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
            ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
        };
    }

    /// <summary>
    /// A dispatcher with the chaos timings, as deployed: on the broker as the dispatcher user, believing heartbeats
    /// and results only when they carry the broker-validated user-id of <paramref name="workerUser"/>; on
    /// <paramref name="appDatabase"/> as <c>workfleet_app</c>, checking (not migrating) the schema the migrate step made.
    /// </summary>
    /// <param name="rabbit">The virtual host as the dispatcher role's user.</param>
    /// <param name="appDatabase">The test database as <c>workfleet_app</c>.</param>
    /// <param name="workerUser">The broker user the workers connect as.</param>
    public static Dictionary<string, string> Dispatcher(RabbitMqEndpoint rabbit, string appDatabase, string workerUser)
    {
        var settings = Common(rabbit);
        settings["WorkFleet__Database__Provider"] = "Postgres";
        settings["WorkFleet__Database__ConnectionString"] = appDatabase;
        settings["WorkFleet__Database__ApplyMigrations"] = "false";
        settings["WorkFleet__Dispatcher__Trust__RequireSenderIdentity"] = "true";
        settings["WorkFleet__Dispatcher__Trust__WorkerUsers__0"] = workerUser;
        settings["WorkFleet__Dispatcher__LivenessTimeout"] = Format(LivenessTimeout);
        settings["WorkFleet__Dispatcher__LostTimeout"] = Format(LostTimeout);
        settings["WorkFleet__Dispatcher__MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture);
        settings["WorkFleet__Dispatcher__RetryBaseDelay"] = Format(RetryBaseDelay);
        settings["WorkFleet__Dispatcher__EndpointRecoveryTimeout"] = Format(EndpointRecoveryTimeout);

        // Several dispatchers share the machine: each takes a free port for its dashboard.
        settings["WorkFleet__Dashboard__Urls"] = "http://127.0.0.1:0";
        return settings;
    }

    /// <summary>A worker with the given id, weight and capacity, heartbeating every second.</summary>
    /// <param name="rabbit">The virtual host as the worker role's user.</param>
    /// <param name="workerId">The worker's id.</param>
    /// <param name="weight">Its relative speed.</param>
    /// <param name="capacity">How many tasks it runs at once.</param>
    public static Dictionary<string, string> Worker(RabbitMqEndpoint rabbit, string workerId, double weight, int capacity)
    {
        var settings = Common(rabbit);
        settings["WorkFleet__Worker__WorkerId"] = workerId;
        settings["WorkFleet__Worker__Weight"] = weight.ToString(CultureInfo.InvariantCulture);
        settings["WorkFleet__Worker__Capacity"] = capacity.ToString(CultureInfo.InvariantCulture);
        settings["WorkFleet__Worker__HeartbeatInterval"] = "00:00:01";
        settings["WorkFleet__Worker__DrainTimeout"] = Format(DrainTimeout);
        settings["WorkFleet__Worker__EndpointRecoveryTimeout"] = Format(EndpointRecoveryTimeout);

        // The chaos and autoscale tests submit diagnostics.flaky and diagnostics.sleep tasks.
        settings["WorkFleet__Worker__EnableDiagnosticJobs"] = "true";
        return settings;
    }

    /// <summary>A TimeSpan as configuration binds it: <c>hh:mm:ss.fff</c>.</summary>
    public static string Format(TimeSpan value) => value.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
}
