using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using WorkFleet.Dashboard.Api;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The producers' HTTP API on the dispatcher's web host (see <c>HttpApiEndpoints</c>).</summary>
public static class HttpApiHostBuilderExtensions
{
    /// <summary>
    /// Adds the HTTP API's services, configured from <c>WorkFleet:Dashboard:Api</c>, and the OpenAPI document; called by
    /// <c>AddWorkFleetDashboard</c>. A bad setting throws here, naming it.
    /// </summary>
    public static WebApplicationBuilder AddWorkFleetHttpApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(HttpApiOptions.SectionName).Get<HttpApiOptions>() ?? new HttpApiOptions();
        Validate(options);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<TaskOutcomeHub>();
        services.AddSingleton<ITaskOutcomeObserver>(sp => sp.GetRequiredService<TaskOutcomeHub>());
        services.AddSingleton<OutcomeWaiter>();
        services.AddSingleton<TaskRequestReader>();
        services.AddSingleton<TaskSubmitter>();
        services.AddSingleton<TaskEventStream>();
        services.AddHostedService<PeerOutcomePoller>();
        services.AddOpenApi();
        return builder;
    }

    private static void Validate(HttpApiOptions options)
    {
        Require(options.MaxBatchSize >= 1, "MaxBatchSize", "must be at least 1", options.MaxBatchSize);
        Require(options.MaxRequestBytes >= 1, "MaxRequestBytes", "must be positive", options.MaxRequestBytes);
        Require(options.MaxWait > TimeSpan.Zero, "MaxWait", "must be positive", options.MaxWait);
        Require(options.PredictTimeout > TimeSpan.Zero, "PredictTimeout", "must be positive", options.PredictTimeout);
        Require(options.StorePollInterval > TimeSpan.Zero, "StorePollInterval", "must be positive", options.StorePollInterval);
        Require(options.EventBufferSize >= 1, "EventBufferSize", "must be at least 1", options.EventBufferSize);
        Require(options.KeepAliveInterval > TimeSpan.Zero, "KeepAliveInterval", "must be positive", options.KeepAliveInterval);
    }

    private static void Require(bool valid, string setting, string rule, object value)
    {
        if (!valid)
        {
            throw new InvalidOperationException($"{HttpApiOptions.SectionName}:{setting} {rule}, got {value}.");
        }
    }
}
