using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests;

/// <summary>Whether attempts need broadcasting: other dispatchers heard recently, or too early to know.</summary>
public sealed class PeerDispatchersTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Discovery = PeerDispatchers.DiscoveryIntervals * Interval;
    private readonly FakeTimeProvider _clock = new(Fleet.Start);

    [Fact]
    public void Any_JustStarted_AssumesPeersUntilThreeHeartbeatIntervalsPassed()
    {
        var peers = Create();

        var early = peers.Any;
        _clock.Advance(Discovery - TimeSpan.FromMilliseconds(1));
        var stillEarly = peers.Any;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(early);
        Assert.True(stillEarly);
        Assert.False(peers.Any);
    }

    [Fact]
    public void Any_PeerHeardRecently_TrueUntilItFallsSilentForThePeerTimeout()
    {
        var peers = Create();
        _clock.Advance(Discovery);

        peers.Hear("other");
        var whileHeard = peers.Any;
        _clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        var lateButCounted = peers.Any;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(whileHeard);
        Assert.True(lateButCounted);
        Assert.False(peers.Any);
    }

    [Fact]
    public void Hear_OwnHeartbeat_IsNotAPeer()
    {
        var peers = Create();
        _clock.Advance(Discovery);

        var isNew = peers.Hear("me");

        Assert.False(isNew);
        Assert.False(peers.Any);
    }

    [Fact]
    public void Hear_NewOrReturningPeer_IsNewOnlyTheFirstTime()
    {
        var peers = Create();

        var first = peers.Hear("other");
        var again = peers.Hear("other");
        _clock.Advance(Timeout);
        var returned = peers.Hear("other");

        Assert.Equal((true, false, true), (first, again, returned));
    }

    private PeerDispatchers Create() =>
        new(Options.Create(new DispatcherOptions { DispatcherId = "me", PeerHeartbeatInterval = Interval, PeerTimeout = Timeout }), _clock);
}
