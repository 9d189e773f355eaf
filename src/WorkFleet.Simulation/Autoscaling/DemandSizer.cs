using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Policy;

namespace WorkFleet.Simulation.Autoscaling;

/// <summary>
/// Drives a scaling policy on the demand signal (<see cref="DemandSignal"/>), measured the way the autoscaler loop
/// can: the arrival rate of the last period, the mean run time of the tasks completed in the last
/// <see cref="RunTimePeriods"/> periods, and the waiting tasks (drained within the wait SLO).
/// </summary>
/// <remarks>
/// <para>A rate measured over a period describes its middle, so each rate sample is stamped half a period back and a
/// forecast reaches <c>horizon</c> past the decision, not past the sample.</para>
/// <para>With a forecaster the policy sees the larger of the forecaster's rate now and its rate <c>horizon</c> ahead
/// (the simulator passes start-up + control period: capacity asked for now takes tasks one start-up later and is the
/// fleet's until the next decision's capacity arrives a period after that). A trend's highest point over that span is at
/// one of its ends, and both come from the smoothed series, so the noise of one period's count does not size the fleet.
/// The backlog term always uses the waiting tasks measured now.</para>
/// <para>Until a task has completed there is no run time to measure; the demand is then the running + waiting tasks.
/// Without completions in the window the last measured mean is kept.</para>
/// </remarks>
internal sealed class DemandSizer : IFleetSizer
{
    /// <summary>Periods of completions the mean run time is measured over.</summary>
    public const int RunTimePeriods = 4;

    private const int SamplesKept = 64;

    private readonly IScalingPolicy _policy;
    private readonly IForecaster? _forecaster;
    private readonly TimeSpan _horizon;
    private readonly int _capacity;
    private readonly TimeSpan _drainWithin;
    private readonly ScalingHistory _history = new();
    private readonly List<Sample> _rates = [];
    private readonly Queue<(int Count, double Seconds)> _completions = new();
    private double? _meanRunSeconds;

    public DemandSizer(IScalingPolicy policy, IForecaster? forecaster, TimeSpan horizon, int capacity, TimeSpan drainWithin, int initialWorkers)
    {
        _policy = policy;
        _forecaster = forecaster;
        _horizon = horizon;
        _capacity = capacity;
        _drainWithin = drainWithin;
        InitialWorkers = initialWorkers;
    }

    /// <inheritdoc />
    public int InitialWorkers { get; }

    /// <inheritdoc />
    public int Decide(FleetObservation observation)
    {
        var now = DateTimeOffset.UnixEpoch.AddSeconds(observation.Seconds);
        var rate = observation.PeriodSeconds > 0 ? observation.Arrivals / observation.PeriodSeconds : 0;
        _rates.Add(new Sample(now.AddSeconds(-observation.PeriodSeconds / 2), rate));
        if (_rates.Count > SamplesKept)
        {
            _rates.RemoveAt(0);
        }

        var meanRun = MeanRunSeconds(observation);
        var current = observation.CurrentWorkers;
        var slots = meanRun is { } run
            ? DemandSignal.Slots(rate, run, observation.Waiting, _drainWithin)
            : observation.Load;
        var signal = DemandSignal.Utilization(slots, current, _capacity);
        double? forecast = null;
        var sinceSample = now - _rates[^1].Time;
        if (meanRun is { } mean
            && _forecaster?.Forecast(_rates, sinceSample) is { } rateNow
            && _forecaster.Forecast(_rates, _horizon + sinceSample) is { } rateAhead)
        {
            var forecastSlots = DemandSignal.Slots(Math.Max(0, Math.Max(rateNow, rateAhead)), mean, observation.Waiting, _drainWithin);
            forecast = DemandSignal.Utilization(forecastSlots, current, _capacity);
        }

        var decision = _policy.Decide(new ScalingInput(now, current, signal, forecast, observation.Waiting), _history);
        _history.RecordScaleEvent(now, current, decision.DesiredWorkers);
        return decision.DesiredWorkers;
    }

    private double? MeanRunSeconds(FleetObservation observation)
    {
        _completions.Enqueue((observation.Completions, observation.CompletedRunSeconds));
        if (_completions.Count > RunTimePeriods)
        {
            _completions.Dequeue();
        }

        int count = 0;
        double seconds = 0;
        foreach (var period in _completions)
        {
            count += period.Count;
            seconds += period.Seconds;
        }

        // A period without completions (tasks longer than the window) keeps the last measured mean.
        if (count > 0)
        {
            _meanRunSeconds = seconds / count;
        }

        return _meanRunSeconds;
    }
}
