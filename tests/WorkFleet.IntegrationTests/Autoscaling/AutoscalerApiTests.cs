using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.IntegrationTests.Fleet;

namespace WorkFleet.IntegrationTests.Autoscaling;

/// <summary>
/// The autoscaler running in a real dispatcher (executor <c>none</c>: recommend only) on RabbitMQ and PostgreSQL:
/// it takes the lease, measures the fleet, and what it wants shows in /api/autoscaler, /metrics and
/// <c>workfleet autoscaler</c>, following the load both ways.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class AutoscalerApiTests(InfrastructureFixture infrastructure)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["WorkFleet:Autoscaler:Enabled"] = "true",
        ["WorkFleet:Autoscaler:Executor"] = "none",
        ["WorkFleet:Autoscaler:Interval"] = "00:00:00.200",
        ["WorkFleet:Autoscaler:MinWorkers"] = "1",
        ["WorkFleet:Autoscaler:MaxWorkers"] = "5",
        ["WorkFleet:Autoscaler:ScaleDownStabilization"] = "00:00:00",
    };

    [Fact]
    public async Task Idle_fleet_is_recommended_the_minimum_and_a_backlog_the_maximum()
    {
        // Arrange: two idle workers of capacity 1.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("asapi"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("asapi"));
        var (dispatcher, dashboard) = await FleetHosts.StartDispatcherWithDashboardAsync(rabbit, database, Settings);
        await using var hosts = new RunningHosts();
        hosts.Add(dispatcher);
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("as-w1", 1)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("as-w2", 1)));
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", FleetHosts.DashboardApiKey);

        // Act + assert: idle, the recommendation is the minimum; nothing is drained with executor none.
        var idle = await ReportWhenAsync(http, r => r.GetProperty("currentWorkers").ValueKind == JsonValueKind.Number
            && r.GetProperty("currentWorkers").GetInt32() == 2 && r.GetProperty("desiredWorkers").GetInt32() == 1, "an idle fleet of 2 recommended 1");
        Assert.Equal("leader", idle.GetProperty("role").GetString());
        Assert.Equal("none", idle.GetProperty("executor").GetString());
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("lastError").ValueKind);
        Assert.Empty(idle.GetProperty("drains").EnumerateArray());
        Assert.NotEmpty(idle.GetProperty("decisions").EnumerateArray());

        var metrics = PrometheusText.Parse(await http.GetStringAsync(new Uri("metrics", UriKind.Relative)));
        Assert.Equal(1, metrics.Value("workfleet_autoscaler_enabled"));
        Assert.Equal(1, metrics.Value("workfleet_autoscaler_leader", ("executor", "none"), ("policy", "hpa")));
        Assert.Equal(2, metrics.Value("workfleet_autoscaler_current_workers"));

        var (exitCode, stdout, stderr) = await AppProcess.RunAsync(
            "workfleet.dll", TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["WORKFLEET_API_KEY"] = FleetHosts.DashboardApiKey }, ["autoscaler", "--url", dashboard.ToString(), "--json"]);
        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        using var cli = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        Assert.Equal("leader", cli.RootElement.GetProperty("role").GetString());
        Assert.Equal(5, cli.RootElement.GetProperty("maxWorkers").GetInt32());

        // A backlog of slow tasks (2 running, 6 waiting on 2 slots) makes it want the maximum.
        var producer = hosts.Add(await FleetHosts.StartClientAsync(rabbit));
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var backlog = Enumerable.Range(0, 8).Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":256,"seed":{{i}},"repeat":20}"""))).ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var outcomes = backlog.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(backlog);

        var busy = await ReportWhenAsync(http, r => r.GetProperty("desiredWorkers").GetInt32() == 5, "a backlog recommended the maximum of 5");
        Assert.Contains(busy.GetProperty("decisions").EnumerateArray(), d => d.GetProperty("utilization").GetDouble() > 1);
        metrics = PrometheusText.Parse(await http.GetStringAsync(new Uri("metrics", UriKind.Relative)));
        Assert.Equal("gauge", metrics.Types.GetValueOrDefault("workfleet_autoscaler_desired_workers"));
        Assert.Single(metrics.Find("workfleet_autoscaler_desired_workers"));
        Assert.All(await Task.WhenAll(outcomes), f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
    }

    private static async Task<JsonElement> ReportWhenAsync(HttpClient http, Func<JsonElement, bool> done, string what) =>
        await Eventually.UntilAsync(
            async () =>
            {
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/autoscaler", UriKind.Relative)));
                return document.RootElement.Clone();
            },
            r => r.GetProperty("desiredWorkers").ValueKind == JsonValueKind.Number && done(r),
            TimeSpan.FromSeconds(60),
            what);
}
