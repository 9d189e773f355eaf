namespace WorkFleet.Contracts;

/// <summary>
/// Command from the dispatcher to one worker's queue: run several attempts, each exactly as if it had come alone in
/// an <see cref="ExecuteTask"/>. The dispatcher sends one when more slots of the same worker were granted while its
/// previous message to that worker was on its way. The worker acknowledges the message once every attempt in it has
/// reported its result, so a worker that stops before that gets the whole batch again (results are fenced by
/// attempt, and an attempt already running is not started twice).
/// </summary>
public sealed record ExecuteTaskBatch
{
    /// <summary>The attempts, each addressed to the worker whose queue this is.</summary>
    public IReadOnlyList<ExecuteTask> Tasks { get; init; } = [];
}
