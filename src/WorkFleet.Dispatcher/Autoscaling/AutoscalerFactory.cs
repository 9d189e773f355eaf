using Microsoft.Extensions.Logging;
using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Policy;
using WorkFleet.Dispatcher.Autoscaling.Executors;
using WorkFleet.Dispatcher.Autoscaling.Executors.Docker;
using WorkFleet.Dispatcher.Autoscaling.Executors.Kubernetes;

namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>Builds the configured policy, forecaster and executor, and says which settings are wrong.</summary>
public static class AutoscalerFactory
{
    /// <summary>The <c>Forecaster</c> value that scales on the measured utilization, without forecasting.</summary>
    public const string ForecastingOff = "off";

    /// <summary>Accepted policy names.</summary>
    public static IReadOnlyList<string> PolicyNames { get; } = [HpaPolicy.PolicyName, ThresholdPolicy.PolicyName];

    /// <summary>Every problem with <paramref name="options"/>, each naming its setting; empty when they are valid.</summary>
    public static IReadOnlyList<string> Problems(AutoscalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = AutoscalerOptions.SectionName;
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Check(ExecutorNames.All.Contains(options.Executor), $"{Section}:Executor '{options.Executor}' is unknown; use one of: {string.Join(", ", ExecutorNames.All)}.");
        Check(SignalNames.All.Contains(options.Signal), $"{Section}:Signal '{options.Signal}' is unknown; use one of: {string.Join(", ", SignalNames.All)}.");
        Check(PolicyNames.Contains(options.Policy), $"{Section}:Policy '{options.Policy}' is unknown; use one of: {string.Join(", ", PolicyNames)}.");
        Check(options.Forecaster == ForecastingOff || ForecasterCatalog.Names.Contains(options.Forecaster),
            $"{Section}:Forecaster '{options.Forecaster}' is unknown; use one of: {string.Join(", ", ForecasterCatalog.Names.Append(ForecastingOff))}.");
        Check(options.MinWorkers >= 0, $"{Section}:MinWorkers must be 0 or more (0 allows scale to zero); it is {options.MinWorkers}.");
        Check(options.MaxWorkers >= 1, $"{Section}:MaxWorkers must be at least 1; it is {options.MaxWorkers}.");
        Check(options.MinWorkers <= options.MaxWorkers, $"{Section}:MinWorkers ({options.MinWorkers}) must not exceed MaxWorkers ({options.MaxWorkers}).");
        Check(options.TargetUtilization is > 0 and <= 1, $"{Section}:TargetUtilization must be in (0, 1]; it is {options.TargetUtilization}.");
        Check(options.Tolerance is >= 0 and < 1, $"{Section}:Tolerance must be in [0, 1); it is {options.Tolerance}.");
        Check(options.HoltAlpha is > 0 and <= 1 && options.HoltBeta is > 0 and <= 1,
            $"{Section}:HoltAlpha and HoltBeta must be in (0, 1]; they are {options.HoltAlpha} and {options.HoltBeta}.");
        Check(options.BacklogDrainTime > TimeSpan.Zero, $"{Section}:BacklogDrainTime must be positive; it is {options.BacklogDrainTime}.");
        Check(options.Interval > TimeSpan.Zero, $"{Section}:Interval must be positive; it is {options.Interval}.");
        Check(options.StartupTime > TimeSpan.Zero, $"{Section}:StartupTime must be positive; it is {options.StartupTime}.");
        Check(options.DrainTimeout > TimeSpan.Zero, $"{Section}:DrainTimeout must be positive; it is {options.DrainTimeout}.");
        Check(options.ScaleUpStabilization >= TimeSpan.Zero && options.ScaleDownStabilization >= TimeSpan.Zero,
            $"{Section}:ScaleUpStabilization and ScaleDownStabilization must not be negative.");
        Check(options.ScaleUpMaxWorkers >= 1, $"{Section}:ScaleUpMaxWorkers must be at least 1; it is {options.ScaleUpMaxWorkers}.");
        Check(options.ScaleDownBelow >= 0 && options.ScaleDownBelow < options.ScaleUpAbove,
            $"{Section}:ScaleDownBelow ({options.ScaleDownBelow}) must be 0 or more and below ScaleUpAbove ({options.ScaleUpAbove}).");
        Check(options.Executor != ExecutorNames.Docker || !string.IsNullOrWhiteSpace(options.Docker.Project),
            $"{Section}:Docker:Project must name the compose project whose worker service is scaled (e.g. the directory name of docker-compose.yml, or COMPOSE_PROJECT_NAME).");
        return problems;
    }

    /// <summary>The configured scaling policy.</summary>
    public static IScalingPolicy CreatePolicy(AutoscalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Policy switch
        {
            ThresholdPolicy.PolicyName => new ThresholdPolicy(new ThresholdPolicyOptions
            {
                MinWorkers = options.MinWorkers,
                MaxWorkers = options.MaxWorkers,
                ScaleUpAbove = options.ScaleUpAbove,
                ScaleDownBelow = options.ScaleDownBelow,
            }),
            _ => new HpaPolicy(new HpaPolicyOptions
            {
                MinWorkers = options.MinWorkers,
                MaxWorkers = options.MaxWorkers,
                TargetUtilization = options.TargetUtilization,
                Tolerance = options.Tolerance,
                ScaleUpStabilization = options.ScaleUpStabilization,
                ScaleDownStabilization = options.ScaleDownStabilization,
                ScaleUpMaxWorkers = options.ScaleUpMaxWorkers,
            }),
        };
    }

    /// <summary>The configured forecaster, or null when forecasting is off.</summary>
    public static IForecaster? CreateForecaster(AutoscalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Forecaster == ForecastingOff ? null : ForecasterCatalog.Create(options.Forecaster, alpha: options.HoltAlpha, beta: options.HoltBeta);
    }

    /// <summary>The configured executor.</summary>
    public static IFleetExecutor CreateExecutor(AutoscalerOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        return options.Executor switch
        {
            ExecutorNames.None => new NoFleetExecutor(),
            ExecutorNames.Docker => DockerFleetExecutor.Create(options.Docker, loggers.CreateLogger<DockerFleetExecutor>()),
            ExecutorNames.Kubernetes => KubernetesFleetExecutor.Create(options.Kubernetes, loggers.CreateLogger<KubernetesFleetExecutor>()),
            _ => throw new InvalidOperationException($"{AutoscalerOptions.SectionName}:Executor '{options.Executor}' is unknown; use one of: {string.Join(", ", ExecutorNames.All)}."),
        };
    }
}
