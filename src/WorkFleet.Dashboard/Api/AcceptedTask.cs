namespace WorkFleet.Dashboard.Api;

/// <summary>A task <c>POST /api/tasks</c> sent to the submit queue.</summary>
/// <param name="TaskId">Its id (the one given, or a new one).</param>
/// <param name="Links">Where to follow it.</param>
public sealed record AcceptedTask(Guid TaskId, TaskLinks Links);
