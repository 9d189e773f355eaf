using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Kubernetes;

/// <summary>
/// The few Kubernetes API calls the executor makes on the worker Deployment and its pods, each one an RBAC verb on a
/// resource that infra/k8s/rbac.yaml grants; failures become <see cref="ExecutorException"/>s that say what to fix.
/// </summary>
internal sealed class WorkerDeploymentClient(IKubernetes client, string server, string @namespace, string deployment) : IDisposable
{
    /// <summary>Namespace of the worker Deployment.</summary>
    public string Namespace { get; } = @namespace;

    /// <summary>Name of the worker Deployment.</summary>
    public string Deployment { get; } = deployment;

    /// <summary>GET the Deployment's scale subresource (<c>spec.replicas</c>, <c>status.selector</c>, resourceVersion).</summary>
    public Task<V1Scale> ReadScaleAsync(CancellationToken cancellationToken) =>
        CallAsync("get", "deployments/scale", ofDeployment: true,
            ct => client.AppsV1.ReadNamespacedDeploymentScaleAsync(Deployment, Namespace, cancellationToken: ct), cancellationToken);

    /// <summary>
    /// PATCH the scale subresource's <c>spec.replicas</c>, conditional on <paramref name="resourceVersion"/> (the
    /// one read with it), so that a change made meanwhile by someone else is not overwritten. False on a conflict.
    /// </summary>
    public async Task<bool> TryPatchReplicasAsync(int replicas, string? resourceVersion, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            body["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        try
        {
            await CallAsync("patch", "deployments/scale", ofDeployment: true,
                ct => client.AppsV1.PatchNamespacedDeploymentScaleAsync(MergePatch(body), Deployment, Namespace, cancellationToken: ct), cancellationToken);
            return true;
        }
        catch (ExecutorException ex) when (ex.InnerException is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict })
        {
            return false;
        }
    }

    /// <summary>LIST the pods matching the Deployment's selector (as its scale subresource reports it).</summary>
    public async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string labelSelector, CancellationToken cancellationToken)
    {
        var list = await CallAsync("list", "pods", ofDeployment: false,
            ct => client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: labelSelector, cancellationToken: ct), cancellationToken);
        return list.Items is { } items ? [.. items] : [];
    }

    /// <summary>PATCH (merge) one annotation of a pod; a null value removes it.</summary>
    public Task AnnotatePodAsync(string pod, string annotation, string? value, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [annotation] = value } },
        };
        return CallAsync("patch", "pods", ofDeployment: false,
            ct => client.CoreV1.PatchNamespacedPodAsync(MergePatch(body), pod, Namespace, cancellationToken: ct), cancellationToken);
    }

    /// <summary>DELETE a pod with its own termination grace period; a pod already gone counts as deleted.</summary>
    public async Task DeletePodAsync(string pod, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("delete", "pods", ofDeployment: false,
                ct => client.CoreV1.DeleteNamespacedPodAsync(pod, Namespace, cancellationToken: ct), cancellationToken);
        }
        catch (ExecutorException ex) when (ex.InnerException is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound })
        {
        }
    }

    /// <inheritdoc />
    public void Dispose() => client.Dispose();

    private static V1Patch MergePatch(JsonObject body) => new(body.ToJsonString(), V1Patch.PatchType.MergePatch);

    private async Task<T> CallAsync<T>(string verb, string resource, bool ofDeployment, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && KubernetesApiFailure.Translate(ex, new KubernetesCall(verb, resource, Namespace, Deployment, server, ofDeployment)) is { } failure)
        {
            throw failure;
        }
    }
}
