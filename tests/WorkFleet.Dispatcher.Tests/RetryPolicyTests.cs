using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Tests;

public sealed class RetryPolicyTests
{
    private static RetryPolicy Policy(int maxAttempts = 5) => new(Options.Create(new DispatcherOptions
    {
        MaxAttempts = maxAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromMilliseconds(1000),
    }));

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    public void DelayAfter_RetryableFailure_DoublesWithinJitter(int failedAttempt, double nominalMs)
    {
        var policy = Policy(maxAttempts: 10);

        for (var i = 0; i < 200; i++)
        {
            var delay = policy.DelayAfter(failedAttempt, retryable: true);

            Assert.NotNull(delay);
            Assert.InRange(delay.Value.TotalMilliseconds, nominalMs * 0.75, nominalMs * 1.25);
        }
    }

    [Fact]
    public void DelayAfter_LateAttempts_CappedAtMaxDelayWithJitter()
    {
        var delay = Policy(maxAttempts: 20).DelayAfter(15, retryable: true);

        Assert.InRange(delay!.Value.TotalMilliseconds, 750, 1250);
    }

    [Fact]
    public void DelayAfter_NotRetryable_IsFinal() => Assert.Null(Policy().DelayAfter(1, retryable: false));

    [Fact]
    public void DelayAfter_LastAttemptFailed_IsFinal()
    {
        var policy = Policy(maxAttempts: 3);

        Assert.NotNull(policy.DelayAfter(2, retryable: true));
        Assert.Null(policy.DelayAfter(3, retryable: true));
    }
}
