using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dashboard.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The dashboard's request pipeline: host filtering, authentication, rate limiting, authorization.</summary>
public static class DashboardMiddleware
{
    /// <summary>
    /// Adds, in this order: host filtering (<c>WorkFleet:Dashboard:AllowedHosts</c>; <c>/healthz</c> answers any host so
    /// probes that send a pod IP work), API key authentication, the rate limiter (per key, or per remote IP without a
    /// valid key, so wrong guesses count too) and authorization. Call before <c>MapWorkFleetDashboard</c>.
    /// </summary>
    public static IApplicationBuilder UseWorkFleetDashboard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<DashboardOptions>();
        var hosts = DashboardHostFiltering.Monitor(options);
        app.UseWhen(context => !context.Request.Path.Equals(DashboardEndpoints.HealthPath, StringComparison.OrdinalIgnoreCase), filtered => filtered.UseMiddleware<HostFilteringMiddleware>(hosts));
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
