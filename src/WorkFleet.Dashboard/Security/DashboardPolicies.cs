using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Security;

/// <summary>The authentication scheme and the authorization policies of the dashboard and HTTP API, one policy per role.</summary>
public static class DashboardPolicies
{
    /// <summary>The API key authentication scheme.</summary>
    public const string Scheme = "WorkFleetApiKey";

    /// <summary>GET endpoints and <c>/metrics</c>: any key.</summary>
    public const string Read = "workfleet.read";

    /// <summary>Endpoints that submit work: a submit or admin key.</summary>
    public const string Submit = "workfleet.submit";

    /// <summary>Administrative endpoints: an admin key.</summary>
    public const string Admin = "workfleet.admin";

    /// <summary>The role claim values a key of <paramref name="role"/> carries: its role and every role below it.</summary>
    public static IEnumerable<string> ImpliedRoles(ApiKeyRole role) =>
        Enum.GetValues<ApiKeyRole>().Where(r => r <= role).Select(RoleName);

    /// <summary>A role's claim value: <c>read</c>, <c>submit</c> or <c>admin</c>.</summary>
    public static string RoleName(ApiKeyRole role) => role switch
    {
        ApiKeyRole.Read => "read",
        ApiKeyRole.Submit => "submit",
        ApiKeyRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role."),
    };

    /// <summary>The role a policy of this class requires, for messages; null for another policy.</summary>
    public static string? RoleOf(string? policy) => policy switch
    {
        Read => "read",
        Submit => "submit",
        Admin => "admin",
        _ => null,
    };
}
