using System.Diagnostics;

namespace WorkFleet.Testing;

/// <summary>
/// Runs one of the repository's executables (built next to the test assembly by its project reference) as a
/// separate process, as a user would, and collects what it printed.
/// </summary>
public static class AppProcess
{
    /// <summary>
    /// Runs <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c> with extra environment variables;
    /// returns exit code and stdout/stderr, or throws a <see cref="TimeoutException"/> (the process killed) after
    /// <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string assembly, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileNameWithoutExtension(assembly)} {string.Join(' ', arguments)} did not finish within {timeout}; stderr: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
