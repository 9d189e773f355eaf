using WorkFleet.Autoscaling.Policy;

namespace WorkFleet.Autoscaling.Tests.Policy;

public sealed class VictimSelectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static ScaleDownCandidate Worker(string id, int running, int startedMinutes, params string[] offers) =>
        new(id, running, offers.ToHashSet(StringComparer.Ordinal), T0.AddMinutes(startedMinutes));

    [Fact]
    public void Fewest_running_tasks_go_first()
    {
        var fleet = new[] { Worker("busy", 3, 0, "a"), Worker("idle", 0, 0, "a"), Worker("light", 1, 0, "a") };

        var victims = VictimSelector.Choose(fleet, 2);

        Assert.Equal(["idle", "light"], victims.Select(v => v.WorkerId));
    }

    [Fact]
    public void Among_equally_loaded_workers_the_newest_goes_first()
    {
        var fleet = new[] { Worker("old", 0, 0, "a"), Worker("newest", 0, 20, "a"), Worker("middle", 0, 10, "a") };

        var victims = VictimSelector.Choose(fleet, 2);

        Assert.Equal(["newest", "middle"], victims.Select(v => v.WorkerId));
    }

    [Fact]
    public void The_last_worker_offering_a_job_type_or_capability_stays()
    {
        // "gpu-box" is idle and newest, but the only one with the gpu capability.
        var fleet = new[] { Worker("cpu-1", 2, 0, "a"), Worker("gpu-box", 0, 30, "a", "gpu"), Worker("cpu-2", 1, 10, "a") };

        var victims = VictimSelector.Choose(fleet, 1);

        Assert.Equal(["cpu-2"], victims.Select(v => v.WorkerId));
    }

    [Fact]
    public void Removing_one_of_two_holders_keeps_the_other()
    {
        var fleet = new[] { Worker("x1", 0, 5, "a", "x"), Worker("x2", 0, 4, "a", "x"), Worker("plain", 5, 0, "a") };

        var victims = VictimSelector.Choose(fleet, 3);

        // x1 (newest idle) goes; x2 is then the last to offer "x" and stays; "plain" may go, since x2 still offers "a".
        Assert.Equal(["x1", "plain"], victims.Select(v => v.WorkerId));
    }

    [Fact]
    public void Asking_for_more_than_can_go_returns_fewer()
    {
        var fleet = new[] { Worker("only", 0, 0, "a") };

        Assert.Empty(VictimSelector.Choose(fleet, 1));
        Assert.Empty(VictimSelector.Choose(fleet, 0));
    }
}
