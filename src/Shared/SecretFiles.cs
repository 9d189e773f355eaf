namespace WorkFleet.Shared;

/// <summary>
/// Secrets given as files, as the official Docker images take them: a variable <c>NAME_FILE</c> names a file holding
/// the value of <c>NAME</c> (a Docker or Kubernetes secret). One source file, compiled into each project that reads
/// such secrets (Messaging, Data, Cli), so that every reader trims and fails the same way.
/// </summary>
internal static class SecretFiles
{
    /// <summary>The suffix of a variable that names a secret file.</summary>
    public const string Suffix = "_FILE";

    /// <summary>
    /// The secret in the file <paramref name="path"/>, named by the variable <paramref name="variable"/>, its trailing
    /// line break trimmed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The path is empty or the file cannot be read; the message names the variable and the path.</exception>
    public static string Read(string variable, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"Environment variable {variable} is empty; it must name the file that holds the secret.");
        }

        try
        {
            return File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Environment variable {variable} names the secret file '{path}', which cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The value of the environment variable <paramref name="name"/>, or the file its <c>_FILE</c> variant names; null
    /// when neither is set or the value is empty.
    /// </summary>
    /// <exception cref="InvalidOperationException">Both are set, or the file cannot be read.</exception>
    public static string? FromEnvironment(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        var file = Environment.GetEnvironmentVariable(name + Suffix);
        if (!string.IsNullOrEmpty(value) && !string.IsNullOrEmpty(file))
        {
            throw new InvalidOperationException($"Set {name} or {name}{Suffix}, not both.");
        }

        var secret = string.IsNullOrEmpty(file) ? value : Read(name + Suffix, file);
        return string.IsNullOrEmpty(secret) ? null : secret;
    }
}
