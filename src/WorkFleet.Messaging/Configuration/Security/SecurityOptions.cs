namespace WorkFleet.Messaging.Configuration.Security;

/// <summary>Start-up security checks. Section <c>WorkFleet:Security</c>.</summary>
public sealed class SecurityOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Security";

    /// <summary>
    /// Start even when a RabbitMQ or PostgreSQL password is empty or a known default (<see cref="DefaultPasswords.Known"/>),
    /// with a warning. For tests against throwaway servers only. Default false: such a host refuses to start.
    /// </summary>
    public bool AllowDefaultPasswords { get; set; }
}
