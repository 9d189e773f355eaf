namespace WorkFleet.Dashboard.Api;

/// <summary>Where to follow a submitted task over HTTP.</summary>
/// <param name="Self">Its state: <c>GET /api/tasks/{id}</c>.</param>
/// <param name="Wait">Its state once it has an outcome (or after 30 s): <c>GET /api/tasks/{id}?wait=30s</c>.</param>
/// <param name="Result">Its whole result: <c>GET /api/tasks/{id}/result</c>.</param>
public sealed record TaskLinks(string Self, string Wait, string Result)
{
    /// <summary>The links of task <paramref name="taskId"/> under <paramref name="pathBase"/>.</summary>
    public static TaskLinks Of(string pathBase, Guid taskId)
    {
        var self = $"{pathBase}/api/tasks/{taskId}";
        return new TaskLinks(self, self + "?wait=30s", self + "/result");
    }
}
