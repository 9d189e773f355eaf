using System.Globalization;

namespace WorkFleet.Autoscaling.Policy;

/// <summary>
/// The Kubernetes HorizontalPodAutoscaler rule on fleet utilization:
/// desired = ceil(current × signal / target), then stabilization windows, rate limits and min/max, in that order.
/// </summary>
/// <remarks>
/// <para>Tolerance: while |signal / target − 1| ≤ tolerance the recommendation is the current count.</para>
/// <para>Stabilization (as HPA): every raw recommendation is kept with its time. A scale-up goes no higher than
/// the lowest recommendation of the scale-up window; a scale-down goes no lower than the highest of the
/// scale-down window, so a dip must last the whole window (300 s by default) before workers are removed.</para>
/// <para>Rate limits (as HPA): the period's starting count is the current count minus the workers added and plus
/// those removed by scale events inside the period; from it at most +N workers or +P % (whichever allows more)
/// and at most −M workers. Limits never push the count past the current one in the other direction.</para>
/// <para>Min/max are applied last and win over everything (a fleet above a lowered max shrinks at once).</para>
/// </remarks>
public sealed class HpaPolicy : IScalingPolicy
{
    /// <summary>Configuration name.</summary>
    public const string PolicyName = "hpa";

    // ceil(4 × 1.4 / 0.7) must be 8, not 9 because the quotient came out as 8.000000000000002.
    private const double CeilingSlack = 1e-9;

    private readonly HpaPolicyOptions _options;
    private readonly WorkerBounds _bounds;

    // What is older than every window and period can no longer change a decision.
    private readonly TimeSpan _longestMemory;

    /// <summary>Creates the policy; throws, naming the setting, when <paramref name="options"/> are invalid.</summary>
    public HpaPolicy(HpaPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _bounds = new WorkerBounds(options.MinWorkers, options.MaxWorkers);
        _longestMemory = Longest(
            options.ScaleUpStabilization, options.ScaleDownStabilization, options.ScaleUpPeriod, options.ScaleDownPeriod);
    }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    /// <remarks>Adds this decision's raw recommendation to <paramref name="history"/> and forgets what no window reaches any more.</remarks>
    public ScalingDecision Decide(ScalingInput input, ScalingHistory history)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(history);
        input.EnsureValid();

        history.ForgetUpTo(input.Now - _longestMemory);
        if (_bounds.AtZero(input) is { } atZero)
        {
            // Waking is never held back by windows or limits: a waiting task must get a worker (as KEDA does).
            history.RecordRecommendation(input.Now, atZero.Desired);
            return new ScalingDecision(input, Name, atZero.Desired, atZero.Reason);
        }

        var (raw, reason) = Recommend(input);
        var desired = Stabilize(input, raw, history, ref reason);
        history.RecordRecommendation(input.Now, raw);
        desired = LimitRate(input, desired, history, ref reason);
        desired = _bounds.Clamp(desired, input, ref reason);
        return new ScalingDecision(input, Name, desired, reason);
    }

    private (int Raw, string Reason) Recommend(ScalingInput input)
    {
        var current = input.CurrentWorkers;
        var signal = input.EffectiveSignal;
        var label = input.Forecast is null
            ? string.Create(CultureInfo.InvariantCulture, $"utilization {signal:0.00}")
            : string.Create(CultureInfo.InvariantCulture, $"utilization {signal:0.00} forecast");
        var ratio = signal / _options.TargetUtilization;
        if (Math.Abs(ratio - 1) <= _options.Tolerance)
        {
            return (current, string.Create(
                CultureInfo.InvariantCulture,
                $"{label} within {_options.Tolerance:0.##} of target {_options.TargetUtilization:0.00}: stays at {current}"));
        }

        var raw = (int)Math.Ceiling(current * ratio - CeilingSlack);
        var side = ratio > 1 ? "over" : "under";
        return (raw, string.Create(
            CultureInfo.InvariantCulture,
            $"{label} {side} target {_options.TargetUtilization:0.00}: {current} -> {raw}"));
    }

    private int Stabilize(ScalingInput input, int raw, ScalingHistory history, ref string reason)
    {
        var upCutoff = input.Now - _options.ScaleUpStabilization;
        var downCutoff = input.Now - _options.ScaleDownStabilization;
        int lowestForUp = raw, highestForDown = raw;
        foreach (var recommendation in history.Recommendations)
        {
            if (recommendation.At > upCutoff)
            {
                lowestForUp = Math.Min(lowestForUp, recommendation.Workers);
            }

            if (recommendation.At > downCutoff)
            {
                highestForDown = Math.Max(highestForDown, recommendation.Workers);
            }
        }

        var current = input.CurrentWorkers;
        var stabilized = Math.Min(Math.Max(current, lowestForUp), highestForDown);
        if (raw > current && stabilized < raw)
        {
            reason += string.Create(
                CultureInfo.InvariantCulture,
                $", held at {stabilized} by scale-up stabilization (lowest recommendation of the last {_options.ScaleUpStabilization.TotalSeconds:0.#} s)");
        }
        else if (raw < current && stabilized > raw)
        {
            reason += string.Create(
                CultureInfo.InvariantCulture,
                $", held at {stabilized} by scale-down stabilization (highest recommendation of the last {_options.ScaleDownStabilization.TotalSeconds:0.#} s)");
        }

        return stabilized;
    }

    private int LimitRate(ScalingInput input, int desired, ScalingHistory history, ref string reason)
    {
        var current = input.CurrentWorkers;
        if (desired > current)
        {
            var limit = ScaleUpLimit(input, history);
            if (desired > limit)
            {
                reason += string.Create(
                    CultureInfo.InvariantCulture,
                    $", limited to {limit} by the scale-up rate ({_options.ScaleUpPeriod.TotalSeconds:0.#} s period)");
                return limit;
            }
        }
        else if (desired < current && _options.ScaleDownMaxWorkers is { } maxRemoved)
        {
            var (added, removed) = history.ChangesAfter(input.Now - _options.ScaleDownPeriod);
            var limit = Math.Min(current, current - added + removed - maxRemoved);
            if (desired < limit)
            {
                reason += string.Create(
                    CultureInfo.InvariantCulture,
                    $", limited to {limit} by the scale-down rate ({maxRemoved} per {_options.ScaleDownPeriod.TotalSeconds:0.#} s)");
                return limit;
            }
        }

        return desired;
    }

    private int ScaleUpLimit(ScalingInput input, ScalingHistory history)
    {
        if (_options.ScaleUpMaxWorkers is null && _options.ScaleUpMaxPercent is null)
        {
            return int.MaxValue;
        }

        var (added, removed) = history.ChangesAfter(input.Now - _options.ScaleUpPeriod);
        var periodStart = input.CurrentWorkers - added + removed;
        var limit = int.MinValue;
        if (_options.ScaleUpMaxWorkers is { } maxAdded)
        {
            limit = Math.Max(limit, periodStart + maxAdded);
        }

        if (_options.ScaleUpMaxPercent is { } maxPercent)
        {
            limit = Math.Max(limit, (int)Math.Ceiling(periodStart * (1 + maxPercent / 100) - CeilingSlack));
        }

        return Math.Max(limit, input.CurrentWorkers);
    }

    private static TimeSpan Longest(params ReadOnlySpan<TimeSpan> spans)
    {
        var longest = TimeSpan.Zero;
        foreach (var span in spans)
        {
            longest = span > longest ? span : longest;
        }

        return longest;
    }
}
