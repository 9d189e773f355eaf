namespace WorkFleet.Contracts;

/// <summary>
/// Command from a producer: run several jobs. Sent where <see cref="SubmitTask"/> goes (the <c>workfleet.submit</c>
/// queue), in MassTransit's envelope. Each task is handled exactly as if it had come alone (stored, deduplicated by
/// its id, dispatched); the message is acknowledged once every task in it is, so a crash before that redelivers the
/// batch and the tasks already stored are recognized by id. One message instead of one per task is what makes many
/// small tasks cheap for the broker and the dispatcher. A batch in which any task lacks a <c>taskId</c> is refused
/// whole (moved to <c>workfleet.submit_error</c>, nothing recorded); the whole body counts against the dispatcher's
/// <c>MaxSubmitBytes</c>. Producers without MassTransit send single <see cref="SubmitTask"/> JSON instead.
/// JSON shape: <c>{"tasks":[{"taskId":"…","jobType":"…","payload":{…}}, …]}</c>.
/// </summary>
public sealed record SubmitTaskBatch
{
    /// <summary>
    /// The tasks, each a complete <see cref="SubmitTask"/>. Empty does nothing (a bare <see cref="SubmitTask"/> JSON body
    /// is also read as an empty batch by the raw-JSON deserializer, and handled as the single task it is).
    /// </summary>
    public IReadOnlyList<SubmitTask> Tasks { get; init; } = [];
}
