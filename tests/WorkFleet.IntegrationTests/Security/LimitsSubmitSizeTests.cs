using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using WorkFleet.Cli.Errors;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// A submit message over WorkFleet:Dispatcher:MaxSubmitBytes is refused on its size before it is deserialized: with
/// a task id the task fails <c>payload-too-large</c> naming size and limit, without one the message goes to the
/// submit error queue with a readable reason; good tasks submitted beside them succeed.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class LimitsSubmitSizeTests(InfrastructureFixture infrastructure)
{
    private static readonly int Limit = new DispatcherOptions().MaxSubmitBytes;
    private static readonly string Padding = new('x', Limit + (512 * 1024));

    [Fact]
    public async Task OversizedSubmits_FailPayloadTooLargeOrGoToErrorQueue_GoodTasksBesideThemSucceed()
    {
        // Arrange
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("size"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("size"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("size-worker", 4)));
        var producer = hosts.Add(await FleetHosts.StartClientAsync(rabbit));
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var enveloped = client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":8,"padding":"{{Padding}}"}"""));
        var rawIdLast = Guid.NewGuid();
        var good = Enumerable.Range(0, 6).Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":16,"seed":{{i}}}"""))).ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var waits = good.Select(t => t.TaskId).Append(enveloped.TaskId).ToDictionary(id => id, id => client.WaitAsync(id, deadline.Token));

        // Act: a MassTransit producer's oversized task, two bare-JSON ones (the id after the payload, and no id at all),
        // and good tasks right behind them.
        await client.SubmitAsync(enveloped);
        await PublishRawAsync(rabbit, $$"""{"jobType":"compute.matmul","payload":{"size":8,"padding":"{{Padding}}"},"taskId":"{{rawIdLast}}"}""", "raw-id-last");
        await PublishRawAsync(rabbit, $$"""{"jobType":"compute.matmul","payload":{"size":8,"padding":"{{Padding}}"} }""", "raw-no-id");
        await client.SubmitManyAsync(good);
        var finished = new Dictionary<Guid, TaskFinished>();
        foreach (var (id, wait) in waits)
        {
            finished[id] = await wait;
        }

        // Assert: the oversized tasks failed for good and were stored, the error naming size and limit; the MassTransit
        // producer's was sent to its reply queue (found in the unread body), the bare-JSON one named none.
        await using var db = Store.Open(database);
        Assert.Equal((TaskOutcome.Failed, ErrorKinds.PayloadTooLarge), (finished[enveloped.TaskId].Outcome, finished[enveloped.TaskId].ErrorKind));
        await Eventually.UntilAsync(() => db.Tasks.AsNoTracking().AnyAsync(t => t.Id == rawIdLast), found => found, TimeSpan.FromSeconds(30), "the bare-JSON oversized task stored");
        foreach (var id in new[] { enveloped.TaskId, rawIdLast })
        {
            var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == id);
            Assert.Equal((TaskState.Failed, ErrorKinds.PayloadTooLarge, 0), (task.Status, task.ErrorKind, task.Attempt));
            Assert.Contains($"over the limit of {Limit.ToString(CultureInfo.InvariantCulture)} bytes (WorkFleet:Dispatcher:MaxSubmitBytes)", task.Error, StringComparison.Ordinal);
            Assert.Equal("null", task.Payload);
        }

        // ... the one without an id is in the submit error queue, its reason readable by an operator ...
        var errors = new ErrorQueues(new RabbitMqTransportOptions
        {
            Host = rabbit.Host, Port = rabbit.Port, VirtualHost = rabbit.VirtualHost, Username = rabbit.Username, Password = rabbit.Password,
        });
        var listed = await Eventually.UntilAsync(
            () => errors.ListAsync(ErrorQueues.Default, 10, CancellationToken.None),
            m => m.Count >= 1,
            TimeSpan.FromSeconds(30),
            "the oversized message without a task id in workfleet.submit_error");
        var parked = Assert.Single(listed);
        Assert.Equal("workfleet.submit_error", parked.Queue);
        Assert.Contains("over the limit of", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("no task id", parked.Reason, StringComparison.Ordinal);

        // ... and the good tasks beside them all succeeded.
        Assert.All(good, t => Assert.Equal(TaskOutcome.Succeeded, finished[t.TaskId].Outcome));
        Assert.Equal(good.Count, await db.Tasks.CountAsync(t => t.Status == TaskState.Succeeded));
    }

    private static async Task PublishRawAsync(RabbitMqEndpoint rabbit, string json, string messageId)
    {
        await using var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { ContentType = "application/json", MessageId = messageId, DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync("", "workfleet.submit", true, properties, Encoding.UTF8.GetBytes(json));
    }
}
