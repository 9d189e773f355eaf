namespace WorkFleet.Autoscaling.Policy;

/// <summary>Decides how many workers the fleet should have. Pure: no clock, no I/O; all history comes in <see cref="ScalingHistory"/>.</summary>
public interface IScalingPolicy
{
    /// <summary>Configuration name (for example <c>hpa</c>, <c>threshold</c>).</summary>
    string Name { get; }

    /// <summary>Decides the desired worker count.</summary>
    /// <param name="input">The fleet now.</param>
    /// <param name="history">Recent recommendations and scale events; the policy may add this decision's recommendation.</param>
    ScalingDecision Decide(ScalingInput input, ScalingHistory history);
}
