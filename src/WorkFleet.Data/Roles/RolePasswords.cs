using WorkFleet.Shared;

namespace WorkFleet.Data.Roles;

/// <summary>Passwords that <see cref="DatabaseRoles.ProvisionAsync"/> gives the fleet's login roles.</summary>
/// <param name="App">Password of <c>workfleet_app</c>.</param>
/// <param name="Read">Password of <c>workfleet_read</c>.</param>
/// <param name="Owner">Password of <c>workfleet_owner</c>, used only when provisioning creates that role.</param>
public sealed record RolePasswords(string App, string Read, string? Owner = null)
{
    /// <summary>Environment variable holding the app role's password (or <c>…_FILE</c>: a file holding it).</summary>
    public const string AppVariable = "WORKFLEET_POSTGRES_APP_PASSWORD";

    /// <summary>Environment variable holding the read role's password (or <c>…_FILE</c>: a file holding it).</summary>
    public const string ReadVariable = "WORKFLEET_POSTGRES_READ_PASSWORD";

    /// <summary>
    /// The passwords from <see cref="AppVariable"/> and <see cref="ReadVariable"/> (or their <c>_FILE</c>
    /// variants), or null when neither is set: then the roles are someone else's job.
    /// </summary>
    /// <exception cref="InvalidOperationException">Only one of the two is set, or a variable and its _FILE both are.</exception>
    public static RolePasswords? FromEnvironment()
    {
        var app = SecretFiles.FromEnvironment(AppVariable);
        var read = SecretFiles.FromEnvironment(ReadVariable);
        return (app, read) switch
        {
            (null, null) => null,
            ({ } a, { } r) => new RolePasswords(a, r),
            _ => throw new InvalidOperationException($"Set both {AppVariable} and {ReadVariable} (or their _FILE variants), or neither."),
        };
    }
}
