using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Jobs.BuiltIn.Onnx;

namespace WorkFleet.Worker.Tests.Configuration;

/// <summary>A worker offering the capability <c>gpu</c> runs <c>inference.onnx</c> on CUDA; any other worker on the CPU.</summary>
public sealed class OnnxGpuConfigurationTests
{
    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "avx2" }, false)]
    [InlineData(new[] { "avx2", "gpu" }, true)]
    [InlineData(new[] { "GPU" }, false)]
    public void AddWorkFleetWorker_Capabilities_DecideWhetherOnnxUsesCuda(string[] capabilities, bool useCuda)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["WorkFleet:Transport:Kind"] = "InMemory" });
        builder.AddWorkFleetWorker(o => (o.WorkerId, o.Capabilities) = ("onnx-gpu-1", [.. capabilities]));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<OnnxModelOptions>>().Value;

        Assert.Equal(useCuda, options.UseCuda);
        Assert.Equal(0, options.CudaDeviceId);
    }
}
