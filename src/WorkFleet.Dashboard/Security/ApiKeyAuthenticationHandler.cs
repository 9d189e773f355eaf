using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Security;

/// <summary>
/// Authenticates a request by the API key in <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>
/// against the <see cref="ApiKeyRing"/>. The principal is named after the key and carries a role claim for its role
/// and each role below it. With authentication off (<see cref="DashboardAuthentication.None"/>) every request is an
/// anonymous admin. Challenges (401) and refusals (403) answer with problem details saying what is missing.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing ring,
    DashboardOptions dashboard)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The header that carries a key besides <c>Authorization: Bearer</c>.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The claim that names the key a request was authenticated with (absent with authentication off).</summary>
    public const string KeyNameClaim = "workfleet:api-key";

    private const string BearerPrefix = "Bearer ";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (dashboard.Authentication == DashboardAuthentication.None)
        {
            return Task.FromResult(Success("anonymous", ApiKeyRole.Admin, keyName: null));
        }

        var presented = PresentedKey(Request.Headers);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(ring.Match(presented) is { } key
            ? Success(key.Name, key.Role, key.Name)
            : AuthenticateResult.Fail("The API key is not valid: no configured key matches it."));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer");
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure is { } failure
            ? $"{failure.Message} Send a valid key as 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>'."
            : $"This endpoint needs an API key{RequiredRole()}: send it as 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>'.";
        await ApiProblem.WriteAsync(Context, StatusCodes.Status401Unauthorized, "API key required", detail);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).LastOrDefault() ?? "none";
        return ApiProblem.WriteAsync(
            Context,
            StatusCodes.Status403Forbidden,
            "API key lacks the role",
            $"The API key '{Context.User.Identity?.Name}' has role {role}; this endpoint needs a key{RequiredRole()}.");
    }

    /// <summary>The key in <c>Authorization: Bearer</c>, else in <c>X-Api-Key</c>, else null.</summary>
    public static string? PresentedKey(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var authorization = headers.Authorization.ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[BearerPrefix.Length..].Trim();
        }

        var header = headers[ApiKeyHeader].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    private AuthenticateResult Success(string name, ApiKeyRole role, string? keyName)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(DashboardPolicies.ImpliedRoles(role).Select(r => new Claim(ClaimTypes.Role, r)));
        if (keyName is not null)
        {
            claims.Add(new Claim(KeyNameClaim, keyName));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    /// <summary>" with role X" for the endpoint's role policy, or "".</summary>
    private string RequiredRole()
    {
        var roles = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => DashboardPolicies.RoleOf(a.Policy)).OfType<string>().ToList() ?? [];
        return roles.Count > 0 ? $" with role {roles[^1]}" : " with role read";
    }
}
