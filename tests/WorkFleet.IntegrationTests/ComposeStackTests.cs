using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// The issue's <c>docker-compose up -d --scale worker=3</c>, run end to end by
/// infra/scripts/compose-smoke.sh with locally built images: three workers register themselves
/// with unique ids and serve tasks, and the stack keeps serving after scaling down to one worker.
/// Slow (it publishes the apps and builds their images): filter it out with
/// <c>--filter Category!=Compose</c>.
/// </summary>
[Trait("Category", "Compose")]
public sealed class ComposeStackTests(ITestOutputHelper output)
{
    private const string PassLine = "[compose-smoke] PASS";
    private const int TailLines = 60;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ComposeUp_ScaleWorkerTo3_ThreeWorkersRegisterAndServe()
    {
        // Arrange: the project name carries this process's id, so the script's cleanup of stacks
        // left by killed runs leaves this one alone while the test runs.
        var root = FindRepositoryRoot();
        var script = Path.Combine(root, "infra", "scripts", "compose-smoke.sh");
        var project = string.Create(CultureInfo.InvariantCulture, $"wfsmoke-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");

        // Act
        var (exitCode, lines, timedOut) = await RunScriptAsync(root, script, project);

        // Assert
        var text = string.Join('\n', lines);
        output.WriteLine(text);
        var tail = string.Join('\n', lines.TakeLast(TailLines));
        Assert.False(timedOut, $"compose-smoke.sh did not finish within {ScriptTimeout.TotalMinutes} min; last {TailLines} lines:\n{tail}");
        Assert.True(
            exitCode == 0 && lines.Any(l => l.StartsWith(PassLine, StringComparison.Ordinal)),
            $"compose-smoke.sh exited {exitCode} without a PASS line; last {TailLines} lines:\n{tail}");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WorkFleet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No directory containing WorkFleet.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// Runs the script, collecting stdout and stderr lines in arrival order. On timeout it sends
    /// SIGTERM (the script then removes its stack), kills what is left after a grace period, and
    /// removes the stack with <c>compose-smoke.sh --down</c> in case the script could not.
    /// </summary>
    private static async Task<(int ExitCode, List<string> Lines, bool TimedOut)> RunScriptAsync(string root, string script, string project)
    {
        var lines = new List<string>();
        var startInfo = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        startInfo.Environment["WORKFLEET_SMOKE_PROJECT"] = project;

        // `dotnet test` passes its MSBuild settings to the test host; the script's own `dotnet
        // publish` calls must not inherit them.
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        using var process = new Process { StartInfo = startInfo };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timedOut = false;
        using (var deadline = new CancellationTokenSource(ScriptTimeout))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // WaitForExitAsync also waits for the end of the output; a process the script left
                // behind could hold it open after the script itself has exited.
                timedOut = !process.HasExited;
            }
        }

        if (timedOut)
        {
            await StopAsync(process);
            await RunDownAsync(root, script, project, lines);
        }

        int exitCode;
        lock (lines)
        {
            exitCode = process.HasExited ? process.ExitCode : -1;
            return (exitCode, [.. lines], timedOut);
        }
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(GracePeriod);
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // The process exited meanwhile.
        }
    }

    private static async Task RunDownAsync(string root, string script, string project, List<string> lines)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add("--down");
        startInfo.ArgumentList.Add(project);
        using var down = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = down.StandardOutput.ReadToEndAsync();
        var stderr = down.StandardError.ReadToEndAsync();
        await down.WaitForExitAsync();
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"[test] timed out; removed the stack with compose-smoke.sh --down {project}:\n")
            .Append(await stdout)
            .Append(await stderr);
        lock (lines)
        {
            lines.AddRange(text.ToString().Split('\n'));
        }
    }
}
