using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>Requests built from the app's own endpoint list, so a newly mapped endpoint is tested without being named.</summary>
public static partial class HttpEndpointRequests
{
    /// <summary>A request for <paramref name="endpoint"/>: its first HTTP method, each route parameter filled with a fresh UUID.</summary>
    public static HttpRequestMessage For(RouteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is [var first, ..] ? first : "GET";
        var path = Parameter().Replace(endpoint.RoutePattern.RawText ?? "/", _ => Guid.NewGuid().ToString());
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.TrimStart('/'), UriKind.Relative));
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>Whether <paramref name="endpoint"/> is explicitly open (<c>AllowAnonymous</c>).</summary>
    public static bool IsOpen(RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    /// <summary>The authorization policies <paramref name="endpoint"/> names.</summary>
    public static IReadOnlyList<string> Policies(RouteEndpoint endpoint) =>
        [.. endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>()];

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
