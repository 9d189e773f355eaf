using System.Security.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client.Exceptions;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Security;
using WorkFleet.Testing;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// RabbitMQ over TLS (amqps) against a real broker that accepts TLS only, with a CA made at test time: the fleet
/// works through it, and a client that does not trust the broker's CA, expects another name, or brings no client
/// certificate does not get in.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class AmqpsTests(InfrastructureFixture infrastructure, AmqpsBroker broker) : IClassFixture<AmqpsBroker>
{
    [Fact]
    public async Task Fleet_OverAmqpsWithPrivateCa_TasksSucceed()
    {
        // Arrange: dispatcher, worker and producer, each as its role user, over TLS only (the broker has no plain listener).
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("amqps"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(broker.As(BrokerRoles.Dispatcher), database));
        hosts.Add(await FleetHosts.StartWorkerAsync(broker.As(BrokerRoles.Worker), o => (o.WorkerId, o.Weight, o.Capacity) = ("w-amqps", 1, 4)));
        var client = hosts.Add(await FleetHosts.StartClientAsync(broker.As(BrokerRoles.Producer))).Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 10).Select(i => client.CreateTask("preprocess.normalize", TestJobs.Parse($$"""{"vectors":[[{{i}},1,2]]}"""))).ToList();

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);

        // Assert: all succeeded, and the broker saw each role connect over TLS.
        Assert.All(await Task.WhenAll(outcomes), f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        var connections = await broker.ConnectionsAsync();
        foreach (var role in new[] { BrokerRoles.Dispatcher, BrokerRoles.Worker, BrokerRoles.Producer })
        {
            Assert.Contains(connections, c => c.User == broker.As(role).Username);
        }

        Assert.All(connections, c => Assert.True(c.Tls, c.User));
    }

    [Fact]
    public async Task WorkerHost_TrustsAnotherCa_ReportsBrokerCertificateUntrusted()
    {
        // Arrange: a worker whose CA file is not the one that signed the broker's certificate.
        var logs = new CapturedLogs();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Configuration.AddInMemoryCollection(FleetHosts.StackSettings(broker.As(BrokerRoles.Worker, caFile: broker.OtherCaFile), database: null));
        builder.AddWorkFleetWorker(o => (o.WorkerId, o.Weight, o.Capacity) = ("w-untrusting", 1, 1));
        using var host = builder.Build();
        using var stop = new CancellationTokenSource();

        // Act: start it; it cannot connect, so its start does not finish while the test waits.
        var start = host.StartAsync(stop.Token);
        try
        {
            // Assert: the host says why, naming the setting.
            var lines = await Eventually.UntilAsync(
                () => Task.FromResult(logs.Lines),
                lines => lines.Any(IsUntrustedReport),
                TimeSpan.FromSeconds(60),
                "the worker to report the broker's certificate as not trusted");
            Assert.Contains(lines, line => IsUntrustedReport(line) && line.Contains("WorkFleet:Transport:RabbitMq:Tls:CaCertificatePath", StringComparison.Ordinal));
            // A host's start completes only once its bus is connected (WaitUntilStarted).
            Assert.False(start.IsCompletedSuccessfully);
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => start.WaitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task PlainConnection_TrustsAnotherCa_RefusedAsUntrusted()
    {
        var rabbit = TransportOf(broker.As(BrokerRoles.Operator, caFile: broker.OtherCaFile));

        var refused = await Assert.ThrowsAsync<BrokerUnreachableException>(() => rabbit.CreateFactory("amqps-test").CreateConnectionAsync());

        var untrusted = Assert.Single(Chain(refused).OfType<AuthenticationException>(), e => e.Message.Contains("is not trusted", StringComparison.Ordinal));
        Assert.Contains("issued by CN=WorkFleet Broker Test CA", untrusted.Message, StringComparison.Ordinal);
        Assert.Contains(broker.OtherCaFile, untrusted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainConnection_ServerNameNotInCertificate_RefusedAsWrongName()
    {
        var rabbit = TransportOf(broker.As(BrokerRoles.Operator, serverName: "rabbitmq.elsewhere.example"));

        var refused = await Assert.ThrowsAsync<BrokerUnreachableException>(() => rabbit.CreateFactory("amqps-test").CreateConnectionAsync());

        Assert.Contains(Chain(refused).OfType<AuthenticationException>(), e => e.Message.Contains("is not valid for 'rabbitmq.elsewhere.example'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlainConnection_MutualTls_ConnectsWithClientCertificateOnly()
    {
        var withCertificate = TransportOf(broker.As(BrokerRoles.Operator));
        var withoutCertificate = TransportOf(broker.As(BrokerRoles.Operator, withClientCertificate: false));

        await using (var connection = await withCertificate.CreateFactory("amqps-test").CreateConnectionAsync())
        {
            Assert.True(connection.IsOpen);
        }

        var refused = await Assert.ThrowsAsync<BrokerUnreachableException>(() => withoutCertificate.CreateFactory("amqps-test").CreateConnectionAsync());
        Assert.DoesNotContain(Chain(refused), e => e.Message.Contains("is not trusted", StringComparison.Ordinal));
    }

    private static bool IsUntrustedReport(string line) =>
        line.Contains("RabbitMQ broker's certificate", StringComparison.Ordinal) && line.Contains("is not trusted", StringComparison.Ordinal);

    private static RabbitMqTransportOptions TransportOf(RabbitMqEndpoint endpoint) =>
        new ConfigurationBuilder().AddInMemoryCollection(endpoint.TransportSettings()).Build()
            .GetSection(TransportOptions.SectionName).Get<TransportOptions>()!.RabbitMq;

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            foreach (var inner in current is AggregateException aggregate ? aggregate.InnerExceptions : current.InnerException is { } one ? [one] : [])
            {
                pending.Push(inner);
            }
        }
    }
}
