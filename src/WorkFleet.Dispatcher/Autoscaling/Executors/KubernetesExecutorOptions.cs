namespace WorkFleet.Dispatcher.Autoscaling.Executors;

/// <summary>Kubernetes executor settings. Section <c>WorkFleet:Autoscaler:Kubernetes</c>.</summary>
public sealed class KubernetesExecutorOptions
{
    /// <summary>Namespace of the worker Deployment. Default: the pod's own namespace in a cluster, else <c>default</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>Name of the worker Deployment. Default <c>workfleet-worker</c>.</summary>
    public string Deployment { get; set; } = "workfleet-worker";

    /// <summary>A kubeconfig file to use outside a cluster; in a cluster the service account is used. Default none.</summary>
    public string? KubeConfigPath { get; set; }

    /// <summary>How long one call to the Kubernetes API may take before the server counts as unreachable. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
