namespace WorkFleet.Messaging.Configuration.Security;

/// <summary>The passwords everyone knows: the images' and this project's former defaults.</summary>
public static class DefaultPasswords
{
    /// <summary>Known default passwords (compared ignoring case); an empty password counts as one too.</summary>
    public static IReadOnlyList<string> Known { get; } = ["workfleet", "guest", "postgres"];

    /// <summary>Whether <paramref name="password"/> is empty or a known default.</summary>
    public static bool IsKnownDefault(string? password) =>
        string.IsNullOrWhiteSpace(password) || Known.Contains(password.Trim(), StringComparer.OrdinalIgnoreCase);
}
