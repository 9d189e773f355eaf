using WorkFleet.Messaging.Recovery;

namespace WorkFleet.Worker.Tests.Hosting;

/// <summary>
/// When a worker's (or dispatcher's) receive endpoint that lost its broker connection is restarted in process
/// (the rule lives in WorkFleet.Messaging; there is no test project of its own).
/// </summary>
public sealed class EndpointRestartPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly EndpointRestartPolicy Policy = new(restartDelay: TimeSpan.FromSeconds(2), cooldown: TimeSpan.FromSeconds(10));

    [Fact]
    public void ShouldRestart_BrokerNotAcceptingConnections_No()
    {
        Assert.False(Policy.ShouldRestart(now: T0.AddMinutes(5), downSince: T0, brokerUpSince: null, lastRestart: null));
    }

    [Fact]
    public void ShouldRestart_BrokerBackForLessThanTheDelay_NoBecauseMassTransitMayBeConnecting()
    {
        Assert.False(Policy.ShouldRestart(now: T0.AddSeconds(31), downSince: T0, brokerUpSince: T0.AddSeconds(30), lastRestart: null));
    }

    [Fact]
    public void ShouldRestart_BrokerBackForTheDelay_Yes()
    {
        Assert.True(Policy.ShouldRestart(now: T0.AddSeconds(32), downSince: T0, brokerUpSince: T0.AddSeconds(30), lastRestart: null));
    }

    [Fact]
    public void ShouldRestart_EndpointWentDownAfterTheBrokerCameBack_CountsFromWhenItWentDown()
    {
        var brokerUp = T0;
        var down = T0.AddSeconds(60);

        Assert.False(Policy.ShouldRestart(now: down.AddSeconds(1), downSince: down, brokerUpSince: brokerUp, lastRestart: null));
        Assert.True(Policy.ShouldRestart(now: down.AddSeconds(2), downSince: down, brokerUpSince: brokerUp, lastRestart: null));
    }

    [Fact]
    public void ShouldRestart_RestartedWithinTheCooldown_NotAgainUntilItHasPassed()
    {
        var restarted = T0.AddSeconds(32);

        Assert.False(Policy.ShouldRestart(now: restarted.AddSeconds(9), downSince: T0, brokerUpSince: T0.AddSeconds(30), lastRestart: restarted));
        Assert.True(Policy.ShouldRestart(now: restarted.AddSeconds(10), downSince: T0, brokerUpSince: T0.AddSeconds(30), lastRestart: restarted));
    }

    [Fact]
    public void Downtime_EndpointComesBack_ForgetsWhenItWentDownAndItsRestarts()
    {
        var downtime = new EndpointDowntime();
        Assert.Equal(T0, downtime.Observe("queue:a", ready: false, T0));
        Assert.Equal(T0, downtime.Observe("queue:a", ready: false, T0.AddSeconds(5)));
        downtime.Restarted("queue:a", T0.AddSeconds(5));

        Assert.Null(downtime.Observe("queue:a", ready: true, T0.AddSeconds(6)));

        Assert.Null(downtime.DownSince("queue:a"));
        Assert.Null(downtime.LastRestart("queue:a"));
        Assert.Equal(T0.AddSeconds(9), downtime.Observe("queue:a", ready: false, T0.AddSeconds(9)));
    }
}
