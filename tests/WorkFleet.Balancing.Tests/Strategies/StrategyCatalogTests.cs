using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class StrategyCatalogTests
{
    public static TheoryData<string> Names => [.. StrategyCatalog.Names];

    [Fact]
    public void Names_Always_ListsTheEightStrategiesWithTheDefault()
    {
        // Arrange
        string[] expected =
        [
            "round-robin", "weighted-round-robin", "random", "least-connections", "power-of-two",
            "weighted-least-load", "shortest-expected-completion", "fastest-free-slot",
        ];

        // Act
        var names = StrategyCatalog.Names;

        // Assert
        Assert.Equal(expected, names);
        Assert.Equal("fastest-free-slot", StrategyCatalog.Default);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Create_KnownName_ReturnsAFreshStrategyOfThatName(string name)
    {
        // Arrange
        var random = new Random(1);

        // Act
        var first = StrategyCatalog.Create(name, random);
        var second = StrategyCatalog.Create(name, random);

        // Assert
        Assert.Equal(name, first.Name);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Create_UnknownName_ThrowsNamingTheSettingAndTheValidNames()
    {
        // Act
        var error = Assert.Throws<ArgumentException>(() => StrategyCatalog.Create("fastest", new Random(1)));

        // Assert
        Assert.Contains("WorkFleet:Dispatcher:Strategy 'fastest'", error.Message, StringComparison.Ordinal);
        Assert.Contains("power-of-two", error.Message, StringComparison.Ordinal);
    }
}
