using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Policy;
using WorkFleet.Dispatcher.Autoscaling.Executors;

namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>Autoscaler settings. Section <c>WorkFleet:Autoscaler</c>. Off unless <see cref="Enabled"/>.</summary>
public sealed class AutoscalerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Autoscaler";

    /// <summary>Whether this dispatcher runs the autoscaler (only the one holding the lease acts). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>What carries out decisions: <c>none</c> (recommend only), <c>docker</c> or <c>kubernetes</c>. Default <c>none</c>.</summary>
    public string Executor { get; set; } = ExecutorNames.None;

    /// <summary>Scaling rule: <c>hpa</c> (desired = ceil(current × signal / target)) or <c>threshold</c>. Default <c>hpa</c>.</summary>
    public string Policy { get; set; } = HpaPolicy.PolicyName;

    /// <summary>Forecaster of the utilization at the horizon: <c>linear</c>, <c>holt</c>, <c>auto</c>, or <c>off</c> (scale on the measured value). Default <c>auto</c>.</summary>
    public string Forecaster { get; set; } = ForecasterCatalog.Default;

    /// <summary>
    /// What the policy scales on: <c>utilization</c> ((running + waiting tasks) / capacity), <c>demand</c> ((arrival
    /// rate + waiting / <see cref="BacklogDrainTime"/>) × mean run time / capacity; forecasters then extend the
    /// arrival rate), or <c>resource</c> (the workers' mean max(host CPU, host memory), the classic formulation;
    /// meaningful when each worker has its own machine, not for containers sharing one host). Default <c>utilization</c>.
    /// </summary>
    public string Signal { get; set; } = SignalNames.Utilization;

    /// <summary><c>demand</c> signal: the time in which today's backlog should be worked off (the wait SLO plus a start-up). Default 35 s.</summary>
    public TimeSpan BacklogDrainTime { get; set; } = TimeSpan.FromSeconds(35);

    /// <summary>Holt's level smoothing factor, in (0, 1]. Default 0.5.</summary>
    public double HoltAlpha { get; set; } = HoltForecaster.DefaultAlpha;

    /// <summary>Holt's trend smoothing factor, in (0, 1]. Default 0.3 (the simulator's claim used 0.1 with the <c>demand</c> signal).</summary>
    public double HoltBeta { get; set; } = HoltForecaster.DefaultBeta;

    /// <summary>How often the fleet is measured and a decision made. Default 5 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Forecast horizon until one is learned: the time from a scale-up command to the new worker's first heartbeat.
    /// Default 30 s.
    /// </summary>
    public TimeSpan StartupTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a drained worker may take to report Stopped before it is removed anyway. Default 60 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Fewest workers (0 allows scale to zero, woken by the first waiting task). Default 1.</summary>
    public int MinWorkers { get; set; } = 1;

    /// <summary>Most workers. Default 10.</summary>
    public int MaxWorkers { get; set; } = 10;

    /// <summary>Utilization the <c>hpa</c> policy aims at, in (0, 1]. Default 0.7.</summary>
    public double TargetUtilization { get; set; } = 0.7;

    /// <summary>No change while |signal / target − 1| is at most this. Default 0.1.</summary>
    public double Tolerance { get; set; } = 0.1;

    /// <summary>A scale-up goes no higher than the lowest recommendation of this window. Default 0 s.</summary>
    public TimeSpan ScaleUpStabilization { get; set; } = TimeSpan.Zero;

    /// <summary>A scale-down goes no lower than the highest recommendation of this window. Default 300 s.</summary>
    public TimeSpan ScaleDownStabilization { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Most workers added per 15 s (or 100 %, whichever allows more). Default 4.</summary>
    public int ScaleUpMaxWorkers { get; set; } = 4;

    /// <summary><c>threshold</c> policy: predicted utilization above this adds workers. Default 0.8.</summary>
    public double ScaleUpAbove { get; set; } = 0.8;

    /// <summary><c>threshold</c> policy: predicted utilization below this removes workers. Default 0.2.</summary>
    public double ScaleDownBelow { get; set; } = 0.2;

    /// <summary>Docker executor settings.</summary>
    public DockerExecutorOptions Docker { get; set; } = new();

    /// <summary>Kubernetes executor settings.</summary>
    public KubernetesExecutorOptions Kubernetes { get; set; } = new();
}
