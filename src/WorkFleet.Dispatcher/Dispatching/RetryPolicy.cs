using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Exponential backoff with jitter, bounded by a maximum number of attempts.</summary>
public sealed class RetryPolicy(IOptions<DispatcherOptions> options)
{
    /// <summary>
    /// The delay before the next attempt after attempt <paramref name="failedAttempt"/> failed, or null when
    /// the failure is final (not retryable, or attempts exhausted).
    /// </summary>
    public TimeSpan? DelayAfter(int failedAttempt, bool retryable)
    {
        var settings = options.Value;
        if (!retryable || failedAttempt >= settings.MaxAttempts)
        {
            return null;
        }

        var exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, failedAttempt - 1);
        var capped = Math.Min(exponential, settings.RetryMaxDelay.TotalMilliseconds);

        // ±25 % jitter spreads retries of tasks that failed together (e.g. a model server blip).
        var jittered = capped * (0.75 + (Random.Shared.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(jittered);
    }
}
