using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Dispatcher.Configuration;

/// <summary>
/// Which dispatcher takes the submits. Cost-aware scheduling orders and places the waiting tasks of one line; with
/// several dispatchers each holding its own line, a freed slot goes to whichever line heard of it first, however
/// urgent the others' tasks are (simulated on four dispatchers: p99 0.76x and 0.91x of the shared queue at cost cv 2
/// and 3, against 0.68x and 0.70x with one line). So cost-aware dispatchers consume the submit queue at distinct
/// RabbitMQ consumer priorities: the broker hands every submit to the highest that is not full, the way
/// kube-scheduler's leader election keeps one scheduler active, and the next takes over the moment that one's
/// connection goes, its unacknowledged submits redelivered to it. Leadership is only an optimization: two
/// dispatchers taking submits at once (equal priorities, or a leader's connection blinking) is the arrangement of
/// the other strategies and safe in the same way.
/// </summary>
public static class SubmitPriorities
{
    /// <summary>
    /// The consumer priority of <paramref name="options"/>' dispatcher on the submit queue: the configured one, else
    /// for cost-aware one derived from its id, else null (the broker's default: all equal).
    /// </summary>
    public static int? Of(DispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SubmitPriority is { } configured)
        {
            return configured;
        }

        return options.Strategy == CostAwarePlacement.StrategyName ? Derived(options.DispatcherId) : null;
    }

    /// <summary>
    /// A priority in 1..2^30 from <paramref name="dispatcherId"/>: the same on every start, and different for two
    /// dispatchers of different ids but for a chance of one in 2^30 (then they share submits as equals).
    /// </summary>
    public static int Derived(string dispatcherId)
    {
        ArgumentNullException.ThrowIfNull(dispatcherId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(dispatcherId));
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash) & 0x3FFF_FFFF) + 1;
    }
}
