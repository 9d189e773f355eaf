using System.Collections.Concurrent;
using System.Diagnostics;

namespace WorkFleet.ThroughputBench.Processes;

/// <summary>
/// One role of the bench as a separate process (<c>dotnet &lt;dll&gt; …</c>): its output is kept (the last lines,
/// for errors) and watched for a line that says it is ready; killed on dispose. Every live child is also killed
/// when the bench exits, however it exits.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _watches = [];

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>The role's name in reports and errors.</summary>
    public string Name { get; }

    /// <summary>Operating system process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Starts <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c> in the assembly's directory.</summary>
    public static ChildProcess Start(string name, string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for an output line that <paramref name="match"/> accepts; fails if the process exits first.</summary>
    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_watches)
        {
            if (_tail.Any(match))
            {
                return;
            }

            _watches.Add((match, seen));
        }

        var exited = _process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout, cancellationToken));
        if (first != seen.Task)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"{Name} {(first == exited ? "exited" : "was not ready in time")}; its last output:{Environment.NewLine}{Tail()}");
        }
    }

    /// <summary>Throws with the process's last output when it has exited.</summary>
    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}); its last output:{Environment.NewLine}{Tail()}");
        }
    }

    /// <summary>The last line printed that <paramref name="match"/> accepts, if one is among the last lines kept.</summary>
    public string? LastLine(Func<string, bool> match)
    {
        lock (_watches)
        {
            return _tail.LastOrDefault(match);
        }
    }

    /// <summary>The last lines the process printed.</summary>
    public string Tail() => string.Join(Environment.NewLine, _tail);

    /// <summary>Kills the process (the bench needs no graceful stop: every round has drained before it ends).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        Live.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private static void KillAll()
    {
        foreach (var process in Live.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_watches)
        {
            _tail.Enqueue(line);
            while (_tail.Count > KeptLines && _tail.TryDequeue(out _))
            {
            }

            foreach (var (match, seen) in _watches.Where(w => w.Match(line)))
            {
                seen.TrySetResult();
            }
        }
    }
}
