using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Trace;
using WorkFleet.Balancing;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Balancing.Strategies;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Configuration;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Consumers;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Hosting;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Dispatcher.Trust;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Hosting;
using WorkFleet.Messaging.Security;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The dispatcher role's one entry point.</summary>
public static class DispatcherHostBuilderExtensions
{
    /// <summary>
    /// Adds the dispatcher: submit/results/heartbeat consumers, the slot allocator, the store and its
    /// start-up loading, configured from <c>WorkFleet:Dispatcher</c>, <c>WorkFleet:Database</c> and
    /// <c>WorkFleet:Transport</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWorkFleetDispatcher(this IHostApplicationBuilder builder, Action<DispatcherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.LivenessTimeout > TimeSpan.Zero, "WorkFleet:Dispatcher:LivenessTimeout must be positive.")
            .Validate(o => o.LostTimeout >= o.LivenessTimeout, "WorkFleet:Dispatcher:LostTimeout must be at least LivenessTimeout.")
            .Validate(o => o.MaxAttempts is >= 1 and <= 100, "WorkFleet:Dispatcher:MaxAttempts must be within 1..100.")
            .Validate(o => o.RetryBaseDelay >= TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay, "WorkFleet:Dispatcher:RetryBaseDelay must be >= 0 and RetryMaxDelay >= RetryBaseDelay.")
            .Validate(o => o.UnsupportedJobGracePeriod >= TimeSpan.Zero, "WorkFleet:Dispatcher:UnsupportedJobGracePeriod must not be negative.")
            .Validate(o => o.SubmitConcurrency is > 0 and <= 65535, "WorkFleet:Dispatcher:SubmitConcurrency must be within 1..65535.")
            .Validate(o => o.RecordWaitingAfter >= TimeSpan.Zero && o.RecordWaitingAfter <= TimeSpan.FromMinutes(1), "WorkFleet:Dispatcher:RecordWaitingAfter must be within 0..1 minute.")
            .Validate(o => o.HeartbeatFlushInterval > TimeSpan.Zero, "WorkFleet:Dispatcher:HeartbeatFlushInterval must be positive.")
            .Validate(o => o.EndpointRecoveryTimeout > TimeSpan.Zero, "WorkFleet:Dispatcher:EndpointRecoveryTimeout must be positive.")
            .Validate(o => o.PeerHeartbeatInterval > TimeSpan.Zero && o.PeerTimeout > o.PeerHeartbeatInterval, "WorkFleet:Dispatcher:PeerHeartbeatInterval must be positive and PeerTimeout longer than it.")
            .Validate(o => o.StoreWriters is >= 1 and <= 64, "WorkFleet:Dispatcher:StoreWriters must be within 1..64.")
            .Validate(o => o.MaxAttemptsPerMessage is >= 1 and <= WorkerSends.MaxTasksPerMessage, $"WorkFleet:Dispatcher:MaxAttemptsPerMessage must be within 1..{WorkerSends.MaxTasksPerMessage}.")
            .Validate(o => o.MaxPayloadBytes > 0, "WorkFleet:Dispatcher:MaxPayloadBytes must be positive.")
            .Validate(o => o.MaxSubmitBytes > o.MaxPayloadBytes && o.MaxSubmitBytes <= 512 * 1024 * 1024, "WorkFleet:Dispatcher:MaxSubmitBytes must be greater than MaxPayloadBytes and at most 536870912 (512 MiB).")
            .Validate(o => StrategyCatalog.Names.Contains(o.Strategy) || o.Strategy == CostAwarePlacement.StrategyName, $"WorkFleet:Dispatcher:Strategy must be one of: {string.Join(", ", StrategyCatalog.Names)}, {CostAwarePlacement.StrategyName}.")
            .Validate(o => double.IsFinite(o.CostAgingFactor) && o.CostAgingFactor > 0, "WorkFleet:Dispatcher:CostAgingFactor must be a positive number.")
            .Validate(o => o.PrefetchPerSlot is >= 0 and <= ShortTaskPrefetch.MaxPerSlot, $"WorkFleet:Dispatcher:PrefetchPerSlot must be within 0..{ShortTaskPrefetch.MaxPerSlot}.")
            .Validate(o => o.PrefetchMaxTaskDuration >= TimeSpan.Zero, "WorkFleet:Dispatcher:PrefetchMaxTaskDuration must not be negative.")
            .Validate(o => o.CostMaxHeadStart >= TimeSpan.Zero, "WorkFleet:Dispatcher:CostMaxHeadStart must not be negative.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.DispatcherId), "WorkFleet:Dispatcher:DispatcherId must not be empty.")
            .ValidateOnStart();

        services.AddOptions<SenderTrustOptions>().BindConfiguration(SenderTrustOptions.SectionName)
            .Validate(o => o.MaxClockSkew > TimeSpan.Zero, "WorkFleet:Dispatcher:Trust:MaxClockSkew must be positive.")
            .Validate(o => o.MaxCapacity > 0, "WorkFleet:Dispatcher:Trust:MaxCapacity must be positive.")
            .Validate(o => o.MaxWeight > 0, "WorkFleet:Dispatcher:Trust:MaxWeight must be positive.")
            .Validate(o => o.MaxAnnouncedNames > 0, "WorkFleet:Dispatcher:Trust:MaxAnnouncedNames must be positive.")
            .ValidateOnStart();
        services.AddSingleton<WorkerIdentities>();
        services.AddSingleton<SenderTrust>();
        services.AddOptions<AutoscalerOptions>().BindConfiguration(AutoscalerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AutoscalerOptions>, AutoscalerOptionsValidation>();
        services.AddSingleton<AutoscalerState>();
        services.AddSingleton<AutoscalerLease>();
        services.AddSingleton<IDrainAnnouncer, BusDrainAnnouncer>();
        services.AddSingleton<Func<Autoscaler>>(sp => () =>
        {
            var settings = sp.GetRequiredService<IOptions<AutoscalerOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            return new Autoscaler(
                settings,
                AutoscalerFactory.CreatePolicy(settings),
                AutoscalerFactory.CreateForecaster(settings),
                AutoscalerFactory.CreateExecutor(settings, loggers),
                sp.GetRequiredService<SlotAllocator>(),
                sp.GetRequiredService<TaskRates>(),
                sp.GetRequiredService<FleetDepartures>(),
                sp.GetRequiredService<IDrainAnnouncer>(),
                sp.GetRequiredService<AutoscalerState>(),
                sp.GetRequiredService<TimeProvider>(),
                loggers.CreateLogger<Autoscaler>());
        });

        services.AddWorkFleetData();
        services.AddWorkFleetDefaultPasswordCheck();
        services.AddSingleton(sp => DatabasePasswordGuard.Guard(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, Environment.GetEnvironmentVariable));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<DispatcherMetrics>();
        services.AddSingleton<TaskRates>();
        services.AddSingleton<JobCostEstimates>();
        services.AddSingleton<SlotAllocator>();
        services.AddSingleton<DispatcherReadiness>();
        services.AddSingleton<SubmitTaskValidator>();
        services.AddSingleton(sp => new GroupCommitWriter(
            sp.GetRequiredService<IDbContextFactory<WorkFleetDbContext>>(),
            sp.GetRequiredService<ILogger<GroupCommitWriter>>(),
            writers: sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Sqlite ? 1 : sp.GetRequiredService<IOptions<DispatcherOptions>>().Value.StoreWriters));
        services.AddSingleton<TaskStore>();
        services.AddSingleton<JobCostHistory>();
        services.AddSingleton<WorkerStore>();
        services.AddSingleton<HeartbeatWriter>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton(sp => new OutcomeBatchQueues(sp.GetRequiredService<TransportOptions>().RabbitMq.ConfirmTimeout));
        services.AddSingleton<OutcomeReplies>();
        services.AddSingleton<TaskFinisher>();
        services.AddSingleton<TaskDispatcher>();
        services.AddSingleton<UnrecordedTasks>();
        services.AddSingleton<WorkerSends>();
        services.AddSingleton<SubmitAdmission>();
        services.AddSingleton<DeliveryFilter>();
        services.AddSingleton<FleetDepartures>();
        services.AddSingleton<PeerDispatchers>();
        services.AddSingleton<DispatcherHeartbeatConsumer>();
        services.AddSingleton<WorkerQueueJanitor>();
        services.AddSingleton<AttemptEndedConsumer>();
        services.AddSingleton<AttemptAssignedConsumer>();
        services.AddSingleton<CancelTaskConsumer>();
        services.AddSingleton<SubmitTaskConsumer>();
        services.AddSingleton<SubmitSizeFilter>();
        services.AddSingleton<TaskResultConsumer>();
        services.AddSingleton<WorkerHeartbeatConsumer>();
        services.AddSingleton<DrainWorkerConsumer>();

        // Order matters: the store is ready and the view loaded before the bus starts delivering.
        services.AddHostedService<DispatcherStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatWriter>());
        services.AddHostedService<SlotTicker>();
        services.AddHostedService<RetryScheduler>();
        services.AddHostedService<WorkerLivenessMonitor>();
        services.AddHostedService<LedgerReconciler>();
        services.AddHostedService<DispatcherHeartbeatPublisher>();
        services.AddHostedService<AutoscalerLoop>();
        services.AddHostedService(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<DispatcherOptions>>().Value;
            var watched = new WatchedQueue($"{QueueNames.Heartbeats}.{settings.DispatcherId}", $"dispatcher {settings.DispatcherId}", settings.EndpointRecoveryTimeout);
            return ActivatorUtilities.CreateInstance<ReceiveEndpointWatchdog>(sp, watched);
        });
        services.AddSingleton<IEndpointContributor, DispatcherEndpoints>();
        builder.AddWorkFleetBus(BrokerRoles.Dispatcher);
        builder.AddWorkFleetTracing("workfleet-dispatcher");
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql());
        return builder;
    }
}
