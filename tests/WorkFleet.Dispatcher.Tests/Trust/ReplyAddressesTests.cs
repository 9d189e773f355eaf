using WorkFleet.Dispatcher.Trust;

namespace WorkFleet.Dispatcher.Tests.Trust;

public sealed class ReplyAddressesTests
{
    [Theory]
    [InlineData("rabbitmq://localhost:5672/fleet/workfleet.client.alice.host-1a2b?temporary=true", "workfleet.client.alice.host-1a2b")]
    [InlineData("rabbitmq://localhost/workfleet.client.alice.host-1a2b", "workfleet.client.alice.host-1a2b")]
    [InlineData("loopback://localhost/workfleet.client.local.host-1a2b", "workfleet.client.local.host-1a2b")]
    [InlineData("queue:workfleet.worker.w-1", "workfleet.worker.w-1")]
    public void QueueOf_Address_IsItsLastPathSegment(string address, string expected) =>
        Assert.Equal(expected, ReplyAddresses.QueueOf(new Uri(address)));

    [Fact]
    public void QueueOf_NoAddress_IsNull() => Assert.Null(ReplyAddresses.QueueOf(null));

    [Fact]
    public void Problem_OwnReplyQueue_Passes() =>
        Assert.Null(ReplyAddresses.Problem("workfleet.client.alice.host-1a2b", "alice", identityRequired: true));

    [Theory]
    [InlineData("workfleet.worker.w-1", "is not a reply queue")]
    [InlineData("workfleet.worker.w-1.control", "is not a reply queue")]
    [InlineData("workfleet.submit", "is not a reply queue")]
    [InlineData("WorkFleet.Contracts:TaskFinished", "is not a reply queue")]
    [InlineData("workfleet.client.", "is not a reply queue")]
    [InlineData("workfleet.client.alice", "is not a reply queue")]
    [InlineData("workfleet.client.alice.", "is not a reply queue")]
    [InlineData("workfleet.client.alice.host.x", "is not a reply queue")]
    [InlineData("workfleet.client.alice.host 1", "is not a reply queue")]
    public void Problem_NotAReplyQueue_IsRefusedWhateverTheIdentitySetting(string queue, string reason)
    {
        Assert.Contains(reason, ReplyAddresses.Problem(queue, "alice", identityRequired: true), StringComparison.Ordinal);
        Assert.Contains(reason, ReplyAddresses.Problem(queue, null, identityRequired: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_AnotherUsersReplyQueue_IsRefusedWhenIdentityIsRequired()
    {
        Assert.Contains("not a reply queue of broker user 'bob'", ReplyAddresses.Problem("workfleet.client.alice.host-1", "bob", identityRequired: true), StringComparison.Ordinal);
        Assert.Contains("not a reply queue of broker user 'alice2'", ReplyAddresses.Problem("workfleet.client.alice.host-1", "alice2", identityRequired: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_UnknownSubmitter_IsRefusedWhenIdentityIsRequired_AndAcceptedOtherwise()
    {
        Assert.Contains("no broker-validated user-id", ReplyAddresses.Problem("workfleet.client.alice.host-1", null, identityRequired: true), StringComparison.Ordinal);
        Assert.Null(ReplyAddresses.Problem("workfleet.client.local.host-1", null, identityRequired: false));
    }

    [Fact]
    public void Problem_UserWithDots_MatchesItsSanitizedPrefix() =>
        Assert.Null(ReplyAddresses.Problem("workfleet.client.svc_billing.host-1", "svc.billing", identityRequired: true));

    [Fact]
    public void Problem_OverlongName_IsRefused() =>
        Assert.NotNull(ReplyAddresses.Problem("workfleet.client.alice." + new string('a', 300), "alice", identityRequired: true));
}
