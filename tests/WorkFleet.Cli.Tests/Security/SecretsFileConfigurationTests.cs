using Microsoft.Extensions.Configuration;
using WorkFleet.Messaging.Configuration.Secrets;

namespace WorkFleet.Cli.Tests.Security;

/// <summary>
/// Any configuration value can come from a file named by a <c>…_FILE</c> environment variable, as with the official
/// Docker images; a file that cannot be read stops the start naming the variable and the path.
/// </summary>
[Trait("Category", "Security")]
public sealed class SecretsFileConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workfleet-secrets-").FullName;

    [Fact]
    public void FileVariable_ValueReadFromFile_TrailingNewlineTrimmed_OverridesEarlierSources()
    {
        var password = Secret("rabbit", "s3cr3t with spaces\n");
        var connection = Secret("db", "Host=db;Username=app;Password=p@ss\r\n");

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WorkFleet:Transport:RabbitMq:Password"] = "from-appsettings" })
            .Add(Source(new()
            {
                ["WorkFleet__Transport__RabbitMq__Password_FILE"] = password,
                ["WorkFleet__Database__ConnectionString_FILE"] = connection,
                ["PATH"] = "/usr/bin",
            }))
            .Build();

        Assert.Equal("s3cr3t with spaces", configuration["WorkFleet:Transport:RabbitMq:Password"]);
        Assert.Equal("Host=db;Username=app;Password=p@ss", configuration["WorkFleet:Database:ConnectionString"]);
    }

    [Fact]
    public void FileVariable_OnlyNamesShapedLikeConfigurationKeys_AreRead()
    {
        // POSTGRES_PASSWORD_FILE belongs to the database's image, not to us: no '__', so not a configuration key.
        var configuration = new ConfigurationBuilder()
            .Add(Source(new() { ["POSTGRES_PASSWORD_FILE"] = "/no/such/file", ["WorkFleet__Worker__WorkerId"] = "w" }))
            .Build();

        Assert.Empty(configuration.AsEnumerable());
    }

    [Fact]
    public void FileVariable_FileMissing_StartFailsNamingVariableAndPath()
    {
        var missing = Path.Combine(_directory, "absent");

        var error = Assert.Throws<InvalidOperationException>(() => new ConfigurationBuilder()
            .Add(Source(new() { ["WorkFleet__Transport__RabbitMq__Password_FILE"] = missing }))
            .Build());

        Assert.Contains("WorkFleet__Transport__RabbitMq__Password_FILE", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Process")]
    public async Task Cli_FileVariableNamesMissingFile_ExitsNonZeroNamingVariableAndPath()
    {
        var missing = Path.Combine(_directory, "absent");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(
            TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["WorkFleet__Transport__RabbitMq__Password_FILE"] = missing }, "errors");

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"WorkFleet__Transport__RabbitMq__Password_FILE names the secret file '{missing}'", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static FileSecretsConfigurationSource Source(Dictionary<string, string?> environment) => new() { Environment = environment };

    private string Secret(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
