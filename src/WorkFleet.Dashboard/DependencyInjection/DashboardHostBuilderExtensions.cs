using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dashboard.Metrics;
using WorkFleet.Dashboard.Security;
using WorkFleet.Dashboard.Status;
using WorkFleet.Dispatcher.Observability;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The dispatcher's HTTP side: one call to add it, one to map it (see <c>DashboardEndpoints</c>).</summary>
public static class DashboardHostBuilderExtensions
{
    /// <summary>
    /// Adds the dashboard, JSON API, <c>/metrics</c> and <c>/healthz</c> to a dispatcher's web host, listening on
    /// <c>WorkFleet:Dashboard:Urls</c>. Call after <c>AddWorkFleetDispatcher</c>; map the endpoints with
    /// <c>app.MapWorkFleetDashboard()</c> after <c>app.UseWorkFleetDashboard()</c>. Every endpoint but the page shell and
    /// <c>/healthz</c> needs an API key (see <see cref="DashboardOptions.ApiKeys"/>). A bad setting throws here, naming it.
    /// </summary>
    public static WebApplicationBuilder AddWorkFleetDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        var urls = ParseUrls(options.Urls);
        if (options.TaskCountsMaxAge < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{DashboardOptions.SectionName}:TaskCountsMaxAge must not be negative, got {options.TaskCountsMaxAge}.");
        }

        if (options.RateLimitPermits > 0 && options.RateLimitWindow <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{DashboardOptions.SectionName}:RateLimitWindow must be positive, got {options.RateLimitWindow}.");
        }

        if (options.ResultLimitBytes < 0)
        {
            throw new InvalidOperationException($"{DashboardOptions.SectionName}:ResultLimitBytes must not be negative, got {options.ResultLimitBytes}.");
        }

        builder.WebHost.UseUrls([.. urls]);
        builder.Services.AddSingleton(options);
        AddSecurity(builder.Services, options);
        builder.Services.AddSingleton<TaskCounts>();
        builder.Services.AddSingleton<TaskLookup>();
        builder.Services.AddSingleton<StatusReport>();
        builder.AddWorkFleetHttpApi();
        builder.AddWorkFleetDashboardMetrics();
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        return builder;
    }

    /// <summary>
    /// The dispatcher's meter and the gauges read at collection time, for the OpenTelemetry Prometheus exporter that
    /// <c>MapWorkFleetDashboard</c> maps on <c>/metrics</c> (and OTLP when configured, see <c>WorkFleet:Telemetry</c>).
    /// Called by <see cref="AddWorkFleetDashboard"/>; needs the dispatcher's services.
    /// </summary>
    public static IHostApplicationBuilder AddWorkFleetDashboardMetrics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<FleetGauges>();
        builder.Services.AddSingleton<WorkerGauges>();
        builder.Services.AddSingleton<AutoscalerGauges>();
        // Resolved with the meter provider, so that every instrument exists before the first scrape.
        builder.AddWorkFleetMetrics("workfleet-dispatcher", [DispatcherMetrics.MeterName], metrics => metrics
            .AddInstrumentation(sp => sp.GetRequiredService<DispatcherMetrics>())
            .AddInstrumentation(sp => sp.GetRequiredService<FleetGauges>())
            .AddInstrumentation(sp => sp.GetRequiredService<WorkerGauges>())
            .AddInstrumentation(sp => sp.GetRequiredService<AutoscalerGauges>())
            .AddPrometheusExporter(prometheus =>
            {
                // The documented names carry no scope labels, and gauges are read at each scrape, not 300 ms before.
                prometheus.ScopeInfoEnabled = false;
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return builder;
    }

    private static void AddSecurity(IServiceCollection services, DashboardOptions options)
    {
        if (!Enum.IsDefined(options.Authentication))
        {
            throw new InvalidOperationException($"{DashboardOptions.SectionName}:Authentication must be ApiKey or None, got {options.Authentication}.");
        }

        var ring = ApiKeyRing.FromOptions(options.ApiKeys);
        if (options.Authentication == DashboardAuthentication.ApiKey && ring.Keys.Count == 0)
        {
            var generated = ApiKeyRing.NewKey();
            ring = new ApiKeyRing([new ApiKey("generated", ApiKeyRole.Admin, ApiKeyRing.Digest(generated))]);
            services.AddSingleton(new GeneratedApiKey(generated));
        }

        services.AddSingleton(ring);
        services.AddHostedService<DashboardAccessAnnouncement>();
        services.AddProblemDetails();
        services.AddAuthentication(DashboardPolicies.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(DashboardPolicies.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardPolicies.Read, p => p.RequireAuthenticatedUser().RequireRole(DashboardPolicies.RoleName(ApiKeyRole.Read)))
            .AddPolicy(DashboardPolicies.Submit, p => p.RequireAuthenticatedUser().RequireRole(DashboardPolicies.RoleName(ApiKeyRole.Submit)))
            .AddPolicy(DashboardPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(DashboardPolicies.RoleName(ApiKeyRole.Admin)))
            // An endpoint mapped without a policy (or an unknown path) still needs a read key: none is open by omission.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(DashboardPolicies.Scheme).RequireAuthenticatedUser().RequireRole(DashboardPolicies.RoleName(ApiKeyRole.Read)).Build());
        services.AddRateLimiter(limiter => DashboardRateLimiting.Configure(limiter, options));
    }

    /// <summary>The listen URLs of <paramref name="setting"/>: absolute http(s) URLs separated by ';'.</summary>
    /// <exception cref="InvalidOperationException">One is not an absolute http or https URL; the message names the setting.</exception>
    public static IReadOnlyList<string> ParseUrls(string? setting)
    {
        var urls = (setting ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (urls.Length == 0)
        {
            throw new InvalidOperationException($"{DashboardOptions.SectionName}:Urls is empty; give at least one URL such as http://127.0.0.1:8080.");
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"{DashboardOptions.SectionName}:Urls: '{url}' is not an absolute http or https URL (e.g. http://127.0.0.1:8080).");
            }
        }

        return urls;
    }
}
