using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using WorkFleet.Contracts;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn.Diagnostics;
using WorkFleet.Jobs.BuiltIn.Onnx;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Hosting;
using WorkFleet.Messaging.Security;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Consumers;
using WorkFleet.Worker.Execution;
using WorkFleet.Worker.Hosting;
using WorkFleet.Worker.Observability;
using WorkFleet.Worker.Resources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The worker role's one entry point.</summary>
public static class WorkerHostBuilderExtensions
{
    /// <summary>
    /// Adds one worker (its queue, heartbeat and the built-in job handlers) configured from
    /// <c>WorkFleet:Worker</c> and then <paramref name="configure"/>. Call it several times to host several
    /// workers in one process (the embedded demo does). Invalid settings throw here, naming the setting;
    /// batching settings that do not fit the registered handlers throw when the host is built.
    /// </summary>
    public static IHostApplicationBuilder AddWorkFleetWorker(this IHostApplicationBuilder builder, Action<WorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new WorkerOptions();
        builder.Configuration.GetSection(WorkerOptions.SectionName).Bind(options);
        configure?.Invoke(options);
        Validate(options);

        // Resolved once here, so that every log line and the queue name agree on it.
        options.WorkerId = options.ResolveWorkerId();

        var services = builder.Services;
        services.AddBuiltInJobs();
        if (options.Capabilities.Contains(OnnxModelOptions.GpuCapability, StringComparer.Ordinal))
        {
            // A GPU worker runs inference.onnx on CUDA; the sessions are per process, so this holds for its other workers too.
            services.Configure<OnnxModelOptions>(onnx => onnx.UseCuda = true);
        }

        if (options.EnableDiagnosticJobs)
        {
            // Registered once per process; a worker of the same process without the setting still neither
            // advertises nor runs them (WorkerJobTypes.Resolve leaves them out).
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, FlakyJobHandler>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, SleepJobHandler>());
        }

        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(o.ShutdownTimeout.Ticks, (options.DrainTimeout + TimeSpan.FromSeconds(5)).Ticks)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TaskExecutor>();
        services.TryAddSingleton<WorkerMetrics>();
        services.TryAddSingleton<WorkerRuntimes>();
        services.TryAddSingleton<GpuSampler>();
        services.TryAddSingleton<HostResourceMonitor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GpuSampler>(sp => sp.GetRequiredService<GpuSampler>()));
        services.AddSingleton<IEndpointContributor>(sp =>
        {
            var runtime = Runtime(sp, options);
            return ActivatorUtilities.CreateInstance<WorkerEndpoints>(sp, runtime, ActivatorUtilities.CreateInstance<ExecuteTaskConsumer>(sp, runtime));
        });
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<HeartbeatPublisher>(sp, Runtime(sp, options)));
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ReceiveEndpointWatchdog>(
            sp, new WatchedQueue(QueueNames.ForWorker(options.WorkerId), $"worker {options.WorkerId}", options.EndpointRecoveryTimeout)));
        var scraped = false;
        if (!string.IsNullOrWhiteSpace(options.HealthUrls))
        {
            scraped = true;
            var healthUrls = WorkerHealthEndpoint.ParseUrls(options.HealthUrls);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WorkerHealthEndpoint>(
                sp => ActivatorUtilities.CreateInstance<WorkerHealthEndpoint>(sp, healthUrls)));
        }

        AddMetrics(builder, scraped);

        builder.AddWorkFleetBus(BrokerRoles.Worker);
        builder.AddWorkFleetTracing("workfleet-worker");
        return builder;
    }

    /// <summary>
    /// The worker meter over OTLP when configured (<c>WorkFleet:Telemetry</c>), and, once per process, a Prometheus
    /// reader for the <c>/metrics</c> of the health endpoint when a worker has one.
    /// </summary>
    private static void AddMetrics(IHostApplicationBuilder builder, bool scraped)
    {
        var addScrape = scraped && !builder.Services.Any(s => s.ServiceType == typeof(WorkerScrapeEndpoint));
        if (addScrape)
        {
            builder.Services.AddSingleton<WorkerScrapeEndpoint>();
        }

        Action<MeterProviderBuilder>? scrape = addScrape
            ? metrics => metrics.AddPrometheusExporter(prometheus =>
            {
                prometheus.ScopeInfoEnabled = false;
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            })
            : null;
        builder.AddWorkFleetMetrics("workfleet-worker", [WorkerMetrics.MeterName], scrape);
    }

    private static WorkerRuntime Runtime(IServiceProvider services, WorkerOptions options)
    {
        // One runtime per AddWorkFleetWorker call, shared by its endpoint and heartbeat publisher.
        var runtimes = services.GetRequiredService<WorkerRuntimes>();
        return runtimes.GetOrAdd(options, o =>
        {
            var registry = services.GetRequiredService<JobHandlerRegistry>();
            WorkerJobTypes.ValidateBatching(registry, o);
            var availableMemoryMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkerJobTypes));
            var jobTypes = WorkerJobTypes.Resolve(registry, o, availableMemoryMb, logger);
            WorkerJobTypes.AdviseBatchCapacity(o, logger);
            var clock = services.GetRequiredService<TimeProvider>();
            return new WorkerRuntime(o, jobTypes, clock.GetUtcNow(), clock, services.GetRequiredService<WorkerMetrics>());
        });
    }

    /// <summary>Marks the Prometheus reader as added: several workers of one process share it.</summary>
    private sealed class WorkerScrapeEndpoint;

    private static void Validate(WorkerOptions o)
    {
        if (!(o.Weight > 0) || double.IsInfinity(o.Weight))
        {
            throw new InvalidOperationException($"WorkFleet:Worker:Weight must be a positive number, got {o.Weight}.");
        }

        if (o.Capacity is < 1 or > 1024)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:Capacity must be within 1..1024, got {o.Capacity}.");
        }

        if (o.HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:HeartbeatInterval must be positive, got {o.HeartbeatInterval}.");
        }

        if (o.StartedReportDelay < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:StartedReportDelay must not be negative, got {o.StartedReportDelay}.");
        }

        if (o.DrainTimeout < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:DrainTimeout must not be negative, got {o.DrainTimeout}.");
        }

        if (o.EndpointRecoveryTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:EndpointRecoveryTimeout must be positive, got {o.EndpointRecoveryTimeout}.");
        }

        if (o.DefaultTaskTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:DefaultTaskTimeout must be positive, got {o.DefaultTaskTimeout}.");
        }

        if (o.MaxResultBytes <= 0)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:MaxResultBytes must be positive, got {o.MaxResultBytes}.");
        }

        if (o.MaxResultsPerMessage is < 1 or > ResultSender.MaxItems)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:MaxResultsPerMessage must be within 1..{ResultSender.MaxItems}, got {o.MaxResultsPerMessage}.");
        }

        foreach (var (jobType, batching) in o.Batching)
        {
            var setting = $"WorkFleet:Worker:Batching:{jobType}";
            if (batching is null)
            {
                throw new InvalidOperationException($"{setting} is empty; set MaxBatchSize (and optionally MaxDelay).");
            }

            if (batching.MaxBatchSize < 1 || batching.MaxBatchSize > o.Capacity)
            {
                throw new InvalidOperationException(
                    $"{setting}:MaxBatchSize must be within 1..{o.Capacity} (WorkFleet:Worker:Capacity: the worker never holds more tasks than that, so a larger batch could never fill), got {batching.MaxBatchSize}.");
            }

            if (batching.MaxDelay < TimeSpan.Zero || batching.MaxDelay > TimeSpan.FromSeconds(1))
            {
                throw new InvalidOperationException($"{setting}:MaxDelay must be within 0..1 s, got {batching.MaxDelay}.");
            }

            if (batching.MaxConcurrentBatches < 1 || batching.MaxConcurrentBatches > o.Capacity)
            {
                throw new InvalidOperationException(
                    $"{setting}:MaxConcurrentBatches must be within 1..{o.Capacity} (WorkFleet:Worker:Capacity), got {batching.MaxConcurrentBatches}.");
            }
        }

        if (o.WorkerId is { } id && (id.Length > 200 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
        {
            throw new InvalidOperationException($"WorkFleet:Worker:WorkerId '{id}' may only contain letters, digits, '-', '_' and '.' (max 200).");
        }
    }
}
