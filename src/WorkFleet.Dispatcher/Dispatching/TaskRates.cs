using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// How fast tasks arrive at this dispatcher and how fast it decides their outcomes, over the last 10 s: the demand
/// and throughput signals of the autoscaler, <c>/api/status</c> and <c>/metrics</c>. Arrivals are submits accepted
/// for dispatch (not invalid ones; a redelivered submit that was not dispatched yet counts again), completions are
/// outcomes of any kind announced by <see cref="TaskFinisher"/>.
/// </summary>
public sealed class TaskRates(TimeProvider clock)
{
    private readonly RateMeter _arrivals = new(clock);
    private readonly RateMeter _completions = new(clock);

    /// <summary>Tasks accepted for dispatch per second, this dispatcher.</summary>
    public double ArrivalsPerSecond => _arrivals.PerSecond;

    /// <summary>Task outcomes (succeeded or failed) decided per second, this dispatcher.</summary>
    public double CompletionsPerSecond => _completions.PerSecond;

    /// <summary>A submitted task was accepted for dispatch.</summary>
    public void Arrived() => _arrivals.Mark();

    /// <summary>A task's outcome was decided.</summary>
    public void Completed() => _completions.Mark();
}
