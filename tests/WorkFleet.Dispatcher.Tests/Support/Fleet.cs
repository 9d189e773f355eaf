using Microsoft.Extensions.Options;
using WorkFleet.Balancing;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Tests.Support;

/// <summary>Builders for SlotAllocator tests.</summary>
internal static class Fleet
{
    public const string JobType = "preprocess.tokenize";

    /// <summary>Where the tests' clock starts; the workers' incarnations are an hour before.</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Liveness = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>Generous upper bound for a continuation that is already due; never reached when the code is right.</summary>
    public static readonly TimeSpan Due = TimeSpan.FromSeconds(10);

    public static SlotAllocator CreateAllocator(TimeProvider clock, TimeSpan? liveness = null) =>
        new(
            Options.Create(new DispatcherOptions
            {
                DispatcherId = "test-dispatcher",
                LivenessTimeout = liveness ?? Liveness,
                UnsupportedJobGracePeriod = Grace,
            }),
            clock);

    public static WorkerSnapshot Worker(
        TimeProvider clock,
        string workerId,
        int capacity = 1,
        string[]? jobTypes = null,
        int reportedLoad = 0,
        long sequence = 1) =>
        new()
        {
            WorkerId = workerId,
            Weight = 1,
            Capacity = capacity,
            ReportedLoad = reportedLoad,
            JobTypes = (jobTypes ?? [JobType]).ToHashSet(StringComparer.Ordinal),
            Capabilities = new HashSet<string>(StringComparer.Ordinal),
            Sequence = sequence,
            Incarnation = Start - TimeSpan.FromHours(1),
            LastSeen = clock.GetUtcNow(),
        };

    public static TaskRequirements Needs(string jobType = JobType) => new(jobType, []);

    /// <summary>The allocator's estimated load of a worker.</summary>
    public static int LoadOf(SlotAllocator slots, string workerId) =>
        slots.Snapshot().Single(w => w.Snapshot.WorkerId == workerId).EstimatedLoad;

    public static AssignmentKey Key(int n) => new(new Guid(n, 0, 0, new byte[8]), 1);
}
