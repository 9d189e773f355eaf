using WorkFleet.Autoscaling.Forecasting;

namespace WorkFleet.Autoscaling.Tests.Forecasting;

public sealed class ForecasterCatalogTests
{
    [Fact]
    public void Create_EveryName_ReturnsForecasterOfThatName()
    {
        foreach (var name in ForecasterCatalog.Names)
        {
            Assert.Equal(name, ForecasterCatalog.Create(name).Name);
        }
    }

    [Fact]
    public void Create_Auto_SelectsBetweenLinearAndHolt()
    {
        var auto = Assert.IsType<ForecasterSelector>(ForecasterCatalog.Create("auto", window: 12));

        Assert.Equal(["linear", "holt"], auto.Candidates.Select(c => c.Name));
        Assert.Equal(12, Assert.IsType<LinearTrendForecaster>(auto.Candidates[0]).Window);
    }

    [Fact]
    public void Create_UnknownName_ThrowsListingValidNames()
    {
        var error = Assert.Throws<ArgumentException>(() => ForecasterCatalog.Create("arima"));

        Assert.Contains("'arima' is unknown; valid: linear, holt, auto", error.Message, StringComparison.Ordinal);
    }
}
