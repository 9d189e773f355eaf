using System.Globalization;
using Microsoft.Extensions.Logging;
using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Policy;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Autoscaling.Executors;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>
/// One autoscaler step, run every interval by the lease holder: measure the fleet, forecast its utilization at the
/// horizon, let the policy decide, and carry the decision out (start workers, or choose victims, drain them and
/// remove them once they stopped). The decision code is the pure policy, forecaster and victim selector; this
/// class only gathers their inputs and does the I/O.
/// </summary>
public sealed class Autoscaler : IDisposable
{
    private const int SamplesKept = 240;
    private const int DecisionsShown = 50;

    private readonly AutoscalerOptions _options;
    private readonly IScalingPolicy _policy;
    private readonly IForecaster? _forecaster;
    private readonly IFleetExecutor _executor;
    private readonly SlotAllocator _slots;
    private readonly TaskRates _rates;
    private readonly FleetDepartures _departures;
    private readonly IDrainAnnouncer _announcer;
    private readonly AutoscalerState _state;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ScalingHistory _history = new();
    private readonly ScalingDecisionLog _decisions = new(DecisionsShown);
    private readonly List<Sample> _samples = [];
    private readonly List<Sample> _arrivalRates = [];
    private readonly List<SignalPoint> _points = [];
    private readonly DrainTracker _drains = new();
    private readonly StartupTimeLearner _startup;
    private int? _current;
    private int? _desired;
    private double _capacityPerWorker = 1;
    private string? _lastError;

    /// <summary>Creates the step with its parts (see <see cref="AutoscalerFactory"/> for the configured ones).</summary>
    public Autoscaler(
        AutoscalerOptions options,
        IScalingPolicy policy,
        IForecaster? forecaster,
        IFleetExecutor executor,
        SlotAllocator slots,
        TaskRates rates,
        FleetDepartures departures,
        IDrainAnnouncer announcer,
        AutoscalerState state,
        TimeProvider clock,
        ILogger logger)
    {
        _options = options;
        _policy = policy;
        _forecaster = forecaster;
        _executor = executor;
        _slots = slots;
        _rates = rates;
        _departures = departures;
        _announcer = announcer;
        _state = state;
        _clock = clock;
        _logger = logger;
        _startup = new StartupTimeLearner(options.StartupTime);
    }

    /// <summary>Measures, decides and acts once. Returns false when the executor failed (the caller backs off).</summary>
    public async Task<bool> StepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DecideAndActAsync(cancellationToken);
            await FinishDrainsAsync(cancellationToken);
            _lastError = null;
            return true;
        }
        catch (ExecutorException ex)
        {
            _lastError = ex.Message;
            _logger.LogError("Autoscaler executor '{Executor}' failed: {Error} Dispatching goes on; retrying with backoff.", _executor.Name, ex.Message);
            return false;
        }
        finally
        {
            Publish("leader");
        }
    }

    /// <summary>Releases the executor's client (Docker, Kubernetes).</summary>
    public void Dispose() => (_executor as IDisposable)?.Dispose();

    /// <summary>Publishes a report saying another dispatcher holds the lease.</summary>
    public void Standby() => Publish("standby");

    private async Task DecideAndActAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var workers = _slots.Snapshot();
        var serving = workers.Where(w => w.IsAlive && !w.Snapshot.IsDraining && !_drains.IsDraining(w.Snapshot.WorkerId)).ToList();
        _startup.Observe(workers.Select(w => w.Snapshot.WorkerId), now);
        _startup.ForgetOlderThan(now - (4 * _options.StartupTime) - _startup.Horizon);
        if (serving.Count > 0)
        {
            _capacityPerWorker = serving.Average(w => w.Snapshot.Capacity);
        }

        var load = FleetLoad.Of(serving, _slots.WaitingLine(), now);
        var current = await _executor.CountAsync(cancellationToken) ?? serving.Count;
        _current = current;

        var (utilization, forecast) = MeasureAndForecast(now, load, serving, current);
        _points.Add(new SignalPoint(now, utilization, forecast));
        Trim(_points);

        var decision = _policy.Decide(new ScalingInput(now, current, utilization, forecast, load.Waiting), _history);
        _decisions.Add(decision);
        var recommendationChanged = _desired != decision.DesiredWorkers;
        _desired = decision.DesiredWorkers;
        if (!decision.ChangesFleet)
        {
            _logger.LogDebug("Autoscaler holds at {Workers} workers: {Reason}", current, decision.Reason);
            return;
        }

        if (_executor is NoFleetExecutor)
        {
            // Nothing changes here, so there is no scale event to rate-limit by and no start-up to time.
            _logger.Log(recommendationChanged ? LogLevel.Information : LogLevel.Debug, "Autoscaler recommends {From} -> {To} workers ({Reason}); executor 'none' leaves it to an external scaler.", current, decision.DesiredWorkers, decision.Reason);
            return;
        }

        if (decision.DesiredWorkers > current)
        {
            var added = decision.DesiredWorkers - current;
            _logger.LogInformation("Autoscaler: {From} -> {To} workers ({Reason}); starting {Added} through {Executor}.", current, decision.DesiredWorkers, decision.Reason, added, _executor.Name);
            await _executor.AddAsync(added, cancellationToken);
            _history.RecordScaleEvent(now, current, decision.DesiredWorkers);
            _startup.ScaledUp(now, added);
            return;
        }

        await ShrinkAsync(now, current, decision, serving, cancellationToken);
    }

    /// <summary>
    /// The configured signal as a utilization of every worker the platform runs (capacity on its way counts), and its
    /// forecast at the horizon when a forecaster is configured.
    /// </summary>
    private (double Signal, double? Forecast) MeasureAndForecast(DateTimeOffset now, FleetLoad load, List<WorkerView> serving, int current)
    {
        if (_options.Signal == SignalNames.Demand && MeanRunSeconds(serving) is { } meanRun)
        {
            // Forecast the arrival rate, not the utilization: the rate is what rises and falls (DemandSignal).
            var rate = _rates.ArrivalsPerSecond;
            _arrivalRates.Add(new Sample(now, rate));
            Trim(_arrivalRates);

            // Workers asked for now serve from one start-up later until the next decision's workers arrive.
            var ahead = _forecaster?.Forecast(_arrivalRates, _startup.Horizon + _options.Interval);
            double Demand(double arrivals) => DemandSignal.Utilization(
                DemandSignal.Slots(arrivals, meanRun, load.Waiting, _options.BacklogDrainTime), current, _capacityPerWorker);
            return (Demand(rate), ahead is { } f ? Demand(Math.Max(rate, Math.Max(0, f))) : null);
        }

        var signal = current == 0 ? 0
            : _options.Signal == SignalNames.Resource && load.ResourceLoadMean is { } resource ? resource * serving.Count / current
            : (load.Running + load.Waiting) / (_capacityPerWorker * current);
        _samples.Add(new Sample(now, signal));
        Trim(_samples);
        return (signal, _forecaster?.Forecast(_samples, _startup.Horizon));
    }

    /// <summary>Mean task run time of the serving workers (their heartbeats' moving averages), seconds; null before any ran a task.</summary>
    private static double? MeanRunSeconds(List<WorkerView> serving)
    {
        var measured = serving.Where(w => w.Snapshot.EwmaTaskDurationMs > 0).ToList();
        return measured.Count == 0 ? null : measured.Average(w => w.Snapshot.EwmaTaskDurationMs) / 1000;
    }

    private async Task ShrinkAsync(DateTimeOffset now, int current, ScalingDecision decision, IReadOnlyList<WorkerView> serving, CancellationToken cancellationToken)
    {
        var candidates = serving
            .Select(w => new ScaleDownCandidate(
                w.Snapshot.WorkerId,
                w.EstimatedLoad,
                w.Snapshot.JobTypes.Concat(w.Snapshot.Capabilities.Select(c => "capability:" + c)).ToHashSet(StringComparer.Ordinal),
                w.Snapshot.Incarnation))
            .ToList();
        var victims = VictimSelector.Choose(candidates, current - decision.DesiredWorkers).Select(v => v.WorkerId).ToList();
        if (victims.Count == 0)
        {
            _logger.LogInformation("Autoscaler wants {From} -> {To} workers but no worker can go (each is the last to offer a job type or capability).", current, decision.DesiredWorkers);
            return;
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"autoscaler: {current} -> {current - victims.Count} workers ({decision.Reason})");
        _logger.LogInformation("Autoscaler: {Reason}; draining {Victims}.", reason, string.Join(", ", victims));

        // From here on this dispatcher hands the victims nothing; the announcement tells the other dispatchers.
        foreach (var victim in victims)
        {
            _slots.RequestDrain(victim, now);
            _drains.Started(victim, now);
        }

        try
        {
            // Before the drain command, so the platform does not restart a worker that exits after its drain.
            await _executor.ReleaseAsync(victims, cancellationToken);
        }
        catch (ExecutorException)
        {
            foreach (var victim in victims)
            {
                _slots.CancelDrain(victim);
                _drains.Finished(victim, DrainTracker.Cancelled);
            }

            throw;
        }

        foreach (var victim in victims)
        {
            await _announcer.AnnounceAsync(new DrainWorker { WorkerId = victim, Reason = reason, RequestedAt = now }, cancellationToken);
        }

        _history.RecordScaleEvent(now, current, current - victims.Count);
    }

    private async Task FinishDrainsAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var present = _slots.Snapshot().Select(w => w.Snapshot.WorkerId).ToHashSet(StringComparer.Ordinal);
        foreach (var drain in _drains.InProgress.ToList())
        {
            var stopped = _departures.LeftAt(drain.WorkerId) is not null || !present.Contains(drain.WorkerId);
            var timedOut = now - drain.RequestedAt >= _options.DrainTimeout;
            if (!stopped && !timedOut)
            {
                continue;
            }

            if (!stopped)
            {
                _logger.LogWarning("Worker {WorkerId} did not report Stopped within the drain timeout {Timeout}; removing it anyway (what it holds is dispatched elsewhere).", drain.WorkerId, _options.DrainTimeout);
            }

            await _executor.RemoveAsync([drain.WorkerId], cancellationToken);
            _drains.Finished(drain.WorkerId, stopped ? DrainTracker.Removed : DrainTracker.TimedOut);
        }
    }

    private void Publish(string role) => _state.Publish(new AutoscalerReport(
        Enabled: true,
        Role: role,
        Executor: _executor.Name,
        Policy: _policy.Name,
        Forecaster: _forecaster?.Name ?? AutoscalerFactory.ForecastingOff,
        CurrentWorkers: role == "leader" ? _current : null,
        DesiredWorkers: role == "leader" ? _desired : null,
        MinWorkers: _options.MinWorkers,
        MaxWorkers: _options.MaxWorkers,
        Horizon: _startup.Horizon,
        HorizonLearned: _startup.IsLearned,
        LastError: _lastError,
        Samples: [.. _points],
        Decisions: [.. _decisions.Snapshot().Select(d => new DecisionEntry(d.Input.Now, d.Input.CurrentWorkers, d.Input.Signal, d.Input.Forecast, d.DesiredWorkers, d.Reason))],
        Drains: [.. _drains.Entries]));

    private static void Trim<T>(List<T> items)
    {
        if (items.Count > SamplesKept)
        {
            items.RemoveRange(0, items.Count - SamplesKept);
        }
    }
}
