namespace WorkFleet.Simulation.Autoscaling;

/// <summary>How one policy did on a scenario.</summary>
public sealed record AutoscalingResult
{
    /// <summary>Policy name (see <see cref="AutoscalingPolicies"/>).</summary>
    public required string Policy { get; init; }

    /// <summary>Tasks completed (all of the trace).</summary>
    public required int Completed { get; init; }

    /// <summary>Median latency (wait + run), seconds.</summary>
    public required double P50LatencySeconds { get; init; }

    /// <summary>99th percentile latency (wait + run), seconds.</summary>
    public required double P99LatencySeconds { get; init; }

    /// <summary>99th percentile wait, seconds.</summary>
    public required double P99WaitSeconds { get; init; }

    /// <summary>Share of tasks that waited longer than the SLO, in [0, 1].</summary>
    public required double SloViolationShare { get; init; }

    /// <summary>Sum over time of the workers in the fleet (starting and draining ones too): the cost.</summary>
    public required double WorkerSeconds { get; init; }

    /// <summary>Control-loop decisions that changed the fleet size.</summary>
    public required int ScaleEvents { get; init; }

    /// <summary>Most workers the fleet had at once.</summary>
    public required int PeakWorkers { get; init; }

    /// <summary>Time of the first scale-up decision, or <see langword="null"/> when there was none.</summary>
    public required double? FirstScaleUpSeconds { get; init; }

    /// <summary>The fleet at every control-loop step.</summary>
    public required IReadOnlyList<FleetSample> Timeline { get; init; }
}
