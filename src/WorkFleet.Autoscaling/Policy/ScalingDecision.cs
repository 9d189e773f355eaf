namespace WorkFleet.Autoscaling.Policy;

/// <summary>One decision of a scaling policy, kept with its inputs so an operator can see why the fleet changed.</summary>
/// <param name="Input">What the policy saw.</param>
/// <param name="Policy">Name of the policy that decided.</param>
/// <param name="DesiredWorkers">The number of workers the fleet should have.</param>
/// <param name="Reason">Why, in words, e.g. "utilization 1.35 forecast over target 0.70: 4 -> 8, capped at 6 by max".</param>
public sealed record ScalingDecision(ScalingInput Input, string Policy, int DesiredWorkers, string Reason)
{
    /// <summary>The decision asks for a different number of workers than the fleet has.</summary>
    public bool ChangesFleet => DesiredWorkers != Input.CurrentWorkers;
}
