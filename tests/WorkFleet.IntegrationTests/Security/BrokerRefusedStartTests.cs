using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkFleet.Messaging.Hosting;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// A dispatcher or worker whose broker user lacks a right its role needs, or whose password is wrong, stops at start
/// with exit code 78 and one critical line naming the user, what was refused and the role needed, instead of waiting
/// for ever for a bus that cannot start (MassTransit retries a refused declare without end).
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
[Trait("Category", "Security")]
public sealed partial class BrokerRefusedStartTests(InfrastructureFixture infrastructure)
{
    // Far longer than a refused start takes (a few seconds), far shorter than "for ever".
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Worker_StartedWithTheProducersUser_ExitsWith78_NamingUserQueueAndWorkerRole()
    {
        // Arrange
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("refused"));
        var producer = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer);
        var host = FleetHosts.BuildWorker(producer, o => o.WorkerId = "w-refused", b => b.Logging.AddFakeLogging());
        var logs = host.Services.GetRequiredService<FakeLogCollector>();

        // Act: run it as the WorkerHost program does.
        var exitCode = await host.RunWorkFleetHostAsync().WaitAsync(StopDeadline);

        // Assert
        Assert.Equal(BrokerAccessGuard.ExitCode, exitCode);
        var line = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Critical).Message;
        Assert.Contains($"refused user '{producer.Username}'", line, StringComparison.Ordinal);
        Assert.Matches(@"queue\.declare \(configure\) on queue 'workfleet\.worker\.w-refused(\.control)?' in vhost '" + Regex.Escape(admin.VirtualHost) + "'", line);
        Assert.Contains("role 'worker'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatcher_StartedWithTheWorkersUser_ExitsWith78_NamingAResourceOnlyTheDispatcherRoleMayUse()
    {
        // Arrange
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("refused"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("refused"));
        var worker = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker);
        var host = FleetHosts.BuildDispatcher(worker, database, customize: b => b.Logging.AddFakeLogging());
        var logs = host.Services.GetRequiredService<FakeLogCollector>();
        var guard = host.Services.GetRequiredService<BrokerAccessGuard>();

        // Act
        var exitCode = await host.RunWorkFleetHostAsync().WaitAsync(StopDeadline);

        // Assert: which endpoint is refused first is not promised, only that the one named is the dispatcher's.
        Assert.Equal(BrokerAccessGuard.ExitCode, exitCode);
        var refusal = await guard.Refused;
        Assert.Equal(worker.Username, refusal.User);
        var name = ResourceName().Match(refusal.Resource ?? string.Empty).Groups["name"].Value;
        Assert.False(BrokerRoles.Of(BrokerRoles.Worker, worker.Username).MayConfigure(name), $"the worker role may configure '{name}'");
        Assert.True(BrokerRoles.Of(BrokerRoles.Dispatcher, worker.Username).MayConfigure(name), $"the dispatcher role may not configure '{name}'");
        var line = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Critical).Message;
        Assert.Contains($"'{name}'", line, StringComparison.Ordinal);
        Assert.Contains("role 'dispatcher'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_WithAWrongPassword_ExitsWith78_SayingTheLoginWasRefused()
    {
        // Arrange
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("refused"));
        var worker = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker);
        var host = FleetHosts.BuildWorker(worker with { Password = "not-the-password" }, o => o.WorkerId = "w-wrong-password", b => b.Logging.AddFakeLogging());
        var logs = host.Services.GetRequiredService<FakeLogCollector>();

        // Act
        var exitCode = await host.RunWorkFleetHostAsync().WaitAsync(StopDeadline);

        // Assert
        Assert.Equal(BrokerAccessGuard.ExitCode, exitCode);
        var line = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Critical).Message;
        Assert.Contains($"refused user '{worker.Username}'", line, StringComparison.Ordinal);
        Assert.Contains("login refused", line, StringComparison.Ordinal);
        Assert.Contains("check WorkFleet:Transport:RabbitMq:Username and Password", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_WithItsOwnRoleUser_StartsAndIsNotStoppedByTheGuard()
    {
        // Arrange: the same worker as above, with the right user, so the checks above can tell a refusal apart.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("refused"));
        var worker = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker);
        await using var hosts = new RunningHosts();

        // Act
        var host = hosts.Add(await FleetHosts.StartWorkerAsync(worker, o => o.WorkerId = "w-accepted"));

        // Assert
        Assert.False(host.Services.GetRequiredService<BrokerAccessGuard>().Refused.IsCompleted);
        Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [GeneratedRegex(@"^(queue|exchange) '(?<name>[^']*)'")]
    private static partial Regex ResourceName();
}
