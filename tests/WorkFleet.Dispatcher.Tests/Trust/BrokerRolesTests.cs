using WorkFleet.Contracts;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Dispatcher.Tests.Trust;

/// <summary>
/// The permission patterns as the broker applies them to the fleet's entity names (listed from a running fleet with
/// <c>rabbitmqctl list_exchanges</c> / <c>list_queues</c>). The integration tests check the same patterns on a real broker.
/// </summary>
public sealed class BrokerRolesTests
{
    private static string Type(string name) => $"WorkFleet.Contracts:{name}";

    [Fact]
    public void Worker_MayUseItsQueuesResultsAndHeartbeats_ButNoOtherMessageOrQueue()
    {
        var worker = BrokerRoles.Of(BrokerRoles.Worker, "wf-worker");

        Assert.True(worker.MayRead(QueueNames.ForWorker("w-1")));
        Assert.True(worker.MayRead(QueueNames.ForWorker("w-1") + ".control"));
        Assert.True(worker.MayWrite(QueueNames.ResultsExchange));
        Assert.True(worker.MayWrite(Type("WorkerHeartbeat")));
        Assert.True(worker.MayRead(Type("DrainWorker")));

        Assert.False(worker.MayRead(QueueNames.Submit));
        Assert.False(worker.MayWrite(QueueNames.Submit));
        Assert.False(worker.MayRead(QueueNames.Results));
        Assert.False(worker.MayWrite(QueueNames.Results));
        Assert.False(worker.MayConfigure(QueueNames.Results));
        Assert.False(worker.MayWrite(Type("TaskCompleted")));
        Assert.False(worker.MayWrite(Type("TaskFinished")));
        Assert.False(worker.MayWrite(Type("DrainWorker")));
        Assert.False(worker.MayWrite(Type("AttemptEnded")));
        Assert.False(worker.MayRead(Type("TaskFinished")));
        Assert.False(worker.MayRead("workfleet.heartbeats.d-1"));
        Assert.False(worker.MayWrite("amq.default"));
    }

    [Fact]
    public void Producer_MaySubmitCancelAndReadItsOwnClientQueues_ButNotActAsWorkerOrDispatcher()
    {
        var producer = BrokerRoles.Of(BrokerRoles.Producer, "alice");

        Assert.True(producer.MayWrite(QueueNames.SubmitExchange));
        Assert.True(producer.MayConfigure(QueueNames.SubmitExchange));
        Assert.True(producer.MayWrite(QueueNames.CancelExchange));
        Assert.True(producer.MayConfigure(QueueNames.CancelExchange));
        Assert.True(producer.MayRead("workfleet.client.alice.host-1a2b3c4d"));
        Assert.True(producer.MayConfigure("workfleet.client.alice.host-1a2b3c4d"));

        Assert.False(producer.MayWrite(Type("WorkerHeartbeat")));
        Assert.False(producer.MayWrite(QueueNames.Results));
        Assert.False(producer.MayWrite(Type("TaskCompleted")));
        Assert.False(producer.MayRead(QueueNames.ForWorker("w-1")));
        Assert.False(producer.MayRead(QueueNames.Submit));
        Assert.False(producer.MayWrite(Type("DrainWorker")));
        Assert.False(producer.MayWrite("amq.default"));
        Assert.False(producer.MayConfigure(QueueNames.Results));
        Assert.False(producer.MayConfigure(QueueNames.Submit));
        Assert.False(producer.MayWrite(QueueNames.Submit));
        Assert.False(producer.MayRead(QueueNames.Cancel));
        Assert.False(producer.MayWrite(QueueNames.Cancel));
    }

    [Fact]
    public void Producer_MayNotReadOutcomesOrCancelTasksOfOthers()
    {
        var producer = BrokerRoles.Of(BrokerRoles.Producer, "alice");

        // The outcome event's exchange (every outcome once went there) and the worker-facing cancellation.
        Assert.False(producer.MayRead(Type("TaskFinished")));
        Assert.False(producer.MayConfigure(Type("TaskFinished")));
        Assert.False(producer.MayWrite(Type("CancelTask")));
        Assert.False(producer.MayConfigure(Type("CancelTask")));

        // Other users' reply queues, including one whose name starts with this user's name.
        Assert.False(producer.MayRead("workfleet.client.bob.host-1a2b3c4d"));
        Assert.False(producer.MayRead("workfleet.client.alice2.host-1a2b3c4d"));
        Assert.False(producer.MayRead("workfleet.client.alice.b.host-1a2b3c4d"));
        Assert.False(producer.MayConfigure("workfleet.client.bob.host-1a2b3c4d"));
        Assert.False(producer.MayWrite("workfleet.client.bob.host-1a2b3c4d"));
    }

    [Fact]
    public void ClientQueues_OfAUserWithDots_DoNotOverlapAnotherUsersQueues()
    {
        var dotted = BrokerRoles.Of(BrokerRoles.Producer, "svc.billing");

        Assert.Equal("workfleet.client.svc_billing.", QueueNames.ClientPrefixFor("svc.billing"));
        Assert.True(dotted.MayRead(QueueNames.ClientPrefixFor("svc.billing") + "host-1"));
        Assert.False(BrokerRoles.Of(BrokerRoles.Producer, "svc").MayRead(QueueNames.ClientPrefixFor("svc.billing") + "host-1"));
    }

    [Fact]
    public void Dispatcher_MayUseEveryFleetEntity_ButNotTheDefaultExchange()
    {
        var dispatcher = BrokerRoles.Of(BrokerRoles.Dispatcher, "wf-dispatcher");

        foreach (var name in new[] { QueueNames.Submit, QueueNames.Results, QueueNames.SubmitExchange, QueueNames.ResultsExchange, "workfleet.heartbeats.d-1", QueueNames.ForWorker("w-1"), Type("TaskFinished"), "workfleet.submit_error" })
        {
            Assert.True(dispatcher.MayConfigure(name), name);
            Assert.True(dispatcher.MayWrite(name), name);
            Assert.True(dispatcher.MayRead(name), name);
        }

        Assert.True(dispatcher.MayWrite(QueueNames.Cancel));
        Assert.True(dispatcher.MayRead(QueueNames.Cancel));
        Assert.True(dispatcher.MayWrite(QueueNames.CancelExchange));
        Assert.True(dispatcher.MayWrite(Type("CancelTask")));
        Assert.True(dispatcher.MayConfigure("workfleet.client.alice.host-1"));
        Assert.True(dispatcher.MayWrite("workfleet.client.alice.host-1"));
        Assert.False(dispatcher.MayRead("workfleet.client.alice.host-1"));
        Assert.False(dispatcher.MayWrite("amq.default"));
        Assert.False(dispatcher.MayConfigure("other.queue"));
    }

    [Fact]
    public void Operator_MayDrainAndMoveErrorQueues_ButNotReadWorkQueues()
    {
        var @operator = BrokerRoles.Of(BrokerRoles.Operator, "wf-operator");

        Assert.True(@operator.MayWrite(Type("DrainWorker")));
        Assert.True(@operator.MayRead("workfleet.submit_error"));
        Assert.True(@operator.MayWrite("amq.default"));

        Assert.False(@operator.MayRead(QueueNames.Submit));
        Assert.False(@operator.MayRead(QueueNames.ForWorker("w-1")));
        Assert.False(@operator.MayWrite(Type("WorkerHeartbeat")));
        Assert.False(@operator.MayWrite(Type("CancelTask")));
        Assert.False(@operator.MayRead(Type("TaskFinished")));
        Assert.True(@operator.MayWrite(QueueNames.CancelExchange));
        Assert.True(@operator.MayRead("workfleet.client.wf-operator.cli-1"));
        Assert.False(@operator.MayRead("workfleet.client.alice.host-1"));
    }

    [Fact]
    public void Patterns_MatchWholeNamesOnly()
    {
        var worker = BrokerRoles.Of(BrokerRoles.Worker, "wf-worker");

        Assert.False(worker.MayWrite("x" + QueueNames.ResultsExchange));
        Assert.False(worker.MayWrite(QueueNames.ResultsExchange + "x"));
        Assert.False(worker.MayRead(QueueNames.ForWorker("w-1") + "/../x"));
    }

    [Fact]
    public void OfWorker_MayUseOnlyThatWorkersQueues_AndOtherwiseWhatTheWorkerRoleMay()
    {
        var own = BrokerRoles.OfWorker("gpu-1");
        var shared = BrokerRoles.Of(BrokerRoles.Worker, "wf-worker");

        foreach (var queue in new[] { "workfleet.worker.gpu-1", "workfleet.worker.gpu-1.control", "workfleet.worker.gpu-1_error" })
        {
            Assert.True(own.MayRead(queue), queue);
            Assert.True(own.MayConfigure(queue), queue);
        }

        foreach (var queue in new[] { "workfleet.worker.gpu-2", "workfleet.worker.gpu-10", "workfleet.worker.gpu-1x.control", "workfleet.worker.gpu.1" })
        {
            Assert.False(own.MayRead(queue), queue);
            Assert.False(own.MayConfigure(queue), queue);
            Assert.True(shared.MayRead(queue), queue);
        }

        Assert.True(own.MayWrite(QueueNames.ResultsExchange));
        Assert.True(own.MayWrite(Type("WorkerHeartbeat")));
        Assert.True(own.MayRead(Type("CancelTask")));
        Assert.False(own.MayRead(QueueNames.Submit));
        Assert.Throws<ArgumentException>(() => BrokerRoles.OfWorker("a|.*"));
    }

    [Fact]
    public void Of_UnknownRole_NamesTheRoles()
    {
        var error = Assert.Throws<ArgumentException>(() => BrokerRoles.Of("admin", "root"));
        Assert.Contains("dispatcher, worker, producer, operator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DispatcherAndWorker_MayPublishFaults_ReadingOnlyTheFaultsOfWhatTheyConsume()
    {
        // Exchanges MassTransit declares when a message cannot be deserialized (ReceiveFault) or ends in an error
        // queue (Fault<T>), each bound to MassTransit:Fault (listed from a run that received a submit that is not JSON).
        var dispatcher = BrokerRoles.Of(BrokerRoles.Dispatcher, "wf-dispatcher");
        var worker = BrokerRoles.Of(BrokerRoles.Worker, "wf-worker");
        var producer = BrokerRoles.Of(BrokerRoles.Producer, "alice");

        foreach (var role in new[] { dispatcher, worker })
        {
            foreach (var exchange in new[] { "MassTransit:Fault", "MassTransit:ReceiveFault", "MassTransit:Fault--WorkFleet.Contracts:ExecuteTask--" })
            {
                Assert.True(role.MayConfigure(exchange), exchange);
                Assert.True(role.MayWrite(exchange), exchange);
            }

            Assert.True(role.MayRead("MassTransit:ReceiveFault"));
            Assert.False(role.MayRead("MassTransit:Fault"));
        }

        Assert.True(dispatcher.MayRead("MassTransit:Fault--WorkFleet.Contracts:SubmitTask--"));
        Assert.True(worker.MayRead("MassTransit:Fault--WorkFleet.Contracts:ExecuteTask--"));
        Assert.False(worker.MayRead("MassTransit:Fault--WorkFleet.Contracts:SubmitTask--"));
        Assert.False(producer.MayWrite("MassTransit:ReceiveFault"));
    }
}
