using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.ChaosTests;

/// <summary>Bad input mixed into a large batch: each bad task ends with its clear error, the rest succeed.</summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class BadInputChaosTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int TaskCount = 1000;
    private const int MaxPayloadBytes = 4096;
    private static readonly string[] WorkerIds = ["w1", "w2", "w3"];

    /// <summary>Each kind of bad input: how to make it, and the error kind and text its stored error must have.</summary>
    private static readonly (string Name, Func<WorkFleetClient, SubmitTask> Create, string ErrorKind, string Mentions)[] BadKinds =
    [
        ("unknown job type", c => c.CreateTask("vision.no-such-job", ChaosJobs.Parse("""{"x":1}""")), "no-capable-worker", "vision.no-such-job"),
        ("malformed payload", c => c.CreateTask("compute.matmul", ChaosJobs.Parse("""{"size":"x"}""")), "invalid-input", "size"),
        ("payload over the limit", c => c.CreateTask("compute.matmul", ChaosJobs.Parse($$"""{"size":24,"padding":"{{new string('x', 10 * 1024)}}"}""")), "invalid-task", "payload"),
        ("priority 42", c => c.CreateTask("compute.matmul", ChaosJobs.Parse("""{"size":24}"""), priority: 42), "invalid-task", "priority"),
        ("missing job type", c => c.CreateTask(string.Empty, ChaosJobs.Parse("""{"size":24}""")), "invalid-task", "jobType"),
        ("negative timeout", c => c.CreateTask("compute.matmul", ChaosJobs.Parse("""{"size":24}"""), timeout: TimeSpan.FromSeconds(-5)), "invalid-task", "timeout"),
    ];

    [Fact]
    public async Task MixedBadInputs_EachClearError_GoodOnesSucceed()
    {
        // Arrange: a payload limit of 4 KiB, and a short grace period for job types no worker runs.
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "badinput", output);
        await fleet.StartAsync(WorkerIds, dispatcherOverrides: new Dictionary<string, string>
        {
            ["WorkFleet__Dispatcher__MaxPayloadBytes"] = MaxPayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WorkFleet__Dispatcher__UnsupportedJobGracePeriod"] = "00:00:02",
        });
        var dispatcher = fleet.Dispatchers[0];

        // Act: 1,000 tasks, every 20th bad (5 %), cycling through the kinds of bad input ...
        var badKindOf = new Dictionary<Guid, int>();
        var tasks = await fleet.SubmitAsync(TaskCount, (client, i) =>
        {
            if (i % 20 != 7)
            {
                return ChaosJobs.MatMul(client, i);
            }

            var kind = i / 20 % BadKinds.Length;
            var task = BadKinds[kind].Create(client);
            lock (badKindOf)
            {
                badKindOf[task.TaskId] = kind;
            }

            return task;
        });

        // ... and two submits that cannot be recorded at all: not JSON, and JSON without a taskId.
        await PublishRawAsync(fleet.Broker.Producer, "{not json");
        await PublishRawAsync(fleet.Broker.Producer, """{"jobType":"compute.matmul","payload":{"size":24}}""");
        var ids = tasks.Select(t => t.TaskId).ToList();
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(120), stall: TimeSpan.FromSeconds(30));

        // Assert: recorded exactly once each; only the bad ones failed.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(mayFail: badKindOf.Keys.ToHashSet(), context: fleet.DescribeProcesses(40));
        Assert.True(finished, "not every task ended");

        // Each bad task failed with its error kind and an error naming the problem.
        var problems = new List<string>();
        foreach (var (id, kind) in badKindOf)
        {
            var (name, _, errorKind, mentions) = BadKinds[kind];
            var task = audit.Tasks[id];
            if (task.Status != TaskState.Failed || task.ErrorKind != errorKind || task.Error?.Contains(mentions, StringComparison.Ordinal) != true)
            {
                problems.Add($"{name} {id}: {task.Status}, kind '{task.ErrorKind}', error '{task.Error}'; expected Failed, '{errorKind}', mentioning '{mentions}'");
            }
        }

        foreach (var group in badKindOf.GroupBy(p => p.Value))
        {
            fleet.Log($"{BadKinds[group.Key].Name} x{group.Count()}: e.g. {audit.Tasks[group.First().Key].ErrorKind}: {audit.Tasks[group.First().Key].Error}");
        }

        Assert.True(problems.Count == 0, $"{problems.Count} bad task(s) without their clear error; first 20:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}{Environment.NewLine}{audit.Summary()}");
        Assert.Equal(TaskCount - badKindOf.Count, audit.Tasks.Values.Count(t => t.Status == TaskState.Succeeded));

        // The unrecordable submits are in the error queue, and they did not bring the dispatcher down.
        var errorQueue = QueueNames.Submit + "_error";
        var parked = await Eventually.UntilAsync(() => MessageCountAsync(fleet.Broker.Admin, errorQueue), n => n >= 2, TimeSpan.FromSeconds(30), $"2 messages in {errorQueue}");
        fleet.Log($"{errorQueue} holds {parked} message(s)");
        Assert.False(dispatcher.HasExited, $"the dispatcher exited ({dispatcher.ExitCode}).{Environment.NewLine}{dispatcher.Describe(60)}");
    }

    /// <summary>Publishes <paramref name="body"/> as a producer without MassTransit does: bare JSON to the submit exchange.</summary>
    private static async Task PublishRawAsync(RabbitMqEndpoint producer, string body)
    {
        await using var connection = await producer.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync(exchange: QueueNames.SubmitExchange, routingKey: string.Empty, mandatory: true, basicProperties: properties, body: Encoding.UTF8.GetBytes(body));
    }

    private static async Task<uint> MessageCountAsync(RabbitMqEndpoint rabbit, string queue)
    {
        await using var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0; // the queue does not exist (yet)
        }
    }
}
