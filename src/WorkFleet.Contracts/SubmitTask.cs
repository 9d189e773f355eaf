using System.Text.Json;

namespace WorkFleet.Contracts;

/// <summary>
/// Command from a producer: run one job. Sent to the <c>workfleet.submit</c> queue.
/// JSON shape (camelCase): <c>{"taskId":"…","jobType":"preprocess.tokenize","payload":{…},
/// "priority":0,"requiredCapabilities":["gpu"],"timeout":"00:00:30","expectedCost":250}</c>.
/// </summary>
public sealed record SubmitTask
{
    /// <summary>Chosen by the producer; the idempotency key. Resubmitting the same id never runs a second task.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>Registered job type, e.g. <c>preprocess.tokenize</c>. A missing one is stored as an invalid task.</summary>
    public string JobType { get; init; } = string.Empty;

    /// <summary>Job input as a JSON value; its schema belongs to the job type.</summary>
    public JsonElement Payload { get; init; } = JsonNull.Value;

    /// <summary>0 (default) to 9; higher runs first when tasks wait for a free slot.</summary>
    public int Priority { get; init; }

    /// <summary>Capabilities a worker must advertise to receive this task (e.g. <c>gpu</c>). Empty means any worker.</summary>
    public IReadOnlyList<string> RequiredCapabilities { get; init; } = [];

    /// <summary>Per-attempt execution limit enforced by the worker; <c>null</c> uses the worker's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The producer's estimate of the task's cost: milliseconds it runs on a worker of weight 1 (a worker of weight 2
    /// takes half). <c>null</c> (the default) means unknown; the dispatcher then uses what it learned of the job type.
    /// Only the <c>cost-aware</c> strategy reads it (shorter tasks first, larger ones on faster workers). When set it must
    /// be a finite number above 0 and at most <c>86400000</c> (24 h).
    /// </summary>
    public double? ExpectedCost { get; init; }

    /// <summary>When the producer submitted the task (producer clock).</summary>
    public DateTimeOffset SubmittedAt { get; init; }
}
