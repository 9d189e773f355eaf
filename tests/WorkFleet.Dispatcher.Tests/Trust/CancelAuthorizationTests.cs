using WorkFleet.Dispatcher.Trust;

namespace WorkFleet.Dispatcher.Tests.Trust;

public sealed class CancelAuthorizationTests
{
    private static readonly string[] Operators = ["ops", "dispatcher"];

    [Fact]
    public void Problem_SubmitterCancelsItsOwnTask_Passes() =>
        Assert.Null(CancelAuthorization.Problem("alice", "alice", Operators, identityRequired: true));

    [Theory]
    [InlineData("ops")]
    [InlineData("dispatcher")]
    public void Problem_OperatorCancelsAnyTask_Passes(string sender)
    {
        Assert.Null(CancelAuthorization.Problem(sender, "alice", Operators, identityRequired: true));
        Assert.Null(CancelAuthorization.Problem(sender, null, Operators, identityRequired: true));
    }

    [Fact]
    public void Problem_AnotherProducerCancels_IsRefusedNamingTheSender() =>
        Assert.Contains("'bob' neither submitted the task", CancelAuthorization.Problem("bob", "alice", Operators, identityRequired: true), StringComparison.Ordinal);

    [Fact]
    public void Problem_UnknownSubmitter_OnlyOperatorsMayCancel() =>
        Assert.Contains("no known submitter", CancelAuthorization.Problem("bob", null, Operators, identityRequired: true), StringComparison.Ordinal);

    [Fact]
    public void Problem_NoSenderIdentity_IsRefusedWhenRequired() =>
        Assert.Contains("no broker-validated user-id", CancelAuthorization.Problem(null, "alice", Operators, identityRequired: true), StringComparison.Ordinal);

    [Fact]
    public void Problem_IdentityNotRequired_AnyoneMayCancel()
    {
        Assert.Null(CancelAuthorization.Problem(null, "alice", [], identityRequired: false));
        Assert.Null(CancelAuthorization.Problem("bob", "alice", [], identityRequired: false));
    }

    [Fact]
    public void Problem_UserNamesCompareExactly() =>
        Assert.NotNull(CancelAuthorization.Problem("Alice", "alice", Operators, identityRequired: true));
}
