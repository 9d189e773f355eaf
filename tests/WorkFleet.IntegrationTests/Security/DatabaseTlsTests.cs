using System.Security.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;
using WorkFleet.Data;
using WorkFleet.Data.Configuration;
using WorkFleet.Data.Roles;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// PostgreSQL over TLS with a CA made at test time: the fleet's connection string (Npgsql's <c>SSL Mode</c> and
/// <c>Root Certificate</c>) verifies the server, refuses a server of another CA, and the server refuses plain TCP.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class DatabaseTlsTests : IAsyncLifetime, IDisposable
{
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.CreateAuthority("WorkFleet Test CA");
    private readonly TestCertificateAuthority _otherAuthority = TestCertificateAuthority.CreateAuthority("Some Other CA");
    private readonly string _directory = Directory.CreateTempSubdirectory("workfleet-tls-").FullName;
    private PostgreSqlContainer _server = null!;

    public async Task InitializeAsync()
    {
        var (certificate, key) = _authority.IssueServerCertificate();
        _server = await DatabaseTlsServer.StartAsync(certificate, key);
        await File.WriteAllTextAsync(CaFile, _authority.CaPem);
        await File.WriteAllTextAsync(OtherCaFile, _otherAuthority.CaPem);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _authority.Dispose();
        _otherAuthority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string CaFile => Path.Combine(_directory, "ca.pem");

    private string OtherCaFile => Path.Combine(_directory, "other-ca.pem");

    [Fact]
    public async Task VerifyFull_ServerCertificateOfTrustedCa_ConnectsOverTls()
    {
        await using var connection = new NpgsqlConnection(ConnectionString($"SSL Mode=VerifyFull;Root Certificate={CaFile}"));
        await connection.OpenAsync();

        await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task MigrateAndAppRole_VerifyFullConnectionStrings_WorkThroughFleetConfiguration()
    {
        // Arrange: the migrate step and the runtime role, both configured the way hosts are (WorkFleet:Database).
        var tls = $"SSL Mode=VerifyFull;Root Certificate={CaFile}";
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddWorkFleetData(o => (o.Provider, o.ConnectionString) = (DatabaseProvider.Postgres, ConnectionString(tls)))
            .BuildServiceProvider();

        // Act: provision the roles and migrate over TLS, then connect as the app role over TLS.
        var applied = await services.GetRequiredService<DatabaseMigrator>()
            .MigrateAsync(new RolePasswords(PostgresRoles.AppPassword, PostgresRoles.ReadPassword), CancellationToken.None);
        var app = new NpgsqlConnectionStringBuilder(ConnectionString(tls)) { Username = DatabaseRoles.App, Password = PostgresRoles.AppPassword };
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM tasks) = 0 AND (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())", connection);

        // Assert: migrated, and the app role reads its (empty) table over TLS.
        Assert.NotEmpty(applied);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task VerifyFull_RootCertificateOfAnotherCa_Refused()
    {
        await using var connection = new NpgsqlConnection(ConnectionString($"SSL Mode=VerifyFull;Root Certificate={OtherCaFile}"));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());

        Assert.Contains(Chain(refused), e => e is AuthenticationException);
    }

    [Fact]
    public async Task PlainTcp_HostSslOnlyServer_Refused()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("SSL Mode=Disable"));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, refused.SqlState);
        Assert.Contains("no encryption", refused.MessageText, StringComparison.Ordinal);
    }

    private string ConnectionString(string tls) =>
        new NpgsqlConnectionStringBuilder(_server.GetConnectionString() + ";" + tls) { Pooling = false, Timeout = 15 }.ConnectionString;

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
