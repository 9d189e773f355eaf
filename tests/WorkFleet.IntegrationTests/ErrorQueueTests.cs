using System.Text;
using RabbitMQ.Client;
using WorkFleet.Cli.Errors;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class ErrorQueueTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task UnparseableSubmit_LandsInErrorQueue_ListedWithReason_AndReplayable()
    {
        // Arrange
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("err"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("err"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        var errors = new ErrorQueues(new RabbitMqTransportOptions
        {
            Host = rabbit.Host, Port = rabbit.Port, VirtualHost = rabbit.VirtualHost, Username = rabbit.Username, Password = rabbit.Password,
        });

        // Act: a producer sends something that is not JSON at all.
        await using (var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { ContentType = "application/json", MessageId = "broken-1", DeliveryMode = DeliveryModes.Persistent };
            await channel.BasicPublishAsync("", "workfleet.submit", true, properties, Encoding.UTF8.GetBytes("{not json"));
        }

        var listed = await Eventually.UntilAsync(
            () => errors.ListAsync(ErrorQueues.Default, 10, CancellationToken.None),
            m => m.Count == 1,
            TimeSpan.FromSeconds(30),
            "the malformed message in workfleet.submit_error");

        // Assert: it is visible with its reason, listing did not remove it, and replay sends it back.
        var message = Assert.Single(listed);
        Assert.Equal("workfleet.submit_error", message.Queue);
        Assert.Equal("{not json", message.Body);
        Assert.False(string.IsNullOrWhiteSpace(message.Reason));
        Assert.Single(await errors.ListAsync(ErrorQueues.Default, 10, CancellationToken.None));

        Assert.Equal(0, await errors.ReplayAsync("workfleet.submit_error", new HashSet<string> { "some-other-id" }, CancellationToken.None));
        Assert.Equal(1, await errors.ReplayAsync("workfleet.submit_error", null, CancellationToken.None));

        // Still not JSON, so the dispatcher rejects it again, and it is back where an operator sees it.
        var again = await Eventually.UntilAsync(
            () => errors.ListAsync(ErrorQueues.Default, 10, CancellationToken.None),
            m => m.Count == 1,
            TimeSpan.FromSeconds(30),
            "the replayed message back in the error queue");
        Assert.Equal("{not json", again[0].Body);
    }
}
