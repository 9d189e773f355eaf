using WorkFleet.Balancing;

namespace WorkFleet.Balancing.Tests.Support;

/// <summary>Builds worker snapshots for tests; defaults describe an idle, live, active worker.</summary>
internal static class Workers
{
    public const string DefaultJobType = "preprocess.tokenize";

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Started = Now.AddHours(-1);

    public static WorkerSnapshot Create(
        string workerId,
        double weight = 1,
        int capacity = 4,
        int reportedLoad = 0,
        bool isDraining = false,
        string[]? jobTypes = null,
        string[]? capabilities = null,
        long sequence = 1,
        DateTimeOffset? incarnation = null,
        DateTimeOffset? lastSeen = null) =>
        new()
        {
            WorkerId = workerId,
            Weight = weight,
            Capacity = capacity,
            ReportedLoad = reportedLoad,
            IsDraining = isDraining,
            JobTypes = (jobTypes ?? [DefaultJobType]).ToHashSet(StringComparer.Ordinal),
            Capabilities = (capabilities ?? []).ToHashSet(StringComparer.Ordinal),
            Sequence = sequence,
            Incarnation = incarnation ?? Started,
            LastSeen = lastSeen ?? Now,
        };

    public static TaskRequirements Requirements(string jobType = DefaultJobType, params string[] capabilities) =>
        new(jobType, capabilities);

    public static AssignmentKey Key(int n) => new(new Guid(n, 0, 0, new byte[8]), 1);
}
