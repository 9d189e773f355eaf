using System.CommandLine;
using System.Net.Http.Headers;

namespace WorkFleet.Cli.Http;

/// <summary>
/// The API key a command sends to the dispatcher's HTTP API: <c>--api-key</c>, else the <c>WORKFLEET_API_KEY</c>
/// environment variable (preferred: an option shows in the process list), as <c>Authorization: Bearer</c>.
/// </summary>
public static class ApiKeyOption
{
    /// <summary>The environment variable read when <c>--api-key</c> is not given.</summary>
    public const string EnvironmentVariable = "WORKFLEET_API_KEY";

    /// <summary>A new <c>--api-key</c> option.</summary>
    public static Option<string?> Create() => new("--api-key")
    {
        Description = $"API key for the dispatcher's HTTP API (default: ${EnvironmentVariable}; the dispatcher logs a generated one at start when none is configured)",
    };

    /// <summary>The key from <paramref name="given"/> or the environment; null when neither has one.</summary>
    public static string? Resolve(string? given) =>
        !string.IsNullOrWhiteSpace(given) ? given.Trim()
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment.Trim()
        : null;

    /// <summary>Sends <paramref name="key"/> with every request of <paramref name="http"/>, when there is one.</summary>
    public static void Apply(HttpClient http, string? key)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }
}
