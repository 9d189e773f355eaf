using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Security;

/// <summary>
/// The built-in rate limiter, set up for the API: a fixed window per API key, or per remote IP for requests without a
/// valid key (so wrong guesses are limited too); 429 with <c>Retry-After</c> and problem details when it is spent.
/// </summary>
internal static class DashboardRateLimiting
{
    /// <summary>Configures <paramref name="limiter"/> from <paramref name="options"/>.</summary>
    public static void Configure(RateLimiterOptions limiter, DashboardOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => options.RateLimitPermits <= 0
            ? RateLimitPartition.GetNoLimiter("off")
            : RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.RateLimitPermits,
                Window = options.RateLimitWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        limiter.OnRejected = async (rejected, _) =>
        {
            var context = rejected.HttpContext;
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.RateLimitWindow;
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ApiProblem.WriteAsync(
                context,
                StatusCodes.Status429TooManyRequests,
                "Too many requests",
                string.Create(CultureInfo.InvariantCulture, $"More than {options.RateLimitPermits} requests in {options.RateLimitWindow} ({DashboardOptions.SectionName}:RateLimitPermits); retry in {seconds} s."));
        };
    }

    /// <summary>"key:NAME" for a request authenticated with a key, else "ip:ADDRESS".</summary>
    public static string PartitionOf(HttpContext context) =>
        context.User.FindFirst(ApiKeyAuthenticationHandler.KeyNameClaim)?.Value is { } key
            ? "key:" + key
            : "ip:" + context.Connection.RemoteIpAddress;
}
