namespace WorkFleet.Dispatcher.Autoscaling.Executors;

/// <summary>The executors the autoscaler can be configured with.</summary>
public static class ExecutorNames
{
    /// <summary>Recommend only: the desired count is exported for an external scaler.</summary>
    public const string None = "none";

    /// <summary>Containers of a compose project's worker service, through the Docker Engine API.</summary>
    public const string Docker = "docker";

    /// <summary>The worker Deployment's scale subresource.</summary>
    public const string Kubernetes = "kubernetes";

    /// <summary>Accepted names.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Docker, Kubernetes];
}
