using System.Diagnostics;
using System.Globalization;

namespace WorkFleet.Testing;

/// <summary>Polling assertions for asynchronous outcomes: wait for a condition, never for a fixed time.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Calls <paramref name="probe"/> every 100 ms until <paramref name="done"/> accepts its value,
    /// and returns that value. Exceptions from the probe propagate.
    /// </summary>
    /// <param name="probe">Reads the current state.</param>
    /// <param name="done">Whether the state is the awaited one.</param>
    /// <param name="timeout">How long to keep polling.</param>
    /// <param name="what">What is awaited, for the failure message, e.g. "3 tasks completed".</param>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(string.Format(
                    CultureInfo.InvariantCulture,
                    "Timed out after {0:0.#} s waiting for {1}; last value: {2}",
                    timeout.TotalSeconds,
                    what,
                    value is null ? "null" : value));
            }

            await Task.Delay(PollInterval);
        }
    }
}
