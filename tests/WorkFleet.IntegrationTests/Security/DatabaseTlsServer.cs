using System.Globalization;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Images;
using Microsoft.Extensions.Logging.Abstractions;
using Testcontainers.PostgreSql;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// A PostgreSQL container of its own (the fixture's image) with <c>ssl=on</c>, the given server certificate,
/// and a pg_hba.conf that accepts TCP only over TLS (<c>hostssl</c>). The image's entrypoint is wrapped, not
/// changed: a mounted script copies the key where the server wants it (owned by postgres, mode 0600: mounted
/// files belong to root) and passes the TLS settings to the server on its command line.
/// </summary>
public static class DatabaseTlsServer
{
    /// <summary>User and password of the container's superuser.</summary>
    public const string Username = "workfleet";

    /// <summary>Password of <see cref="Username"/>.</summary>
    public const string Password = "workfleet-tls-test";

    private const string StartScript = """
        #!/bin/sh
        set -eu
        install -d -o postgres -g postgres -m 700 /var/lib/postgresql/tls
        install -o postgres -g postgres -m 600 /tls-mount/server.key /var/lib/postgresql/tls/server.key
        install -o postgres -g postgres -m 644 /tls-mount/server.crt /var/lib/postgresql/tls/server.crt
        install -o postgres -g postgres -m 644 /tls-mount/pg_hba.conf /var/lib/postgresql/tls/pg_hba.conf
        exec /usr/local/bin/docker-entrypoint.sh "$@" -c ssl=on \
          -c ssl_cert_file=/var/lib/postgresql/tls/server.crt -c ssl_key_file=/var/lib/postgresql/tls/server.key \
          -c hba_file=/var/lib/postgresql/tls/pg_hba.conf
        """;

    // The socket stays open for the image's own setup and readiness check; TCP needs TLS.
    private const string HostBasedAccess = """
        local all all trust
        hostssl all all all scram-sha-256
        """;

    /// <summary>Starts the container; the caller disposes it.</summary>
    /// <param name="certificatePem">The server certificate.</param>
    /// <param name="keyPem">Its private key.</param>
    public static async Task<PostgreSqlContainer> StartAsync(string certificatePem, string keyPem)
    {
        TestcontainersSettings.ResourceReaperEnabled = false;
        TestcontainersSettings.DockerHostOverride = "127.0.0.1";
        var image = Environment.GetEnvironmentVariable("WORKFLEET_TEST_POSTGRES_IMAGE") is { Length: > 0 } set ? set : "workfleet/postgres:local";
        var container = new PostgreSqlBuilder()
            .WithImage(image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithName($"workfleet-test-postgres-tls-{Guid.NewGuid().ToString("N")[..8]}")
            .WithLabel("workfleet.test", "1")
            .WithLabel("workfleet.test.pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            .WithLogger(NullLogger.Instance)
            .WithUsername(Username)
            .WithPassword(Password)
            .WithDatabase(Username)
            .WithPortBinding(PostgreSqlBuilder.PostgreSqlPort, true)
            .WithCreateParameterModifier(parameters =>
            {
                foreach (var binding in parameters.HostConfig.PortBindings.Values.SelectMany(bindings => bindings))
                {
                    binding.HostIP = "127.0.0.1";
                }
            })
            .WithResourceMapping(Encoding.UTF8.GetBytes(certificatePem), "/tls-mount/server.crt")
            .WithResourceMapping(Encoding.UTF8.GetBytes(keyPem), "/tls-mount/server.key")
            .WithResourceMapping(Encoding.UTF8.GetBytes(HostBasedAccess + "\n"), "/tls-mount/pg_hba.conf")
            .WithResourceMapping(Encoding.UTF8.GetBytes(StartScript.ReplaceLineEndings("\n") + "\n"), "/tls-mount/start.sh", Unix.FileMode755)
            .WithEntrypoint("/tls-mount/start.sh")
            .Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token);
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }
}
