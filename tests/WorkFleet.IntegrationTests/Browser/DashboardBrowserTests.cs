using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkFleet.Client;
using WorkFleet.Contracts;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WorkFleet.IntegrationTests.Browser;

/// <summary>
/// The dashboard page in a real browser (Playwright + Debian's chromium) against a running fleet: it asks for a key, shows
/// the workers, counts the tasks and draws the throughput as they finish, looks a task up, and has no serious or critical
/// accessibility violation (axe). The page has no submit form: tasks go through the client, as a producer sends them.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed partial class DashboardBrowserTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int Tasks = 40;

    // The page polls every second; a slow shared machine may take a few polls to show what happened.
    private static readonly LocatorAssertionsToHaveTextOptions Text = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions Contains = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task Dashboard_InChromium_ShowsWorkersCountsThroughputAndTaskWithoutSeriousAxeViolations()
    {
        // Arrange: a dispatcher with its dashboard, workers of weights 1, 2 and 8, a producer, chromium.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("browser"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("browser"));
        var (dispatcher, dashboard) = await FleetHosts.StartDispatcherWithDashboardAsync(rabbit, database);
        await using var hosts = new RunningHosts();
        hosts.Add(dispatcher);
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity) = ("browser-w1", 1, 2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity) = ("browser-w2", 2, 2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity) = ("browser-w8", 8, 4)));
        var producer = hosts.Add(await FleetHosts.StartClientAsync(rabbit));
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        try
        {
            // Act and assert: without a key the page asks for one, and shows no data.
            await page.GotoAsync(dashboard.ToString());
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API key required" })).ToBeVisibleAsync(Visible);
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Workers (this dispatcher's view)" })).ToBeHiddenAsync();
            await AssertNoSeriousAxeViolationsAsync(page, "the key prompt");

            await page.GetByLabel("API key").FillAsync(FleetHosts.DashboardApiKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();

            // Every worker, live, with its capacity; nothing has run yet.
            var workers = page.GetByRole(AriaRole.Table, new() { Name = "Workers (this dispatcher's view)" });
            foreach (var (id, capacity) in new[] { ("browser-w1", 2), ("browser-w2", 2), ("browser-w8", 4) })
            {
                var row = workers.GetByRole(AriaRole.Row).Filter(new() { HasText = id });
                await Expect(row).ToContainTextAsync("live", Contains);
                await Expect(row).ToContainTextAsync($"/ {capacity}", Contains);
            }

            await Expect(page.Locator("#c-live")).ToHaveTextAsync("3", Text);
            await Expect(page.Locator("#c-ok")).ToHaveTextAsync("0", Text);

            // Tasks finish while the page polls: the counts and the throughput line follow.
            var tasks = Enumerable.Range(0, Tasks).Select(TestJobs.Mixed).Select(j => client.CreateTask(j.JobType, j.Payload)).ToList();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
            await client.SubmitManyAsync(tasks);
            Assert.All(await Task.WhenAll(outcomes), o => Assert.Equal(TaskOutcome.Succeeded, o.Outcome));

            await Expect(page.Locator("#c-ok")).ToHaveTextAsync($"{Tasks}", Text);
            await Expect(page.Locator("#c-failed")).ToHaveTextAsync("0", Text);
            var stored = page.GetByRole(AriaRole.Table, new() { Name = "Tasks in the store (all dispatchers)" });
            await Expect(stored.GetByRole(AriaRole.Row).Filter(new() { HasText = "Succeeded" })).ToContainTextAsync($"{Tasks}", Contains);

            // The chart: a point off the baseline (y 58.0 is zero per second) and a summary that reads a non-zero peak.
            await Expect(page.Locator("#spark-line")).ToHaveAttributeAsync("points", PointAboveBaseline(), new() { Timeout = 60_000 });
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Finished per second, last 2 minutes" }))
                .ToHaveAccessibleDescriptionAsync(NonZeroPeak(), new() { Timeout = 60_000 });

            // Look a task up by id: its stored details, succeeded.
            var looked = tasks[3].TaskId.ToString();
            await page.GetByLabel("Task id").FillAsync(looked);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            var details = page.GetByRole(AriaRole.Region, new() { Name = "Task details" });
            await Expect(details).ToContainTextAsync(looked, Contains);
            await Expect(details).ToContainTextAsync("\"status\": \"Succeeded\"", Contains);

            await AssertNoSeriousAxeViolationsAsync(page, "the dashboard with data");
            var screenshot = Path.Combine(Chromium.ArtifactsDirectory, "dashboard.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            output.WriteLine("screenshot: " + screenshot);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ArtifactsDirectory, "dashboard-failed.png"), FullPage = true });
            throw;
        }
    }

    [Fact]
    public async Task Dashboard_OpenedWithKeyInUrlFragment_ShowsDataAndDropsKeyFromAddress()
    {
        // Arrange: the URL the dispatcher logs at start carries the key in its fragment.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("browserkey"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("browserkey"));
        var (dispatcher, dashboard) = await FleetHosts.StartDispatcherWithDashboardAsync(rabbit, database);
        await using var hosts = new RunningHosts();
        hosts.Add(dispatcher);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();

        // Act
        await page.GotoAsync(dashboard + "#key=" + Uri.EscapeDataString(FleetHosts.DashboardApiKey));

        // Assert: data shown (the dispatcher's id from /api/status), no key prompt, the key gone from the address bar.
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync("consuming", Contains);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API key required" })).ToBeHiddenAsync();
        await Expect(page).ToHaveURLAsync(dashboard.ToString());
    }

    private async Task AssertNoSeriousAxeViolationsAsync(IPage page, string state)
    {
        var result = await page.RunAxe();
        foreach (var v in result.Violations)
        {
            output.WriteLine($"axe on {state}: {v.Id} ({v.Impact}): {v.Help}, {v.Nodes.Length} element(s)");
        }

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe on {state}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    [GeneratedRegex(@",(?!58\.0\b)\d+(\.\d+)?")]
    private static partial Regex PointAboveBaseline();

    [GeneratedRegex(@"peak (?!0\.0/s)\d+\.\d/s")]
    private static partial Regex NonZeroPeak();
}
