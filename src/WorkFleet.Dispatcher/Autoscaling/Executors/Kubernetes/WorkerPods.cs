using k8s.Models;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Kubernetes;

/// <summary>What the executor needs to know of the worker Deployment's pods.</summary>
internal static class WorkerPods
{
    /// <summary>
    /// The annotation the ReplicaSet controller ranks pods by when it scales down (Kubernetes 1.22+, on by default):
    /// pods with a lower cost go first. Victims get <see cref="VictimCost"/>; every other pod has the default 0.
    /// </summary>
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>The deletion cost that marks a victim.</summary>
    public const string VictimCost = "-1000";

    /// <summary>Whether the pod is being deleted already (the ReplicaSet no longer counts it).</summary>
    public static bool IsTerminating(V1Pod pod) => pod.Metadata?.DeletionTimestamp is not null;

    /// <summary>
    /// Whether the pod is scheduled, Running and Ready. The ReplicaSet removes pods that are not before it even looks
    /// at the deletion cost, so while one of them exists a lowered replica count could take it instead of a victim.
    /// </summary>
    public static bool IsRunningAndReady(V1Pod pod) =>
        !string.IsNullOrEmpty(pod.Spec?.NodeName)
        && string.Equals(pod.Status?.Phase, "Running", StringComparison.Ordinal)
        && (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false);

    /// <summary>The pod's name.</summary>
    public static string Name(V1Pod pod) => pod.Metadata?.Name ?? "";
}
