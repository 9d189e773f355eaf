using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Cli.Errors;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// Many tasks in one submit message (<see cref="SubmitTaskBatch"/>): each is handled as if it had come alone, a batch
/// that names a task without an id is refused whole where an operator sees it, and the dispatcher works on at most
/// <c>SubmitConcurrency</c> tasks at once however they came.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class SubmitBatchTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task SubmitMany_SendsBatches_EveryTaskRunsOnce_AndARepeatedBatchRecordsNothingTwice()
    {
        // Arrange
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("batch"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("batch"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("w1", 4)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var sent = new SubmitMessages();
        using var observing = producer.Services.GetRequiredService<IBus>().ConnectSendObserver(sent);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 300).Select(i => client.CreateTask(TestJobs.Mixed(i).JobType, TestJobs.Mixed(i).Payload)).ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();

        // Act: all of them, then the same tasks again (a producer retrying a send it believed lost).
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);
        await client.SubmitManyAsync(tasks);

        // Assert: three messages of 128, 128 and 44 tasks each time, every task run and recorded once.
        Assert.Equal([128, 128, 44, 128, 128, 44], sent.BatchSizes);
        Assert.Equal(0, sent.Singles);
        Assert.All(finished, f => Assert.Equal((TaskOutcome.Succeeded, 1), (f.Outcome, f.Attempt)));
        await Eventually.UntilAsync(() => UnsettledSubmitsAsync(rabbit), n => n == "0", TimeSpan.FromSeconds(60), "the repeated batches consumed and acknowledged");
        await using var db = Store.Open(database);
        Assert.Equal(300, await db.Tasks.CountAsync(t => t.Status == TaskState.Succeeded && t.Attempt == 1));
        Assert.Equal(300, await db.TaskAttempts.CountAsync());
    }

    [Fact]
    public async Task BatchWithATaskWithoutId_GoesWholeToTheErrorQueue_NothingOfItRecorded_OthersRun()
    {
        // Arrange
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("batchnoid"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("batchnoid"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("w1", 2)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var good = client.CreateTask(TestJobs.Mixed(0).JobType, TestJobs.Mixed(0).Payload);
        var beside = client.CreateTask(TestJobs.Mixed(1).JobType, TestJobs.Mixed(1).Payload);
        var later = client.CreateTask(TestJobs.Mixed(2).JobType, TestJobs.Mixed(2).Payload);
        var errors = new ErrorQueues(new WorkFleet.Messaging.Configuration.RabbitMqTransportOptions
        {
            Host = rabbit.Host, Port = rabbit.Port, VirtualHost = rabbit.VirtualHost, Username = rabbit.Username, Password = rabbit.Password,
        });

        // Act: a batch whose second task has no id, then a good task.
        var submit = await producer.Services.GetRequiredService<IBus>().GetSendEndpoint(FleetAddresses.Submit(producer.Services.GetRequiredService<TransportOptions>()));
        await submit.Send(new SubmitTaskBatch { Tasks = [good, good with { TaskId = Guid.Empty }, beside] });
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcome = await client.SubmitAndWaitAsync(later, deadline.Token);

        // Assert: the batch is in workfleet.submit_error with its reason, none of its tasks stored; the later task ran.
        var listed = await Eventually.UntilAsync(
            () => errors.ListAsync(ErrorQueues.Default, 10, CancellationToken.None),
            m => m.Count == 1,
            TimeSpan.FromSeconds(30),
            "the batch in workfleet.submit_error");
        var message = Assert.Single(listed);
        Assert.Equal("workfleet.submit_error", message.Queue);
        Assert.Contains("SubmitTaskBatch task 1 (of 3) has no 'taskId'", message.Reason, StringComparison.Ordinal);
        Assert.Contains(good.TaskId.ToString(), message.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(TaskOutcome.Succeeded, outcome.Outcome);
        await using var db = Store.Open(database);
        Assert.False(await db.Tasks.AnyAsync(t => t.Id == good.TaskId || t.Id == beside.TaskId));
    }

    [Fact]
    public async Task BatchWithAnInvalidTask_FailsOnlyThatTask_TheOthersSucceed()
    {
        // Arrange
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("batchbad"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("batchbad"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("w1", 2)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 6).Select(i => client.CreateTask(TestJobs.Mixed(i).JobType, TestJobs.Mixed(i).Payload)).ToList();
        tasks[3] = tasks[3] with { ExpectedCost = -5 };
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();

        // Act
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);

        // Assert
        Assert.Equal((TaskOutcome.Failed, ErrorKinds.InvalidTask), (finished[3].Outcome, finished[3].ErrorKind));
        Assert.Contains("expectedCost", finished[3].Error, StringComparison.Ordinal);
        Assert.All(finished.Where((_, i) => i != 3), f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
    }

    [Fact]
    public async Task BatchLargerThanSubmitConcurrency_TheDispatcherHoldsAtMostThatManyOfItsTasks()
    {
        // Arrange: room for 4 tasks, one slot, tasks that hold it a while; waiting tasks are stored after 100 ms.
        const int room = 4;
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("batchroom"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("batchroom"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.SubmitConcurrency, o.RecordWaitingAfter) = (room, TimeSpan.FromMilliseconds(100))));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.EnableDiagnosticJobs) = ("single", 1, true)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 16).Select(_ => client.CreateTask("diagnostics.sleep", TestJobs.Parse("""{"ms":150}"""))).ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();

        // Act: one message of 16 tasks; count the stored unfinished tasks until all are done.
        await client.SubmitManyAsync(tasks);
        var all = Task.WhenAll(outcomes);
        var mostUnfinished = 0;
        while (!all.IsCompleted)
        {
            mostUnfinished = Math.Max(mostUnfinished, await UnfinishedAsync(database));
            await Task.WhenAny(all, Task.Delay(20));
        }

        // Assert: every task succeeded; never more stored and unfinished than the room plus the one running (the others
        // were safe in the unacknowledged batch, not in the line: without the bound all 16 would be stored Pending).
        Assert.All(await all, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        Assert.InRange(mostUnfinished, 0, room + 1);
    }

    private static async Task<int> UnfinishedAsync(string database)
    {
        await using var db = Store.Open(database);
        return await db.Tasks.CountAsync(t => t.Status == TaskState.Pending || t.Status == TaskState.Dispatched || t.Status == TaskState.Running);
    }

    /// <summary>Messages in the submit queue, ready or delivered and not yet acknowledged.</summary>
    private async Task<string> UnsettledSubmitsAsync(RabbitMqEndpoint rabbit) =>
        (await infrastructure.RabbitMqCtlAsync("list_queues", "-p", rabbit.VirtualHost, "name", "messages", "-q"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Single(fields => fields[0] == QueueNames.Submit)[1].Trim();

    /// <summary>What the producer sent to the submit exchange: the size of each batch, and how many single submits.</summary>
    private sealed class SubmitMessages : ISendObserver
    {
        private readonly List<int> _batchSizes = [];
        private int _singles;

        public IReadOnlyList<int> BatchSizes
        {
            get
            {
                lock (_batchSizes)
                {
                    return [.. _batchSizes];
                }
            }
        }

        public int Singles => Volatile.Read(ref _singles);

        public Task PreSend<T>(SendContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostSend<T>(SendContext<T> context)
            where T : class
        {
            switch (context.Message)
            {
                case SubmitTaskBatch batch:
                    lock (_batchSizes)
                    {
                        _batchSizes.Add(batch.Tasks.Count);
                    }

                    break;
                case SubmitTask:
                    Interlocked.Increment(ref _singles);
                    break;
            }

            return Task.CompletedTask;
        }

        public Task SendFault<T>(SendContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}
