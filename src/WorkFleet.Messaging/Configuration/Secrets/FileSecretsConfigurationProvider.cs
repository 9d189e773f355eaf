using Microsoft.Extensions.Configuration;
using WorkFleet.Shared;

namespace WorkFleet.Messaging.Configuration.Secrets;

/// <summary>Reads every secret file named by a <c>…_FILE</c> variable once, when configuration is built.</summary>
/// <param name="environment">The environment variables.</param>
public sealed class FileSecretsConfigurationProvider(IReadOnlyDictionary<string, string?> environment) : ConfigurationProvider
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A named file is missing or unreadable; the message names the variable and the path.</exception>
    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, path) in environment)
        {
            if (!name.EndsWith(FileSecretsConfigurationSource.Suffix, StringComparison.Ordinal) || !name.Contains("__", StringComparison.Ordinal))
            {
                continue;
            }

            var key = name[..^FileSecretsConfigurationSource.Suffix.Length].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            data[key] = SecretFiles.Read(name, path);
        }

        Data = data;
    }
}
