using System.Text;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class RawJsonProducerTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task BareJsonSubmit_PublishedWithoutMassTransit_RunsAndStoresResult()
    {
        // Arrange: the fleet, and a producer that knows only AMQP and the documented JSON shape.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("raw"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("raw"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => o.WorkerId = "raw-worker"));
        var taskId = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes($$"""
            {"taskId":"{{taskId}}","jobType":"preprocess.tokenize","payload":{"texts":["Hello, fleet!"],"maxLength":8},"priority":5,"timeout":"00:00:30"}
            """);

        // Act: what `channel.basic_publish(exchange="", routing_key="workfleet.submit", ...)` does in Python.
        await using (var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
            await channel.BasicPublishAsync(exchange: "", routingKey: "workfleet.submit", mandatory: true, basicProperties: properties, body: body);
        }

        // Assert
        var task = await Eventually.UntilAsync(
            async () =>
            {
                await using var db = Store.Open(database);
                return await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId);
            },
            t => t is { Status: TaskState.Succeeded or TaskState.Failed },
            TimeSpan.FromSeconds(60),
            "the raw JSON task's outcome");
        Assert.Equal(TaskState.Succeeded, task!.Status);
        Assert.Equal(5, task.Priority);
        Assert.Equal(30_000, task.TimeoutMs);
        Assert.Equal("raw-worker", task.WorkerId);
        Assert.Contains("\"inputIds\"", task.Result, StringComparison.Ordinal);
    }
}
