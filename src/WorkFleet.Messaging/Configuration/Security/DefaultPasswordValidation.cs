using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WorkFleet.Messaging.Configuration.Security;

/// <summary>
/// Refuses the start of a host that would connect to RabbitMQ or PostgreSQL with an empty or known default password
/// (validated on start, before any hosted service connects), naming the setting and how to set a real one. With
/// <see cref="SecurityOptions.AllowDefaultPasswords"/> it logs a warning instead. Roles register what they connect
/// with as <see cref="GuardedPassword"/> services; the in-memory transport and SQLite register nothing to check.
/// </summary>
public sealed class DefaultPasswordValidation(IEnumerable<GuardedPassword> passwords, ILogger<DefaultPasswordValidation> logger) : IValidateOptions<SecurityOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = passwords.Where(p => p.IsKnownDefault).DistinctBy(p => p.Setting).ToList();
        if (defaults.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.AllowDefaultPasswords)
        {
            foreach (var password in defaults)
            {
                logger.LogWarning("{Setting} is empty or a known default password, allowed only because WorkFleet:Security:AllowDefaultPasswords is true: never run like this outside tests", password.Setting);
            }

            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(defaults.Select(p =>
            $"{p.Setting} is empty or a known default password ({string.Join(", ", DefaultPasswords.Known)}), which anyone can guess; refusing to start. " +
            $"Set a real one: {p.HowToSet}. (Tests against throwaway servers may set WorkFleet:Security:AllowDefaultPasswords=true.)"));
    }
}
