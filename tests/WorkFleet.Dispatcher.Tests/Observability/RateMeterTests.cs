using Microsoft.Extensions.Time.Testing;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dispatcher.Tests.Observability;

public sealed class RateMeterTests
{
    // A whole second, so that bucket edges fall on whole seconds of the fake clock.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void PerSecond_YoungerThanItsWindow_DividesByItsAge()
    {
        // Arrange: 10 events in each of the first three seconds.
        var meter = new RateMeter(_clock);
        for (var second = 0; second < 3; second++)
        {
            meter.Mark(10);
            _clock.Advance(TimeSpan.FromSeconds(second < 2 ? 1 : 0.5));
        }

        // Act + Assert: 30 events over 3 started seconds.
        Assert.Equal(10.0, meter.PerSecond);
    }

    [Fact]
    public void PerSecond_OneEventPerSecondForTwentySeconds_IsOneOverTheLastTen()
    {
        // Arrange
        var meter = new RateMeter(_clock);
        for (var second = 0; second < 20; second++)
        {
            meter.Mark();
            _clock.Advance(TimeSpan.FromSeconds(second < 19 ? 1 : 0.5));
        }

        // Act + Assert: seconds 10..19 hold one event each.
        Assert.Equal(1.0, meter.PerSecond);
    }

    [Fact]
    public void PerSecond_BurstOlderThanTheWindow_IsForgotten()
    {
        // Arrange
        var meter = new RateMeter(_clock, TimeSpan.FromSeconds(10));
        meter.Mark(50);
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(5.0, meter.PerSecond);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(1));

        // Assert
        Assert.Equal(0.0, meter.PerSecond);
    }

    [Fact]
    public void Mark_InTheSlotOfAnExpiredSecond_StartsTheSlotAfresh()
    {
        // Arrange: second 0 and second 10 share a slot of a 10 s window.
        var meter = new RateMeter(_clock, TimeSpan.FromSeconds(10));
        meter.Mark(5);
        _clock.Advance(TimeSpan.FromSeconds(10));

        // Act
        meter.Mark(2);

        // Assert: only the 2 new events, over the 10 s window.
        Assert.Equal(0.2, meter.PerSecond, 10);
    }

    [Fact]
    public void Create_WindowBelowOneSecond_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateMeter(_clock, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void TaskRates_ArrivalsAndCompletions_AreCountedApart()
    {
        // Arrange
        var rates = new TaskRates(_clock);

        // Act: three arrivals and one outcome in the first second.
        rates.Arrived();
        rates.Arrived();
        rates.Arrived();
        rates.Completed();
        _clock.Advance(TimeSpan.FromSeconds(0.5));

        // Assert
        Assert.Equal(3.0, rates.ArrivalsPerSecond);
        Assert.Equal(1.0, rates.CompletionsPerSecond);
    }
}
