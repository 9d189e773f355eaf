using WorkFleet.Dispatcher.Trust;

namespace WorkFleet.Dispatcher.Tests.Trust;

public sealed class WorkerIdentitiesTests
{
    [Fact]
    public void TryClaim_FirstSenderBindsTheId_OthersAreRefusedAndToldTheOwner()
    {
        var identities = new WorkerIdentities();

        Assert.True(identities.TryClaim("w-1", "worker-a", out _));
        Assert.True(identities.TryClaim("w-1", "worker-a", out _));
        Assert.False(identities.TryClaim("w-1", "worker-b", out var owner));
        Assert.Equal("worker-a", owner);
        Assert.Equal("worker-a", identities.OwnerOf("w-1"));
    }

    [Fact]
    public void TryClaim_EachIdIsBoundSeparately()
    {
        var identities = new WorkerIdentities();

        Assert.True(identities.TryClaim("w-1", "worker-a", out _));
        Assert.True(identities.TryClaim("w-2", "worker-b", out _));
        Assert.Null(identities.OwnerOf("w-3"));
    }
}
