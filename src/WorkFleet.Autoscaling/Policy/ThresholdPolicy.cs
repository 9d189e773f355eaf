using System.Globalization;

namespace WorkFleet.Autoscaling.Policy;

/// <summary>
/// The classic threshold rule: load (forecast, else measured utilization) above the upper threshold adds
/// one step of workers, below the lower one removes a step, anything between (thresholds included) holds;
/// then min/max. Keeps no history.
/// </summary>
public sealed class ThresholdPolicy : IScalingPolicy
{
    /// <summary>Configuration name.</summary>
    public const string PolicyName = "threshold";

    private readonly ThresholdPolicyOptions _options;
    private readonly WorkerBounds _bounds;

    /// <summary>Creates the policy; throws, naming the setting, when <paramref name="options"/> are invalid.</summary>
    public ThresholdPolicy(ThresholdPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _bounds = new WorkerBounds(options.MinWorkers, options.MaxWorkers);
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public ScalingDecision Decide(ScalingInput input, ScalingHistory history)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        if (_bounds.AtZero(input) is { } atZero)
        {
            return new ScalingDecision(input, Name, atZero.Desired, atZero.Reason);
        }

        var current = input.CurrentWorkers;
        var load = input.EffectiveSignal;
        var label = input.Forecast is null ? "load" : "load forecast";
        int desired;
        string reason;
        if (load > _options.ScaleUpAbove)
        {
            desired = current + _options.Step;
            reason = string.Create(CultureInfo.InvariantCulture, $"{label} {load:0.00} above {_options.ScaleUpAbove:0.00}: {current} -> {desired}");
        }
        else if (load < _options.ScaleDownBelow)
        {
            desired = current - _options.Step;
            reason = string.Create(CultureInfo.InvariantCulture, $"{label} {load:0.00} below {_options.ScaleDownBelow:0.00}: {current} -> {desired}");
        }
        else
        {
            desired = current;
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"{label} {load:0.00} between {_options.ScaleDownBelow:0.00} and {_options.ScaleUpAbove:0.00}: stays at {current}");
        }

        desired = _bounds.Clamp(desired, input, ref reason);
        return new ScalingDecision(input, Name, desired, reason);
    }
}
