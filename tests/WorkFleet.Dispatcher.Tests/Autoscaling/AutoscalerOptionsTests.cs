using WorkFleet.Dispatcher.Autoscaling;

namespace WorkFleet.Dispatcher.Tests.Autoscaling;

public sealed class AutoscalerOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(AutoscalerFactory.Problems(new AutoscalerOptions { Enabled = true }));
    }

    [Theory]
    [InlineData("min-above-max", "WorkFleet:Autoscaler:MinWorkers (5) must not exceed MaxWorkers (3)")]
    [InlineData("target-zero", "WorkFleet:Autoscaler:TargetUtilization must be in (0, 1]")]
    [InlineData("target-above-one", "WorkFleet:Autoscaler:TargetUtilization must be in (0, 1]")]
    [InlineData("unknown-executor", "WorkFleet:Autoscaler:Executor 'swarm' is unknown")]
    [InlineData("unknown-policy", "WorkFleet:Autoscaler:Policy 'magic' is unknown")]
    [InlineData("docker-without-project", "WorkFleet:Autoscaler:Docker:Project must name the compose project")]
    public void Bad_settings_are_named(string setting, string expected)
    {
        var options = setting switch
        {
            "min-above-max" => new AutoscalerOptions { MinWorkers = 5, MaxWorkers = 3 },
            "target-zero" => new AutoscalerOptions { TargetUtilization = 0 },
            "target-above-one" => new AutoscalerOptions { TargetUtilization = 1.5 },
            "unknown-executor" => new AutoscalerOptions { Executor = "swarm" },
            "unknown-policy" => new AutoscalerOptions { Policy = "magic" },
            _ => new AutoscalerOptions { Executor = "docker" },
        };

        var problem = Assert.Single(AutoscalerFactory.Problems(options));
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disabled_autoscaler_is_not_validated()
    {
        var result = new AutoscalerOptionsValidation().Validate(null, new AutoscalerOptions { Enabled = false, MinWorkers = 9, MaxWorkers = 1 });
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void An_enabled_autoscaler_with_bad_settings_fails_validation_naming_each()
    {
        var result = new AutoscalerOptionsValidation().Validate(null, new AutoscalerOptions { Enabled = true, MinWorkers = 9, MaxWorkers = 1, Executor = "swarm" });

        Assert.True(result.Failed);
        Assert.Contains("MinWorkers (9) must not exceed MaxWorkers (1)", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Executor 'swarm' is unknown", result.FailureMessage, StringComparison.Ordinal);
    }
}
