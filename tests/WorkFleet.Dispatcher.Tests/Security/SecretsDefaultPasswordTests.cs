using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WorkFleet.Data.Configuration;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Tests.Support;
using WorkFleet.Messaging.Configuration.Security;

namespace WorkFleet.Dispatcher.Tests.Security;

/// <summary>
/// A host refuses to start with an empty or known default RabbitMQ or PostgreSQL password, naming the setting and
/// how to set a real one, unless WorkFleet:Security:AllowDefaultPasswords says so (tests); the embedded demo's
/// in-memory transport and SQLite have no password to check.
/// </summary>
[Trait("Category", "Security")]
public sealed class SecretsDefaultPasswordTests
{
    [Theory]
    [InlineData("workfleet")]
    [InlineData("guest")]
    [InlineData("")]
    public async Task Start_RabbitMqPasswordKnownDefault_RefusedNamingTheSettingAndHowToSetIt(string password)
    {
        using var host = Dispatcher(new()
        {
            ["WorkFleet:Transport:Kind"] = "RabbitMq",
            ["WorkFleet:Transport:RabbitMq:Host"] = "127.0.0.1",
            ["WorkFleet:Transport:RabbitMq:Port"] = "1",
            ["WorkFleet:Transport:RabbitMq:Password"] = password,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("WorkFleet:Transport:RabbitMq:Password is empty or a known default password", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet__Transport__RabbitMq__Password_FILE", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("WorkFleet:Database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresPasswordKnownDefault_RefusedNamingTheSetting()
    {
        using var host = Dispatcher(new()
        {
            ["WorkFleet:Database:Provider"] = "Postgres",
            ["WorkFleet:Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=postgres;Password=postgres;Database=workfleet",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(DatabasePasswordGuard.Setting + " is empty or a known default password", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet__Database__ConnectionString_FILE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_EmbeddedDemoTransportAndStore_NothingToRefuse()
    {
        using var host = Dispatcher([]);

        var options = host.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;

        Assert.False(options.AllowDefaultPasswords);
    }

    [Fact]
    public void Validate_DefaultAllowedForTests_SucceedsWithAWarningNamingTheSetting()
    {
        var logger = new RecordingLogger();
        var validation = new DefaultPasswordValidation(
            [new GuardedPassword("WorkFleet:Transport:RabbitMq:Password", "workfleet", "…"), new GuardedPassword("other", "a-real-one", "…")], logger);

        var result = validation.Validate(null, new SecurityOptions { AllowDefaultPasswords = true });

        Assert.True(result.Succeeded);
        var warning = Assert.Single(logger.Warnings);
        Assert.Contains("WorkFleet:Transport:RabbitMq:Password", warning, StringComparison.Ordinal);
        Assert.Contains("AllowDefaultPasswords", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RealPasswords_Succeed()
    {
        var validation = new DefaultPasswordValidation(
            [new GuardedPassword("a", "x7#kQ2!vLp", "…"), new GuardedPassword("b", null, "…")], NullLogger<DefaultPasswordValidation>.Instance);

        Assert.True(validation.Validate(null, new SecurityOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Host=db;Username=app;Password=Workfleet", null, null, true)]
    [InlineData("Host=db;Username=app", "guest", null, true)]
    [InlineData("Host=db;Username=app", null, null, true)]
    [InlineData("Host=db;Username=app", "s3cret-from-env", null, false)]
    [InlineData("Host=db;Username=app;Password=s3cret", "postgres", null, false)]
    [InlineData("Host=db;Username=app;Passfile=/run/secrets/pgpass", null, null, false)]
    [InlineData("Host=db;Username=app", null, "/run/secrets/pgpass", false)]
    public void Guard_PostgresConnection_PasswordFromStringOrPgPassword(string connectionString, string? pgPassword, string? pgPassFile, bool refused)
    {
        var environment = new Dictionary<string, string?> { ["PGPASSWORD"] = pgPassword, ["PGPASSFILE"] = pgPassFile };

        var guarded = DatabasePasswordGuard.Guard(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString }, name => environment[name]);

        Assert.Equal(refused, guarded.IsKnownDefault);
    }

    [Fact]
    public void Guard_Sqlite_NothingToCheck()
    {
        var guarded = DatabasePasswordGuard.Guard(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=x.db" }, _ => null);

        Assert.Null(guarded.Password);
        Assert.False(guarded.IsKnownDefault);
    }

    private static IHost Dispatcher(Dictionary<string, string?> settings) => EmbeddedDispatcherHost.Build(settings);

    private sealed class RecordingLogger : ILogger<DefaultPasswordValidation>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
