namespace WorkFleet.Dashboard.Api;

/// <summary>
/// The 202 answer of <c>POST /api/tasks</c>: the tasks are in the submit queue, in the body's order. Not yet stored:
/// <c>GET /api/tasks/{id}</c> may answer 404 until a dispatcher takes the task (<c>?wait=</c> waits for it).
/// </summary>
/// <param name="Tasks">The accepted tasks.</param>
public sealed record TasksAccepted(IReadOnlyList<AcceptedTask> Tasks);
