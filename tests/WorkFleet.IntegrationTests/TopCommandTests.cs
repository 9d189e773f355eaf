using System.Net.Http.Json;
using System.Text.Json;

namespace WorkFleet.IntegrationTests;

/// <summary><c>workfleet top</c> against a running dispatcher's <c>/api/status</c>, as a separate process.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class TopCommandTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Top_Once_PrintsEveryWorkerWithItsLoadAgainstCapacity()
    {
        // Arrange: a dispatcher with its dashboard and two workers, both seen live by the dispatcher.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("top"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("top"));
        var (dispatcher, dashboard) = await FleetHosts.StartDispatcherWithDashboardAsync(rabbit, database);
        await using var hosts = new RunningHosts();
        hosts.Add(dispatcher);
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("top-w1", 2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("top-w2", 3)));
        using var http = new HttpClient { BaseAddress = dashboard };
        http.DefaultRequestHeaders.Add("X-Api-Key", FleetHosts.DashboardApiKey);
        await Eventually.UntilAsync(
            async () => await http.GetFromJsonAsync<JsonElement>("api/status"),
            s => s.GetProperty("workers").EnumerateArray().Count(w => w.GetProperty("health").GetString() == "live") == 2,
            TimeSpan.FromSeconds(30),
            "both workers live at the dispatcher");

        // Act: the key from the environment, as an operator would pass it.
        var (exitCode, stdout, stderr) = await AppProcess.RunAsync(
            "workfleet.dll", CliTimeout, new Dictionary<string, string> { ["WORKFLEET_API_KEY"] = FleetHosts.DashboardApiKey }, ["top", "--once", "--url", dashboard.ToString()]);

        // Assert
        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        Assert.Contains("workers live 2/2", stdout, StringComparison.Ordinal);
        Assert.Contains("held 0/5", stdout, StringComparison.Ordinal);
        Assert.Contains("waiting 0", stdout, StringComparison.Ordinal);
        var lines = stdout.Split('\n');
        Assert.Contains("0/2", Assert.Single(lines, l => l.Contains("top-w1", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("0/3", Assert.Single(lines, l => l.Contains("top-w2", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_WrongKey_ExitsTwoAndNamesTheKeyOption()
    {
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("topkey"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("topkey"));
        var (dispatcher, dashboard) = await FleetHosts.StartDispatcherWithDashboardAsync(rabbit, database);
        await using var hosts = new RunningHosts();
        hosts.Add(dispatcher);

        var (exitCode, _, stderr) = await AppProcess.RunAsync(
            "workfleet.dll", CliTimeout, new Dictionary<string, string>(), ["top", "--once", "--url", dashboard.ToString(), "--api-key", "not-the-key"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("401", stderr, StringComparison.Ordinal);
        Assert.Contains("--api-key", stderr, StringComparison.Ordinal);
    }
}
