using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Client;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// Outcomes to a producer's reply queue go several to a message (<see cref="TaskFinishedBatch"/>) only when the
/// producer said it accepts them (<see cref="ProducerHeaders.OutcomeBatches"/> on its submits, as <see cref="WorkFleetClient"/>
/// does); every other producer gets one <see cref="TaskFinished"/> per task, as before.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class OutcomeBatchTests(InfrastructureFixture infrastructure)
{
    private const int TaskCount = 400;

    [Fact]
    public async Task ClientThatAcceptsBatches_ManyFastTasks_GetsEveryOutcomeOnce_SomeTogetherInABatch()
    {
        // Arrange: a fleet whose worker finishes many tiny tasks at once, and a WorkFleetClient (which opts in).
        await using var hosts = new RunningHosts();
        var producer = await StartFleetAsync(hosts, "batches");
        using var arrivals = OutcomeArrivals.Watch(producer.Services.GetRequiredService<IBus>());
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = NewTasks(client);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // Act
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks, deadline.Token);
        var finished = await Task.WhenAll(outcomes);

        // Assert: every task succeeded; its outcome reached the reply queue exactly once; and at least once the
        // dispatcher sent several outcomes in one message.
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), arrivals.All.Select(f => f.TaskId).Order());
        Assert.Contains(arrivals.BatchSizes, size => size > 1);
    }

    [Fact]
    public async Task ProducerThatDidNotOptIn_ManyFastTasks_GetsOnlySingleTaskFinishedMessages()
    {
        // Arrange: the same fleet; a producer whose submits name its reply queue but carry no batch header (as the
        // producers in other languages send them).
        await using var hosts = new RunningHosts();
        var producer = await StartFleetAsync(hosts, "singles");
        var bus = producer.Services.GetRequiredService<IBus>();
        using var arrivals = OutcomeArrivals.Watch(bus);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var replyQueue = producer.Services.GetRequiredService<ClientReplyQueue>().Address!;
        var tasks = NewTasks(client);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // Act
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        var submit = await bus.GetSendEndpoint(new Uri($"exchange:{QueueNames.SubmitExchange}"));
        foreach (var chunk in tasks.Chunk(100))
        {
            await submit.SendBatch(chunk, c => c.ResponseAddress = replyQueue, deadline.Token);
        }

        var finished = await Task.WhenAll(outcomes);

        // Assert: every outcome came, each alone in its own TaskFinished.
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), arrivals.All.Select(f => f.TaskId).Order());
        Assert.Empty(arrivals.BatchSizes);
    }

    /// <summary>A dispatcher, a worker of capacity 16 and a client host; returns the client host.</summary>
    private async Task<IHost> StartFleetAsync(RunningHosts hosts, string name)
    {
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique(name));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique(name));
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ($"w-{name}", 16)));
        return hosts.Add(await FleetHosts.StartClientAsync(rabbit));
    }

    private static List<SubmitTask> NewTasks(WorkFleetClient client) =>
        [.. Enumerable.Range(0, TaskCount).Select(i => client.CreateTask("preprocess.normalize", TestJobs.Parse($$"""{"vectors":[[{{i + 1}},1]]}""")))];
}
