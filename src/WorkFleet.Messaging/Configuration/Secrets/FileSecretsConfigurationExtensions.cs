using WorkFleet.Messaging.Configuration.Secrets;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds the <c>…_FILE</c> secrets source (<see cref="FileSecretsConfigurationSource"/>).</summary>
public static class FileSecretsConfigurationExtensions
{
    /// <summary>
    /// Adds configuration values read from the files that <c>…_FILE</c> environment variables name, after the sources
    /// already added (so a file wins over the same key elsewhere). Adds it once however often it is called; every
    /// WorkFleet host calls it (the bus registration and the CLI). Throws when a named file cannot be read.
    /// </summary>
    public static IConfigurationBuilder AddWorkFleetFileSecrets(this IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Sources.Any(s => s is FileSecretsConfigurationSource) ? configuration : configuration.Add(new FileSecretsConfigurationSource());
    }
}
