using Microsoft.Playwright;

namespace WorkFleet.IntegrationTests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright through its executable path: no browser is downloaded (none can be here).
/// <c>./test.sh</c> installs it (infra/scripts/ensure-chromium.sh); <c>WORKFLEET_TEST_CHROMIUM</c> points elsewhere.
/// </summary>
public static class Chromium
{
    /// <summary>The environment variable naming the chromium executable (default <c>/usr/bin/chromium</c>).</summary>
    public const string EnvironmentVariable = "WORKFLEET_TEST_CHROMIUM";

    /// <summary>Where the test's artifacts (screenshots) go: <c>artifacts/</c> beside the test assembly.</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    /// <summary>Starts Playwright's driver and a headless chromium.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given ? given : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"No chromium at {executable}: run infra/scripts/ensure-chromium.sh (./test.sh does) or set {EnvironmentVariable}.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
