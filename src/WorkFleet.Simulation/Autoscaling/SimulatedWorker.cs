namespace WorkFleet.Simulation.Autoscaling;

/// <summary>One worker of the autoscaling model: when it is ready, whether it drains, the end times of its running tasks.</summary>
internal sealed class SimulatedWorker(double readySeconds)
{
    /// <summary>When the worker starts taking tasks.</summary>
    public double ReadySeconds { get; } = readySeconds;

    /// <summary>Takes no new tasks; leaves the fleet once its running tasks are done.</summary>
    public bool Draining { get; set; }

    /// <summary>End times of the tasks it runs.</summary>
    public List<double> RunningUntil { get; } = [];

    public bool IsReady(double seconds) => ReadySeconds <= seconds;
}
