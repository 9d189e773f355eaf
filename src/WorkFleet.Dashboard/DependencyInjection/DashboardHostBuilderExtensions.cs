using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dashboard.Status;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The dispatcher's HTTP side: one call to add it, one to map it (see <c>DashboardEndpoints</c>).</summary>
public static class DashboardHostBuilderExtensions
{
    /// <summary>
    /// Adds the dashboard, JSON API, <c>/metrics</c> and <c>/healthz</c> to a dispatcher's web host, listening on
    /// <c>WorkFleet:Dashboard:Urls</c>. Call after <c>AddWorkFleetDispatcher</c>; map the endpoints with
    /// <c>app.MapWorkFleetDashboard()</c>. A bad URL throws here, naming the setting.
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

        builder.WebHost.UseUrls([.. urls]);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<TaskCounts>();
        builder.Services.AddSingleton<TaskLookup>();
        builder.Services.AddSingleton<StatusReport>();
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        return builder;
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
