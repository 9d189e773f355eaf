using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests;

/// <summary>Whether attempts need broadcasting: other dispatchers heard recently, or too early to know.</summary>
public sealed class PeerDispatchersTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly FakeTimeProvider _clock = new(Fleet.Start);

    [Fact]
    public void Any_JustStarted_AssumesPeersUntilThePeerTimeoutPassed()
    {
        var peers = Create();

        var early = peers.Any;
        _clock.Advance(Timeout);

        Assert.True(early);
        Assert.False(peers.Any);
    }

    [Fact]
    public void Any_PeerHeardRecently_TrueUntilItFallsSilentForThePeerTimeout()
    {
        var peers = Create();
        _clock.Advance(Timeout);

        peers.Hear("other");
        var whileHeard = peers.Any;
        _clock.Advance(Timeout);

        Assert.True(whileHeard);
        Assert.False(peers.Any);
    }

    [Fact]
    public void Hear_OwnHeartbeat_IsNotAPeer()
    {
        var peers = Create();
        _clock.Advance(Timeout);

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
        new(Options.Create(new DispatcherOptions { DispatcherId = "me", PeerTimeout = Timeout }), _clock);
}
