using Microsoft.Extensions.Logging.Abstractions;
using WorkFleet.Worker.Resources;
using WorkFleet.Worker.Tests.Support;

namespace WorkFleet.Worker.Tests.Resources;

/// <summary>The samplers against files and a stand-in <c>nvidia-smi</c> script (there is no GPU on the test machines; Linux only, as the fleet).</summary>
public sealed class HostSamplingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workfleet-host-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Monitor_StatAdvances_ReportsTheBusyShareSinceThePreviousRead()
    {
        // Arrange: the baseline is read when the monitor is created.
        var stat = Path.Combine(_directory, "stat");
        var meminfo = Path.Combine(_directory, "meminfo");
        File.WriteAllText(stat, "cpu  100 0 100 800 0 0 0 0 0 0\n");
        File.WriteAllText(meminfo, "MemTotal: 1000 kB\nMemAvailable: 600 kB\n");
        var monitor = new HostResourceMonitor(NoGpuTool(), stat, meminfo);

        // Act: 100 more busy ticks and 300 more idle ones.
        File.WriteAllText(stat, "cpu  150 0 150 1100 0 0 0 0 0 0\n");
        var first = monitor.Read();
        var unchanged = monitor.Read();

        // Assert: a period without ticks repeats the last value; no GPU tool, no GPU figures.
        Assert.Equal(new HostUsage(0.25, 0.4, null), first);
        Assert.Equal(first, unchanged);
    }

    [Fact]
    public void Monitor_UnreadableProc_ReportsNullNotZero()
    {
        var monitor = new HostResourceMonitor(NoGpuTool(), Path.Combine(_directory, "missing-stat"), Path.Combine(_directory, "missing-meminfo"));

        Assert.Equal(HostUsage.Unknown, monitor.Read());
    }

    [Fact]
    public async Task Monitor_RealProc_ReportsFractions()
    {
        var monitor = new HostResourceMonitor(NoGpuTool());

        // Poll until the kernel has counted a tick since the baseline (no value before that is promised).
        var usage = await Eventually.UntilAsync(() => Task.FromResult(monitor.Read()), u => u.Cpu is not null, TimeSpan.FromSeconds(10), "a host CPU reading");

        Assert.InRange(usage.Cpu!.Value, 0, 1);
        Assert.InRange(usage.Memory!.Value, 0, 1);
        Assert.Null(usage.Gpus);
    }

    [Fact]
    public async Task GpuSampler_ToolPrintsDevices_LatestHoldsThem()
    {
        var sampler = new GpuSampler(Script("printf '0, NVIDIA A10G, 42, 1024, 23028\\n1, NVIDIA A10G, [N/A], 0, 23028\\n'"), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), NullLogger.Instance);

        await sampler.SampleOnceAsync(CancellationToken.None);

        Assert.NotNull(sampler.Latest);
        Assert.Equal([0, 1], sampler.Latest.Select(g => g.Index));
        Assert.Equal(0.42, sampler.Latest[0].Utilization);
        Assert.Null(sampler.Latest[1].Utilization);
    }

    [Fact]
    public async Task GpuSampler_ToolFails_LatestIsNullAndTheFailureIsLoggedOnce()
    {
        var logger = new ListLogger();
        var sampler = new GpuSampler(Script("echo 'No devices were found'; exit 6"), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), logger);

        await sampler.SampleOnceAsync(CancellationToken.None);
        await sampler.SampleOnceAsync(CancellationToken.None);

        Assert.Null(sampler.Latest);
        Assert.Single(logger.Entries, e => e.Message.Contains("GPU sampling", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GpuSampler_ToolHangs_IsKilledAtTheTimeoutAndYieldsNull()
    {
        var logger = new ListLogger();
        var sampler = new GpuSampler(Script("exec sleep 60"), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(300), logger);

        await sampler.SampleOnceAsync(CancellationToken.None);

        Assert.Null(sampler.Latest);
        Assert.Contains(logger.Entries, e => e.Message.Contains("did not answer", StringComparison.Ordinal));
    }

    private static GpuSampler NoGpuTool() => new(null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), NullLogger.Instance);

    private string Script(string body)
    {
        var path = Path.Combine(_directory, "nvidia-smi");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
