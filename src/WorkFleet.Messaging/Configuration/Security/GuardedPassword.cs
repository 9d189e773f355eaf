namespace WorkFleet.Messaging.Configuration.Security;

/// <summary>A password a host connects with, checked at start by <see cref="DefaultPasswordValidation"/>.</summary>
/// <param name="Setting">The setting it comes from, e.g. <c>WorkFleet:Transport:RabbitMq:Password</c>.</param>
/// <param name="Password">The password, or <c>null</c> when the host does not use this server (nothing to check).</param>
/// <param name="HowToSet">How to give a real one, for the error message.</param>
public sealed record GuardedPassword(string Setting, string? Password, string HowToSet)
{
    /// <summary>Whether the host uses this password and it is empty or a known default.</summary>
    public bool IsKnownDefault => Password is not null && DefaultPasswords.IsKnownDefault(Password);
}
