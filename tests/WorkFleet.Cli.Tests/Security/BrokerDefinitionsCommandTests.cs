using System.Text.Json;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Cli.Tests.Security;

public sealed class BrokerDefinitionsCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task BrokerDefinitions_WritesOneUserPerRole_WithHashesOnly()
    {
        var secretFile = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(secretFile, "from-a-file\n");
            var environment = new Dictionary<string, string>
            {
                ["WORKFLEET_RABBITMQ_DISPATCHER_PASSWORD"] = "d-secret",
                ["WORKFLEET_RABBITMQ_WORKER_PASSWORD_FILE"] = secretFile,
                ["WORKFLEET_RABBITMQ_PRODUCER_PASSWORD"] = "p-secret",
                ["WORKFLEET_RABBITMQ_OPERATOR_PASSWORD"] = "o-secret",
            };

            var (exitCode, _, stderr) = await CliProcess.RunAsync(Timeout, environment, "broker-definitions", "--out", output, "--vhost", "fleet");

            Assert.True(exitCode == 0, stderr);
            var json = await File.ReadAllTextAsync(output);
            Assert.DoesNotContain("secret", json, StringComparison.Ordinal);
            Assert.DoesNotContain("from-a-file", json, StringComparison.Ordinal);
            using var document = JsonDocument.Parse(json);
            var names = document.RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("name").GetString()!).ToHashSet();
            Assert.Equal(BrokerRoles.All.Keys.Select(r => "workfleet-" + r).ToHashSet(), names);
            Assert.All(document.RootElement.GetProperty("permissions").EnumerateArray(), p => Assert.Equal("fleet", p.GetProperty("vhost").GetString()));
        }
        finally
        {
            File.Delete(secretFile);
            File.Delete(output);
        }
    }

    [Fact]
    public async Task BrokerDefinitions_WorkerIds_AddAUserPerWorker_LimitedToItsOwnQueues()
    {
        var environment = new Dictionary<string, string>
        {
            ["WORKFLEET_RABBITMQ_DISPATCHER_PASSWORD"] = "d-secret",
            ["WORKFLEET_RABBITMQ_WORKER_PASSWORD"] = "w-secret",
            ["WORKFLEET_RABBITMQ_PRODUCER_PASSWORD"] = "p-secret",
            ["WORKFLEET_RABBITMQ_OPERATOR_PASSWORD"] = "o-secret",
            ["WORKFLEET_RABBITMQ_WORKER_GPU_1_PASSWORD"] = "g1-secret",
        };

        // gpu-2 has no password: named, nothing written.
        var (missingCode, missingOut, missingErr) = await CliProcess.RunAsync(Timeout, environment, "broker-definitions", "--worker-id", "gpu-1", "--worker-id", "gpu-2");
        Assert.Equal(2, missingCode);
        Assert.Contains("WORKFLEET_RABBITMQ_WORKER_GPU_2_PASSWORD", missingErr, StringComparison.Ordinal);
        Assert.DoesNotContain("users", missingOut, StringComparison.Ordinal);

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Timeout, environment, "broker-definitions", "--worker-id", "gpu-1");

        Assert.True(exitCode == 0, stderr);
        Assert.DoesNotContain("g1-secret", stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(stdout);
        var permissions = document.RootElement.GetProperty("permissions").EnumerateArray()
            .Single(p => p.GetProperty("user").GetString() == "workfleet-worker-gpu-1");
        Assert.Equal(BrokerRoles.OfWorker("gpu-1").Read, permissions.GetProperty("read").GetString());
        Assert.Contains(document.RootElement.GetProperty("users").EnumerateArray(), u => u.GetProperty("name").GetString() == "workfleet-worker");
    }

    [Fact]
    public async Task BrokerDefinitions_MissingPasswords_AreNamedAndNothingIsWritten()
    {
        var environment = new Dictionary<string, string> { ["WORKFLEET_RABBITMQ_DISPATCHER_PASSWORD"] = "d-secret" };

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Timeout, environment, "broker-definitions");

        Assert.Equal(2, exitCode);
        Assert.Contains("WORKFLEET_RABBITMQ_WORKER_PASSWORD", stderr, StringComparison.Ordinal);
        Assert.Contains("WORKFLEET_RABBITMQ_PRODUCER_PASSWORD", stderr, StringComparison.Ordinal);
        Assert.Contains("WORKFLEET_RABBITMQ_OPERATOR_PASSWORD", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("users", stdout, StringComparison.Ordinal);
    }
}
