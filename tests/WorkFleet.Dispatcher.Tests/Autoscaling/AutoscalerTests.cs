using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.Dispatcher.Autoscaling.Executors;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests.Autoscaling;

public sealed class AutoscalerTests
{
    private readonly FakeTimeProvider _clock = new(Fleet.Start);
    private readonly SlotAllocator _slots;
    private readonly FleetDepartures _departures = new();
    private readonly TaskRates _rates;
    private readonly AutoscalerState _state = new();

    public AutoscalerTests()
    {
        _slots = Fleet.CreateAllocator(_clock);
        _rates = new TaskRates(_clock);
    }

    private static AutoscalerOptions Options(int min = 1, int max = 10) => new()
    {
        Enabled = true,
        Forecaster = AutoscalerFactory.ForecastingOff,
        MinWorkers = min,
        MaxWorkers = max,
        TargetUtilization = 0.5,
        ScaleDownStabilization = TimeSpan.Zero,
        DrainTimeout = TimeSpan.FromSeconds(30),
    };

    private Autoscaler Create(RecordingPlatform platform, AutoscalerOptions? options = null)
    {
        options ??= Options();
        return new Autoscaler(
            options, AutoscalerFactory.CreatePolicy(options), AutoscalerFactory.CreateForecaster(options), platform,
            _slots, _rates, _departures, platform, _state, _clock, NullLogger.Instance);
    }

    private void Join(string workerId, int capacity = 2, int minutesAgo = 60, long sequence = 1, int running = 0) =>
        _slots.Apply(Fleet.Worker(_clock, workerId, capacity, reportedLoad: running, sequence: sequence) with { Incarnation = _clock.GetUtcNow().AddMinutes(-minutesAgo) });

    private async Task HoldAsync(int tasks)
    {
        for (var i = 0; i < tasks; i++)
        {
            _ = _slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1000 + i), 0, CancellationToken.None);
        }

        await Task.Yield();
    }

    [Fact]
    public async Task Load_above_target_starts_the_missing_workers()
    {
        // 2 workers of capacity 2, 4 tasks running and 4 waiting: utilization 2.0 against a target of 0.5.
        Join("w1");
        Join("w2");
        await HoldAsync(8);
        var platform = new RecordingPlatform(workers: 2);

        var succeeded = await Create(platform).StepAsync(CancellationToken.None);

        // ceil(2 × 2.0 / 0.5) = 8, limited to +4 per period (ScaleUpMaxWorkers, or 100 %): 6.
        Assert.True(succeeded);
        Assert.Equal(["count", "add 4"], platform.Calls);
        var report = _state.Report;
        Assert.Equal("leader", report.Role);
        Assert.Equal(6, report.DesiredWorkers);
        Assert.Equal(2.0, Assert.Single(report.Samples).Utilization, precision: 6);
        Assert.Contains("utilization 2.00", Assert.Single(report.Decisions).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_down_drains_the_idle_newest_worker_and_removes_it_after_it_stopped()
    {
        Join("old-busy", minutesAgo: 60, running: 1);
        Join("old-idle", minutesAgo: 50);
        Join("new-idle", minutesAgo: 1);
        var platform = new RecordingPlatform(workers: 3);
        var autoscaler = Create(platform);

        await autoscaler.StepAsync(CancellationToken.None);

        // 1 task on 3 × 2 slots: ceil(3 × 0.167 / 0.5) = 1; two go, the newest idle first, the busy one stays.
        Assert.Equal(["count", "release new-idle,old-idle", "drain new-idle", "drain old-idle"], platform.Calls);
        Assert.True(_slots.IsDrainRequested("new-idle"));
        Assert.All(_state.Report.Drains, d => Assert.Equal(DrainTracker.Draining, d.State));

        // Nothing new goes to a draining worker, even when its (older) heartbeat still says Active.
        Join("new-idle", minutesAgo: 1, sequence: 2);
        var next = await _slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        Assert.Equal("old-busy", next.WorkerId);

        // new-idle reports Stopped; old-idle stays silent until the drain timeout passes.
        _departures.Record("new-idle", _clock.GetUtcNow());
        platform.Calls.Clear();
        await autoscaler.StepAsync(CancellationToken.None);
        Assert.Contains("remove new-idle", platform.Calls);
        Assert.DoesNotContain("remove old-idle", platform.Calls);

        _clock.Advance(TimeSpan.FromSeconds(31));
        await autoscaler.StepAsync(CancellationToken.None);
        Assert.Contains("remove old-idle", platform.Calls);
        Assert.Equal(
            [("new-idle", DrainTracker.Removed), ("old-idle", DrainTracker.TimedOut)],
            _state.Report.Drains.Select(d => (d.WorkerId, d.State)));
    }

    [Fact]
    public async Task Executor_none_recommends_without_draining_anyone()
    {
        Join("w1");
        Join("w2");
        Join("w3");
        var platform = new RecordingPlatform(workers: 3);
        var options = Options();
        var autoscaler = new Autoscaler(
            options, AutoscalerFactory.CreatePolicy(options), null, new NoFleetExecutor(),
            _slots, _rates, _departures, platform, _state, _clock, NullLogger.Instance);

        await autoscaler.StepAsync(CancellationToken.None);

        Assert.Equal(3, _state.Report.CurrentWorkers);
        Assert.Equal(1, _state.Report.DesiredWorkers);
        Assert.Empty(platform.Calls);
        Assert.False(_slots.IsDrainRequested("w1") || _slots.IsDrainRequested("w2") || _slots.IsDrainRequested("w3"));
    }

    [Fact]
    public async Task A_failing_executor_is_reported_and_cancels_the_drains_it_could_not_prepare()
    {
        Join("w1");
        Join("w2");
        var platform = new RecordingPlatform(workers: 2);
        var autoscaler = Create(platform);
        await autoscaler.StepAsync(CancellationToken.None);
        Assert.Single(platform.Calls, c => c.StartsWith("drain", StringComparison.Ordinal));

        // Now the engine is gone: the next scale-down cannot release its victim.
        Join("w3");
        Join("w4");
        platform.Failure = new ExecutorException("Docker engine at unix:///var/run/docker.sock is unreachable: mount the socket.");
        var succeeded = await autoscaler.StepAsync(CancellationToken.None);

        Assert.False(succeeded);
        Assert.Equal(platform.Failure.Message, _state.Report.LastError);
        Assert.False(_slots.IsDrainRequested("w3") || _slots.IsDrainRequested("w4"));

        platform.Failure = null;
        Assert.True(await autoscaler.StepAsync(CancellationToken.None));
        Assert.Null(_state.Report.LastError);
    }

    [Fact]
    public async Task The_horizon_is_learned_from_scale_up_to_first_heartbeat()
    {
        Join("w1");
        await HoldAsync(6);
        var platform = new RecordingPlatform(workers: 1);
        var autoscaler = Create(platform);
        await autoscaler.StepAsync(CancellationToken.None);
        Assert.False(_state.Report.HorizonLearned);
        Assert.Equal(TimeSpan.FromSeconds(30), _state.Report.Horizon);

        _clock.Advance(TimeSpan.FromSeconds(12));
        Join("w2");
        await autoscaler.StepAsync(CancellationToken.None);

        Assert.True(_state.Report.HorizonLearned);
        Assert.Equal(TimeSpan.FromSeconds(12), _state.Report.Horizon);
    }

    [Fact]
    public async Task The_resource_signal_scales_on_host_cpu_or_memory_whichever_is_higher()
    {
        // Idle by tasks, but the hosts are busy: memory 0.9 and 0.5 (cpu lower) -> mean resource load 0.7.
        _slots.Apply(Fleet.Worker(_clock, "w1", 2) with { HostCpuUtilization = 0.2, HostMemoryUtilization = 0.9 });
        _slots.Apply(Fleet.Worker(_clock, "w2", 2) with { HostCpuUtilization = 0.5, HostMemoryUtilization = 0.1 });
        var options = Options();
        options.Signal = SignalNames.Resource;
        options.TargetUtilization = 0.35;
        var platform = new RecordingPlatform(workers: 2);

        await Create(platform, options).StepAsync(CancellationToken.None);

        // ceil(2 × 0.7 / 0.35) = 4 (the task utilization, 0, would have asked for the minimum).
        Assert.Equal(0.7, _state.Report.Samples[^1].Utilization, precision: 6);
        Assert.Equal(["count", "add 2"], platform.Calls);
    }

    [Fact]
    public async Task The_demand_signal_counts_arrivals_times_run_time_not_tasks_held()
    {
        // 80 arrivals in the last 10 s (8/s) of 1 s tasks need 8 slots: twice the one worker's 4, though it holds nothing.
        _clock.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 80; i++)
        {
            _rates.Arrived();
        }

        _slots.Apply(Fleet.Worker(_clock, "w1", 4) with { EwmaTaskDurationMs = 1000 });
        var options = Options();
        options.Signal = SignalNames.Demand;
        var platform = new RecordingPlatform(workers: 1);

        await Create(platform, options).StepAsync(CancellationToken.None);

        // ceil(1 × 2.0 / 0.5) = 4 workers.
        Assert.Equal(2.0, _state.Report.Samples[^1].Utilization, precision: 6);
        Assert.Equal(["count", "add 3"], platform.Calls);
    }

    [Fact]
    public void Backoff_doubles_per_failure_up_to_five_minutes()
    {
        var interval = TimeSpan.FromSeconds(5);

        Assert.Equal(interval, AutoscalerLoop.Delay(interval, 0));
        Assert.Equal(TimeSpan.FromSeconds(20), AutoscalerLoop.Delay(interval, 2));
        Assert.Equal(TimeSpan.FromMinutes(5), AutoscalerLoop.Delay(interval, 10));
        Assert.Equal(TimeSpan.FromMinutes(5), AutoscalerLoop.Delay(interval, 1000));
    }
}
