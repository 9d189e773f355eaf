using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using WorkFleet.Client;
using WorkFleet.Client.Configuration;
using WorkFleet.Messaging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The producer role's one entry point.</summary>
public static class ClientHostBuilderExtensions
{
    /// <summary>Adds <see cref="WorkFleetClient"/>, configured from <c>WorkFleet:Client</c> and <c>WorkFleet:Transport</c>.</summary>
    public static IHostApplicationBuilder AddWorkFleetClient(this IHostApplicationBuilder builder, Action<ClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(ClientOptions.SectionName).Get<ClientOptions>() ?? new ClientOptions();
        configure?.Invoke(options);
        if (options.RememberedOutcomes < 1)
        {
            throw new InvalidOperationException($"WorkFleet:Client:RememberedOutcomes must be at least 1, got {options.RememberedOutcomes}.");
        }

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new TaskOutcomeBoard(options.RememberedOutcomes));
        services.TryAddSingleton<TaskFinishedConsumer>();
        services.TryAddSingleton<ClientReplyQueue>();
        services.TryAddSingleton<WorkFleetClient>();
        if (options.ListenForResults)
        {
            services.AddSingleton<IEndpointContributor, ClientEndpoints>();
        }

        builder.AddWorkFleetBus();
        builder.AddWorkFleetTracing("workfleet-client");
        return builder;
    }
}
