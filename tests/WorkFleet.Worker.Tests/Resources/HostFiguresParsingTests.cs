using WorkFleet.Worker.Resources;

namespace WorkFleet.Worker.Tests.Resources;

/// <summary>The pure readers of <c>/proc/stat</c>, <c>/proc/meminfo</c> and <c>nvidia-smi</c> output.</summary>
public sealed class HostFiguresParsingTests
{
    private const string ProcStat = """
        cpu  4705 356 584 3699176 23 0 27 5 12 0
        cpu0 1393 280 234 1850200 12 0 14 3 6 0
        intr 114930548 113199788 3 0 5 263 0 4 [... more]
        """;

    [Fact]
    public void CpuTimes_AggregateLine_BusyExcludesIdleAndIowaitTotalExcludesGuest()
    {
        var times = CpuTimes.Parse(ProcStat);

        // total = 4705+356+584+3699176+23+0+27+5 (guest 12 and guest_nice 0 are already in user and nice)
        Assert.Equal(new CpuTimes(Busy: 4705 + 356 + 584 + 27 + 5, Total: 3704876), times);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cpu0 1 2 3 4\n")]
    [InlineData("cpu  1 2 3\n")]
    [InlineData("cpu  1 2 x 4 5\n")]
    public void CpuTimes_NoOrMalformedAggregateLine_IsNull(string text)
    {
        Assert.Null(CpuTimes.Parse(text));
    }

    [Fact]
    public void CpuTimes_UtilizationSince_IsTheBusyShareOfTheTicksBetween()
    {
        var earlier = new CpuTimes(Busy: 1000, Total: 5000);
        var later = new CpuTimes(Busy: 1300, Total: 5400);

        Assert.Equal(0.75, later.UtilizationSince(earlier));
        Assert.Null(earlier.UtilizationSince(earlier));
        Assert.Null(earlier.UtilizationSince(later));
    }

    [Fact]
    public void MemInfo_TotalAndAvailable_UsedShareCountsCacheAsFree()
    {
        const string meminfo = """
            MemTotal:       16000000 kB
            MemFree:         1000000 kB
            MemAvailable:    12000000 kB
            Cached:          9000000 kB
            """;

        Assert.Equal(0.25, MemInfo.Utilization(meminfo));
    }

    [Theory]
    [InlineData("MemTotal: 1000 kB\nMemFree: 10 kB\n")]
    [InlineData("MemAvailable: 10 kB\n")]
    [InlineData("MemTotal: 0 kB\nMemAvailable: 0 kB\n")]
    [InlineData("")]
    public void MemInfo_MissingLines_IsNull(string meminfo)
    {
        Assert.Null(MemInfo.Utilization(meminfo));
    }

    [Fact]
    public void NvidiaSmi_TwoDevices_OneStatusEachInBytesAndFractions()
    {
        const string output = "0, NVIDIA A10G, 87, 3072, 23028\n1, Tesla T4, 0, 0, 15360\n";

        var gpus = NvidiaSmiOutput.Parse(output);

        Assert.NotNull(gpus);
        Assert.Equal(2, gpus.Count);
        Assert.Equal(new WorkFleet.Contracts.GpuStatus { Index = 0, Name = "NVIDIA A10G", Utilization = 0.87, MemoryUsedBytes = 3072L << 20, MemoryTotalBytes = 23028L << 20 }, gpus[0]);
        Assert.Equal(0.0, gpus[1].Utilization);
        Assert.Equal("Tesla T4", gpus[1].Name);
    }

    [Fact]
    public void NvidiaSmi_NotAvailableFields_AreNullNotZero()
    {
        const string output = "0, NVIDIA GeForce RTX 3060, [N/A], [Not Supported], 12288\r\n";

        var gpu = Assert.Single(NvidiaSmiOutput.Parse(output)!);

        Assert.Null(gpu.Utilization);
        Assert.Null(gpu.MemoryUsedBytes);
        Assert.Equal(12288L << 20, gpu.MemoryTotalBytes);
    }

    [Fact]
    public void NvidiaSmi_MalformedLines_AreSkipped_NameWithCommaKept()
    {
        const string output = """
            garbage
            x, NVIDIA A100, 1, 2, 3
            0, NVIDIA A100
            2, NVIDIA A100-SXM4, 80GB, 50, 100, 81920

            """;

        var gpu = Assert.Single(NvidiaSmiOutput.Parse(output)!);

        Assert.Equal(2, gpu.Index);
        Assert.Equal("NVIDIA A100-SXM4, 80GB", gpu.Name);
        Assert.Equal(0.5, gpu.Utilization);
    }

    [Theory]
    [InlineData("")]
    [InlineData("No devices were found\n")]
    [InlineData("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n")]
    public void NvidiaSmi_NoDeviceLine_IsNullNotEmpty(string output)
    {
        Assert.Null(NvidiaSmiOutput.Parse(output));
    }
}
