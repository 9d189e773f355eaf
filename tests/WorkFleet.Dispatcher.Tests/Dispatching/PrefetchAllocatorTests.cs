using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests.Dispatching;

/// <summary>
/// <see cref="DispatcherOptions.PrefetchPerSlot"/> reaches the allocator: a full worker of short tasks takes more
/// attempts than its capacity, up to capacity × (1 + PrefetchPerSlot); off by default and with cost-aware.
/// </summary>
public sealed class PrefetchAllocatorTests
{
    private readonly FakeTimeProvider _clock = new(Fleet.Start);

    private SlotAllocator Allocator(int prefetchPerSlot, string strategy = "fastest-free-slot") =>
        new(
            Options.Create(new DispatcherOptions
            {
                DispatcherId = "test-dispatcher",
                LivenessTimeout = Fleet.Liveness,
                UnsupportedJobGracePeriod = Fleet.Grace,
                Strategy = strategy,
                PrefetchPerSlot = prefetchPerSlot,
                PrefetchMaxTaskDuration = TimeSpan.FromMilliseconds(20),
            }),
            _clock);

    /// <summary>Acquires for tasks 1..<paramref name="count"/>; returns how many were granted at once.</summary>
    private static int GrantedAtOnce(SlotAllocator slots, int count) =>
        Enumerable.Range(1, count)
            .Select(n => slots.AcquireAsync(Fleet.Needs(), Fleet.Key(n), priority: 0, CancellationToken.None))
            .ToList()
            .Count(t => t.IsCompletedSuccessfully);

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 6)]
    [InlineData(2, 9)]
    public void AcquireAsync_ShortTaskWorkerFull_GrantsUpToCapacityTimesOnePlusPrefetch(int prefetchPerSlot, int granted)
    {
        // Arrange: a worker of capacity 3 whose tasks take 2 ms on average.
        var slots = Allocator(prefetchPerSlot);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 3) with { EwmaTaskDurationMs = 2 });

        // Act
        var atOnce = GrantedAtOnce(slots, 20);

        // Assert
        Assert.Equal(granted, atOnce);
        Assert.Equal(granted, Fleet.LoadOf(slots, "w1"));
        Assert.Equal(20 - granted, slots.WaitingCount);
    }

    [Fact]
    public void AcquireAsync_LongTaskWorker_OnlyItsCapacity()
    {
        // Arrange: 50 ms per task on average, above the 20 ms bound.
        var slots = Allocator(prefetchPerSlot: 1);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 3) with { EwmaTaskDurationMs = 50 });

        // Act
        var atOnce = GrantedAtOnce(slots, 20);

        // Assert
        Assert.Equal(3, atOnce);
    }

    [Fact]
    public void AcquireAsync_CostAware_NeverPrefetches()
    {
        // Arrange
        var slots = Allocator(prefetchPerSlot: 1, strategy: CostAwarePlacement.StrategyName);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 3) with { EwmaTaskDurationMs = 2 });

        // Act
        var atOnce = GrantedAtOnce(slots, 20);

        // Assert
        Assert.Equal(3, atOnce);
    }

    [Theory]
    [InlineData("WorkFleet:Dispatcher:PrefetchPerSlot", "17", "WorkFleet:Dispatcher:PrefetchPerSlot must be within 0..16.")]
    [InlineData("WorkFleet:Dispatcher:PrefetchPerSlot", "-1", "WorkFleet:Dispatcher:PrefetchPerSlot must be within 0..16.")]
    [InlineData("WorkFleet:Dispatcher:PrefetchMaxTaskDuration", "-00:00:01", "WorkFleet:Dispatcher:PrefetchMaxTaskDuration must not be negative.")]
    public async Task Start_PrefetchOutOfRange_RefusedNamingTheSetting(string key, string value, string message)
    {
        // Arrange
        using var host = EmbeddedDispatcherHost.Build(new Dictionary<string, string?> { [key] = value });

        // Act
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Assert
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_PrefetchOff()
    {
        var options = new DispatcherOptions();

        Assert.Equal(0, options.PrefetchPerSlot);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.PrefetchMaxTaskDuration);
    }
}
