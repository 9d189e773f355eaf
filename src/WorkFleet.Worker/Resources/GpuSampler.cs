using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;

namespace WorkFleet.Worker.Resources;

/// <summary>
/// Samples the host's GPUs with <c>nvidia-smi</c> every <see cref="Interval"/>, off the heartbeat path: starting a
/// process takes tens of milliseconds and a wedged driver can hang it, so heartbeats read <see cref="Latest"/>
/// instead of waiting. Without the tool on PATH it never starts a process and <see cref="Latest"/> stays null;
/// a failing or hanging tool is logged once and yields null until it answers again.
/// </summary>
public sealed class GpuSampler : BackgroundService
{
    private const string ToolName = "nvidia-smi";
    private readonly string? _toolPath;
    private readonly ILogger _logger;
    private volatile IReadOnlyList<GpuStatus>? _latest;
    private bool _failing;

    /// <summary>Samples <c>nvidia-smi</c> from PATH, if there is one, every 5 s with a 3 s timeout.</summary>
    public GpuSampler(ILogger<GpuSampler> logger)
        : this(FindOnPath(ToolName), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), logger)
    {
    }

    /// <summary>Samples the tool at <paramref name="toolPath"/> (none when null).</summary>
    /// <param name="toolPath">Path of an <c>nvidia-smi</c> executable, or null where there is none.</param>
    /// <param name="interval">Time between samples.</param>
    /// <param name="timeout">How long one run of the tool may take before it is killed.</param>
    /// <param name="logger">Where the first failure is reported.</param>
    public GpuSampler(string? toolPath, TimeSpan interval, TimeSpan timeout, ILogger logger)
    {
        _toolPath = toolPath;
        Interval = interval;
        Timeout = timeout;
        _logger = logger;
    }

    /// <summary>Time between samples.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How long one run of the tool may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The devices of the last successful sample; null without a tool, before the first sample, or while it fails.</summary>
    public IReadOnlyList<GpuStatus>? Latest => _latest;

    /// <summary>Runs the tool once and updates <see cref="Latest"/>; without a tool it does nothing.</summary>
    public async Task SampleOnceAsync(CancellationToken cancellationToken)
    {
        if (_toolPath is null)
        {
            return;
        }

        string? problem;
        IReadOnlyList<GpuStatus>? gpus = null;
        try
        {
            var (exitCode, output) = await RunAsync(_toolPath, cancellationToken);
            gpus = exitCode == 0 ? NvidiaSmiOutput.Parse(output) : null;
            problem = exitCode != 0 ? $"exited with code {exitCode}" : gpus is null ? "printed no device line" : null;
        }
        catch (TimeoutException)
        {
            problem = $"did not answer within {Timeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            problem = ex.Message;
        }

        _latest = gpus;
        if (problem is not null && !_failing)
        {
            _logger.LogWarning("GPU sampling with {Tool} failed ({Problem}); heartbeats carry no GPU figures until it answers again", _toolPath, problem);
        }
        else if (problem is null && _failing)
        {
            _logger.LogInformation("GPU sampling with {Tool} answers again: {Count} device(s)", _toolPath, gpus!.Count);
        }

        _failing = problem is not null;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_toolPath is null)
        {
            _logger.LogDebug("No {Tool} on PATH: heartbeats carry no GPU figures", ToolName);
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await SampleOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops.
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string toolPath, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(toolPath, NvidiaSmiOutput.Arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            _ = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return (process.ExitCode, await output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private static string? FindOnPath(string tool)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? tool + ".exe" : tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
