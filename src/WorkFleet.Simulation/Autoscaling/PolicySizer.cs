using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Policy;

namespace WorkFleet.Simulation.Autoscaling;

/// <summary>
/// Drives a scaling policy of WorkFleet.Autoscaling on the utilization signal (<see cref="AutoscalingSignal.Utilization"/>): samples the load, optionally
/// forecasts it <c>horizon</c> ahead, and asks the policy with the utilization of the current fleet.
/// </summary>
/// <remarks>
/// The forecaster sees the load in tasks (running + waiting), not the utilization, so a change of fleet size does
/// not look like a change of load; the forecast is turned into utilization of the current fleet. A predictive
/// decision uses max(measured, forecast): it never scales below what the measured load asks for.
/// </remarks>
internal sealed class PolicySizer : IFleetSizer
{
    private const int SamplesKept = 64;

    private readonly IScalingPolicy _policy;
    private readonly IForecaster? _forecaster;
    private readonly TimeSpan _horizon;
    private readonly int _capacity;
    private readonly ScalingHistory _history = new();
    private readonly List<Sample> _samples = [];

    public PolicySizer(IScalingPolicy policy, IForecaster? forecaster, TimeSpan horizon, int capacity, int initialWorkers)
    {
        _policy = policy;
        _forecaster = forecaster;
        _horizon = horizon;
        _capacity = capacity;
        InitialWorkers = initialWorkers;
    }

    /// <inheritdoc />
    public int InitialWorkers { get; }

    /// <inheritdoc />
    public int Decide(FleetObservation observation)
    {
        var (seconds, currentWorkers, load, waiting) = (observation.Seconds, observation.CurrentWorkers, observation.Load, observation.Waiting);
        var now = DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        _samples.Add(new Sample(now, load));
        if (_samples.Count > SamplesKept)
        {
            _samples.RemoveAt(0);
        }

        var fleetCapacity = (double)currentWorkers * _capacity;
        var signal = fleetCapacity > 0 ? load / fleetCapacity : 0;
        double? forecast = null;
        if (_forecaster?.Forecast(_samples, _horizon) is { } forecastLoad && fleetCapacity > 0)
        {
            forecast = Math.Max(signal, forecastLoad / fleetCapacity);
        }

        var decision = _policy.Decide(new ScalingInput(now, currentWorkers, signal, forecast, waiting), _history);
        _history.RecordScaleEvent(now, currentWorkers, decision.DesiredWorkers);
        return decision.DesiredWorkers;
    }
}
