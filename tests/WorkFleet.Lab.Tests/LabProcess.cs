namespace WorkFleet.Lab.Tests;

/// <summary>Runs the built <c>workfleet-lab</c> lab executable as a separate process, as a user would.</summary>
public static class LabProcess
{
    /// <summary>Runs it with <paramref name="arguments"/>; returns exit code and stdout/stderr.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] arguments) =>
        RunAsync(timeout, new Dictionary<string, string>(), arguments);

    /// <summary>Runs it with <paramref name="arguments"/> and extra environment variables; returns exit code and stdout/stderr.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        AppProcess.RunAsync("workfleet-lab.dll", timeout, environment, arguments);
}
