using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn.Diagnostics;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Consumers;
using WorkFleet.Worker.Execution;
using WorkFleet.Worker.Hosting;
using WorkFleet.Messaging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The worker role's one entry point.</summary>
public static class WorkerHostBuilderExtensions
{
    /// <summary>
    /// Adds one worker (its queue, heartbeat and the built-in job handlers) configured from
    /// <c>WorkFleet:Worker</c> and then <paramref name="configure"/>. Call it several times to host several
    /// workers in one process (the embedded demo does). Invalid settings throw here, naming the setting.
    /// </summary>
    public static IHostApplicationBuilder AddWorkFleetWorker(this IHostApplicationBuilder builder, Action<WorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new WorkerOptions();
        builder.Configuration.GetSection(WorkerOptions.SectionName).Bind(options);
        configure?.Invoke(options);
        Validate(options);

        var services = builder.Services;
        services.AddBuiltInJobs();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, FlakyJobHandler>());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(o.ShutdownTimeout.Ticks, (options.DrainTimeout + TimeSpan.FromSeconds(5)).Ticks)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TaskExecutor>();
        services.TryAddSingleton<WorkerRuntimes>();
        services.AddSingleton<IEndpointContributor>(sp =>
        {
            var runtime = Runtime(sp, options);
            return new WorkerEndpoints(runtime, ActivatorUtilities.CreateInstance<ExecuteTaskConsumer>(sp, runtime));
        });
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<HeartbeatPublisher>(sp, Runtime(sp, options)));
        builder.AddWorkFleetBus();
        return builder;
    }

    private static WorkerRuntime Runtime(IServiceProvider services, WorkerOptions options)
    {
        // One runtime per AddWorkFleetWorker call, shared by its endpoint and heartbeat publisher.
        var runtimes = services.GetRequiredService<WorkerRuntimes>();
        return runtimes.GetOrAdd(options, o =>
        {
            var registry = services.GetRequiredService<JobHandlerRegistry>();
            var jobTypes = o.JobTypes.Count == 0 ? [.. registry.JobTypes] : o.JobTypes;
            var unknown = jobTypes.Where(t => !registry.TryGet(t, out _)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException(
                    $"WorkFleet:Worker:JobTypes names job types with no registered handler: {string.Join(", ", unknown)}; registered: {string.Join(", ", registry.JobTypes)}.");
            }

            return new WorkerRuntime(o, jobTypes, services.GetRequiredService<TimeProvider>().GetUtcNow());
        });
    }

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

        if (o.DrainTimeout < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:DrainTimeout must not be negative, got {o.DrainTimeout}.");
        }

        if (o.DefaultTaskTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Worker:DefaultTaskTimeout must be positive, got {o.DefaultTaskTimeout}.");
        }

        if (o.WorkerId is { } id && (id.Length > 200 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
        {
            throw new InvalidOperationException($"WorkFleet:Worker:WorkerId '{id}' may only contain letters, digits, '-', '_' and '.' (max 200).");
        }
    }
}
