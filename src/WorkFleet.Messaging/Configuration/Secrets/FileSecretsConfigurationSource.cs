using System.Collections;
using Microsoft.Extensions.Configuration;
using WorkFleet.Shared;

namespace WorkFleet.Messaging.Configuration.Secrets;

/// <summary>
/// Configuration values read from files, as the official Docker images take secrets: an environment variable named
/// like a configuration key (<c>__</c> between sections) with the suffix <c>_FILE</c> names a file whose content is
/// the value of that key, e.g. <c>WorkFleet__Transport__RabbitMq__Password_FILE=/run/secrets/rabbitmq-password</c>
/// sets <c>WorkFleet:Transport:RabbitMq:Password</c>. Trailing line breaks are trimmed. Added after the other
/// sources, a file overrides the same key from <c>appsettings.json</c> or a plain environment variable.
/// </summary>
public sealed class FileSecretsConfigurationSource : IConfigurationSource
{
    /// <summary>The suffix that marks a variable naming a secret file.</summary>
    public const string Suffix = SecretFiles.Suffix;

    /// <summary>The environment variables to read; <c>null</c> (the default) reads the process's.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new FileSecretsConfigurationProvider(Environment ?? ProcessEnvironment());

    private static Dictionary<string, string?> ProcessEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
