using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>A broker that loads the definitions document at boot has exactly the role users, with their permissions.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
[Trait("Category", "Security")]
public sealed class BrokerDefinitionsTests
{
    [Fact]
    public async Task BrokerLoadingTheDefinitions_AcceptsEachRoleUser_WithItsRolesRightsOnly()
    {
        // Arrange: the document `workfleet broker-definitions` writes, with random passwords.
        var users = BrokerRoles.All.Keys.Select(role => new BrokerUser("workfleet-" + role, role, Guid.NewGuid().ToString("N"))).ToList();
        var (container, port) = await InfrastructureFixture.StartRabbitMqWithDefinitionsAsync(RabbitMqDefinitions.Create("/", users));
        await using var _ = container;
        RabbitMqEndpoint As(string role)
        {
            var user = users.Single(u => u.Role == role);
            return new RabbitMqEndpoint("127.0.0.1", port, "/", user.Name, user.Password);
        }

        // Act + Assert: every role user logs in; a wrong password does not.
        foreach (var role in BrokerRoles.All.Keys)
        {
            await using var connection = await As(role).CreateConnectionFactory().CreateConnectionAsync();
            Assert.True(connection.IsOpen, role);
        }

        await Assert.ThrowsAnyAsync<BrokerUnreachableException>(async () =>
            await (As(BrokerRoles.Worker) with { Password = "wrong" }).CreateConnectionFactory().CreateConnectionAsync());

        // The loaded permissions are the role's: a producer may declare the submit exchange but not publish a heartbeat.
        Assert.Null(await BrokerAccess.TryAsync(As(BrokerRoles.Producer), channel => channel.ExchangeDeclareAsync(QueueNames.SubmitExchange, ExchangeType.Fanout, durable: true)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(As(BrokerRoles.Producer), channel => channel.ExchangeDeclareAsync("WorkFleet.Contracts:WorkerHeartbeat", ExchangeType.Fanout, durable: true)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(As(BrokerRoles.Worker), channel => channel.QueueDeclareAsync(QueueNames.Submit, durable: true, exclusive: false, autoDelete: false)));
    }
}
