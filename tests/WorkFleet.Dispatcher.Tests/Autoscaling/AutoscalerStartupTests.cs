using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests.Autoscaling;

/// <summary>A dispatcher host with bad autoscaler settings refuses to start, naming each bad setting.</summary>
public sealed class AutoscalerStartupTests
{
    [Fact]
    public async Task Bad_autoscaler_settings_stop_the_host_at_start_naming_them()
    {
        using var host = EmbeddedDispatcherHost.Build(new Dictionary<string, string?>
        {
            ["WorkFleet:Autoscaler:Enabled"] = "true",
            ["WorkFleet:Autoscaler:MinWorkers"] = "6",
            ["WorkFleet:Autoscaler:MaxWorkers"] = "2",
            ["WorkFleet:Autoscaler:TargetUtilization"] = "1.5",
            ["WorkFleet:Autoscaler:Executor"] = "nomad",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("WorkFleet:Autoscaler:MinWorkers (6) must not exceed MaxWorkers (2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Autoscaler:TargetUtilization must be in (0, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Autoscaler:Executor 'nomad' is unknown; use one of: none, docker, kubernetes", error.Message, StringComparison.Ordinal);
    }
}
