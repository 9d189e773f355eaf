using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Trust;

namespace WorkFleet.Dispatcher.Tests.Trust;

public sealed class HeartbeatScreenTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);
    private static readonly SenderTrustOptions Limits = new();

    private static WorkerHeartbeat Honest(string id = "w-1") => new()
    {
        WorkerId = id,
        QueueName = QueueNames.ForWorker(id),
        Weight = 2,
        Capacity = 8,
        JobTypes = ["preprocess.normalize"],
        State = WorkerState.Active,
        StartedAt = Now.AddHours(-1),
        SentAt = Now.AddSeconds(-1),
    };

    [Fact]
    public void Problem_HonestHeartbeat_Passes() => Assert.Null(HeartbeatScreen.Problem(Honest(), Now, Limits));

    public static TheoryData<string, string> Forgeries => new()
    {
        { "queue-elsewhere", "is not the worker's own queue" },
        { "capacity-1024x", "capacity 5000 is outside 0..4096" },
        { "negative-capacity", "capacity -1" },
        { "weight-nan", "weight NaN" },
        { "weight-huge", "weight 1000000" },
        { "negative-counts", "must not be negative" },
        { "future-sent", "more than 00:05:00 from this dispatcher's clock" },
        { "ancient-sent", "more than 00:05:00 from this dispatcher's clock" },
        { "future-start", "in the future" },
        { "bad-id", "worker id must be" },
        { "long-id", "worker id must be" },
        { "many-types", "more than 256 job types" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void Problem_ImplausibleHeartbeat_IsRefusedNamingTheReason(string forgery, string expected)
    {
        var honest = Honest();
        var heartbeat = forgery switch
        {
            "queue-elsewhere" => honest with { QueueName = QueueNames.Submit },
            "capacity-1024x" => honest with { Capacity = 5000 },
            "negative-capacity" => honest with { Capacity = -1 },
            "weight-nan" => honest with { Weight = double.NaN },
            "weight-huge" => honest with { Weight = 1_000_000 },
            "negative-counts" => honest with { InFlight = -3 },
            "future-sent" => honest with { SentAt = Now.AddMinutes(6) },
            "ancient-sent" => honest with { SentAt = Now.AddDays(-1) },
            "future-start" => honest with { StartedAt = Now.AddYears(10) },
            "bad-id" => Honest("../../etc") with { QueueName = QueueNames.ForWorker("../../etc") },
            "long-id" => Honest(new string('a', 129)),
            "many-types" => honest with { JobTypes = [.. Enumerable.Range(0, 257).Select(i => $"job.{i}")] },
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        var problem = HeartbeatScreen.Problem(heartbeat, Now, Limits);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_LimitsComeFromSettings()
    {
        var heartbeat = Honest() with { Capacity = 64 };

        Assert.Null(HeartbeatScreen.Problem(heartbeat, Now, Limits));
        Assert.Contains("capacity 64 is outside 0..32", HeartbeatScreen.Problem(heartbeat, Now, new SenderTrustOptions { MaxCapacity = 32 }), StringComparison.Ordinal);
    }
}
