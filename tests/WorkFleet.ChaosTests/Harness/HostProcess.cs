using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>
/// A dispatcher or worker host running as a child process (<c>dotnet WorkFleet.WorkerHost.dll</c>),
/// configured only by environment variables, so a test can crash it (<see cref="KillAsync"/>, SIGKILL),
/// stop it the way an orchestrator does (<see cref="TerminateAsync"/>, SIGTERM) and start another.
/// Its standard output and error are kept in a ring buffer of the last lines for failure messages.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    /// <summary>The generic host writes this (logger <c>Microsoft.Hosting.Lifetime</c>) once every hosted service has started.</summary>
    public const string StartedMarker = "Application started";

    // Children of a test process that dies without disposing them would run on, reconnecting to
    // servers that are gone: kill whatever is still alive when the test process exits.
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly OutputRing _output = new();
    private StreamWriter? _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _disposed;
    private int? _exitCode;

    static HostProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // already exited
            }
        }
    };

    private HostProcess(string name, HostKind kind, Process process)
    {
        Name = name;
        Kind = kind;
        _process = process;
    }

    /// <summary>A name for messages, e.g. <c>worker w2</c>.</summary>
    public string Name { get; }

    /// <summary>Which program runs.</summary>
    public HostKind Kind { get; }

    /// <summary>The operating-system process id.</summary>
    public int Pid { get; private set; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The exit code, once exited.</summary>
    public int? ExitCode => _exitCode ?? (!_disposed && _process.HasExited ? _exitCode = _process.ExitCode : null);

    /// <summary>What the process wrote (stdout and stderr, last 200 lines).</summary>
    public OutputRing Output => _output;

    /// <summary>The build output folder of the host program of <paramref name="kind"/> (recorded by the project file).</summary>
    public static string ProgramDirectory(HostKind kind) =>
        typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == $"{kind}HostDirectory")?.Value
        ?? throw new InvalidOperationException($"The test assembly does not record where WorkFleet.{kind}Host was built ({kind}HostDirectory metadata).");

    /// <summary>
    /// Starts <c>dotnet &lt;its build folder&gt;/WorkFleet.&lt;Kind&gt;Host.dll</c> in
    /// <paramref name="workingDirectory"/> (also its content root, so no appsettings.json is read: every
    /// setting comes from <paramref name="environment"/>).
    /// </summary>
    /// <param name="kind">Dispatcher or worker.</param>
    /// <param name="name">A name for messages.</param>
    /// <param name="environment">Environment variables, e.g. <c>WorkFleet__Worker__WorkerId</c>.</param>
    /// <param name="workingDirectory">An existing, preferably empty, folder.</param>
    /// <param name="arguments">Command-line arguments, e.g. <c>migrate</c> for the dispatcher host's migrate step.</param>
    public static HostProcess Start(HostKind kind, string name, IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(arguments);
        var program = Path.Combine(ProgramDirectory(kind), $"WorkFleet.{kind}Host.dll");
        if (!File.Exists(program) || !File.Exists(Path.ChangeExtension(program, ".runtimeconfig.json")))
        {
            throw new FileNotFoundException($"{program} (with its runtimeconfig.json) does not exist; the test project references the host projects so that building it builds them.", program);
        }

        var startInfo = new ProcessStartInfo(DotnetExecutable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test runner's own settings must not leak into the host (e.g. an environment name).
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("WorkFleet__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["DOTNET_CONTENTROOT"] = workingDirectory;
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var host = new HostProcess(name, kind, process) { _log = OpenLog(name) };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                host.Record(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                host.Record("[stderr] " + e.Data);
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({program}).");
        }

        host.Pid = process.Id;
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// Waits until the host logged <see cref="StartedMarker"/> (every hosted service started, the bus
    /// connected). Throws, with the host's output, when it exits first or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilStartedAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!_output.Contains(StartedMarker))
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {ExitCode} before it started.{Environment.NewLine}{Describe(60)}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} did not start within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Describe(60)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Crashes the process: SIGKILL, no chance to clean up. Returns once it has exited.</summary>
    public async Task KillAsync()
    {
        if (!HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync();
        _exitCode = _process.ExitCode;
        Running.TryRemove(Pid, out _);
    }

    /// <summary>
    /// Asks the process to stop, as <c>docker stop</c> and Kubernetes do: SIGTERM. Waits up to
    /// <paramref name="timeout"/> for it to exit and returns its exit code.
    /// </summary>
    /// <exception cref="TimeoutException">It was still running after <paramref name="timeout"/> (it is left running; dispose kills it).</exception>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!HasExited)
        {
            await SignalAsync("TERM");
        }

        if (!await WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s of SIGTERM.{Environment.NewLine}{Describe(60)}");
        }

        return _exitCode!.Value;
    }

    /// <summary>Waits for the process to exit; false when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        _exitCode = _process.ExitCode;
        Running.TryRemove(Pid, out _);
        return true;
    }

    /// <summary>A header (name, pid, state, uptime) and the last <paramref name="lines"/> lines of output.</summary>
    public string Describe(int lines = 200)
    {
        var state = HasExited ? $"exited with code {ExitCode}" : "running";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"--- {Name} (pid {Pid}, {state}, {_clock.Elapsed.TotalSeconds:0.0} s since start, {_output.Total} lines, last {lines}) ---")
            .AppendLine();
        foreach (var line in _output.Tail(lines))
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    /// <summary>Kills the process if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await KillAsync();
        }
        finally
        {
            _disposed = true;
            _process.Dispose();
            lock (_output)
            {
                _log?.Dispose();
                _log = null;
            }
        }
    }

    /// <summary>
    /// With <c>WORKFLEET_CHAOS_LOGS</c> set to a folder, every line each host writes is also kept in a file
    /// there (the ring buffer keeps only the last lines): for CI artifacts and for diagnosing a failed run.
    /// </summary>
    private static StreamWriter? OpenLog(string name)
    {
        if (Environment.GetEnvironmentVariable("WORKFLEET_CHAOS_LOGS") is not { Length: > 0 } folder)
        {
            return null;
        }

        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HHmmss.fff}-{name.Replace(' ', '-')}.log"));
        return new StreamWriter(file, append: true, Encoding.UTF8) { AutoFlush = true };
    }

    private void Record(string line)
    {
        _output.Add(line);
        lock (_output)
        {
            _log?.WriteLine(line);
        }
    }

    private async Task SignalAsync(string signal)
    {
        // kill(1) rather than a P/Invoke of kill(2): no unsafe code, same system call.
        var startInfo = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        startInfo.ArgumentList.Add("-" + signal);
        startInfo.ArgumentList.Add(Pid.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not run kill(1).");
        var error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0 && !HasExited)
        {
            throw new InvalidOperationException($"kill -{signal} {Pid} failed ({kill.ExitCode}): {error.Trim()}");
        }
    }

    private static string DotnetExecutable()
    {
        // The muxer that runs the tests runs the hosts too (same runtime), falling back to PATH.
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
