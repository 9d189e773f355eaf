using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using WorkFleet.Messaging.Telemetry;
using WorkFleet.Worker.Observability;

namespace WorkFleet.Worker.Tests.Observability;

/// <summary>The worker's metrics pushed over OTLP/HTTP when <c>WorkFleet:Telemetry</c> names a collector, and the settings' checks.</summary>
public sealed class WorkerOtlpExportTests
{
    [Fact]
    public async Task OtlpEndpointSet_WorkerMetricsArriveAsOtlpHttpProtobufAtTheCollector()
    {
        // Arrange: a stand-in collector on loopback and a worker host that pushes every second.
        var port = FreeLoopbackPort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:Kind"] = "InMemory",
            ["WorkFleet:Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{port}",
            ["WorkFleet:Telemetry:OtlpProtocol"] = "HttpProtobuf",
            ["WorkFleet:Telemetry:MetricExportInterval"] = "00:00:01",
        });
        builder.AddWorkFleetWorker(o => o.WorkerId = "otlp-w1");
        using var host = builder.Build();

        // Act: the provider starts its periodic reader; the worker measures one task.
        _ = host.Services.GetRequiredService<MeterProvider>();
        host.Services.GetRequiredService<WorkerMetrics>().TaskRan("otlp-w1", "compute.matmul", succeeded: true, TimeSpan.FromMilliseconds(12));
        var context = await Deadline.Within(collector.GetContextAsync());
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        context.Response.StatusCode = 200;
        context.Response.Close();

        // Assert: a protobuf POST on the metrics path whose strings name the meter, the instrument and the worker.
        Assert.Equal("POST", context.Request.HttpMethod);
        Assert.Equal("/v1/metrics", context.Request.Url!.AbsolutePath);
        Assert.Equal("application/x-protobuf", context.Request.ContentType);
        var strings = Encoding.UTF8.GetString(body.ToArray());
        Assert.Contains(WorkerMetrics.MeterName, strings, StringComparison.Ordinal);
        Assert.Contains("workfleet.worker.task.run", strings, StringComparison.Ordinal);
        Assert.Contains("otlp-w1", strings, StringComparison.Ordinal);
        Assert.Contains("workfleet-worker", strings, StringComparison.Ordinal);
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("OtlpEndpoint", "collector:4317", "WorkFleet:Telemetry:OtlpEndpoint")]
    [InlineData("OtlpEndpoint", "ftp://collector", "WorkFleet:Telemetry:OtlpEndpoint")]
    [InlineData("MetricExportInterval", "00:00:00.100", "WorkFleet:Telemetry:MetricExportInterval")]
    public void BadSetting_WorkerFailsAtStartNamingIt(string setting, string value, string named)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:Kind"] = "InMemory",
            [$"{TelemetryOptions.SectionName}:{setting}"] = value,
        });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWorkFleetWorker(o => o.WorkerId = "w"));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_OtlpOffAndValid()
    {
        var options = new TelemetryOptions();

        Assert.Null(options.OtlpEndpointUri);
        Assert.Empty(options.Validate());
        Assert.Equal(TelemetryProtocol.Grpc, options.OtlpProtocol);
    }
}
