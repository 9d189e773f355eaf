using k8s;
using Microsoft.Extensions.Logging;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Kubernetes;

/// <summary>
/// Scales the worker Deployment through its scale subresource. A worker's id is its pod's name (the worker manifest
/// sets <c>WorkFleet__Worker__WorkerId</c> from <c>metadata.name</c>), so victims are pods.
/// </summary>
/// <remarks>
/// Scale-down marks exactly the victims with a pod-deletion-cost below every other pod's, then lowers the replicas by
/// their number: the ReplicaSet removes those pods, the kubelet sends them SIGTERM and each worker drains as on any
/// stop (Draining, finishes what it holds within its DrainTimeout, Stopped). The manifest's
/// terminationGracePeriodSeconds must exceed that DrainTimeout. Run this executor or KEDA, never both: two scalers
/// overwrite each other's replica count.
/// </remarks>
public sealed class KubernetesFleetExecutor : IFleetExecutor, IDisposable
{
    /// <summary>How often a replica change is re-read and retried when someone else changed the Deployment meanwhile.</summary>
    private const int ConflictAttempts = 3;

    private readonly WorkerDeploymentClient _deployment;
    private readonly ILogger _logger;

    private KubernetesFleetExecutor(WorkerDeploymentClient deployment, ILogger logger)
    {
        _deployment = deployment;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => ExecutorNames.Kubernetes;

    /// <summary>
    /// An executor for the Deployment <paramref name="options"/> name: as the pod's service account in a cluster, else
    /// with the kubeconfig at <see cref="KubernetesExecutorOptions.KubeConfigPath"/>. Makes no call yet.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is invalid or no configuration can be loaded; names the setting.</exception>
    public static KubernetesFleetExecutor Create(KubernetesExecutorOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(options.Deployment))
        {
            throw new InvalidOperationException("WorkFleet:Autoscaler:Kubernetes:Deployment must name the worker Deployment.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Autoscaler:Kubernetes:RequestTimeout must be positive, got {options.RequestTimeout}.");
        }

        var config = KubernetesConnection.Load(options);
        var @namespace = string.IsNullOrWhiteSpace(options.Namespace) ? config.Namespace ?? "default" : options.Namespace;
        var client = new k8s.Kubernetes(config);
        return new KubernetesFleetExecutor(new WorkerDeploymentClient(client, config.Host, @namespace, options.Deployment), logger);
    }

    /// <summary>The Deployment's desired replicas (<c>spec.replicas</c> of its scale subresource), which counts pods still starting.</summary>
    public async Task<int?> CountAsync(CancellationToken cancellationToken)
    {
        var scale = await _deployment.ReadScaleAsync(cancellationToken);
        return scale.Spec?.Replicas ?? 0;
    }

    /// <summary>Raises the Deployment's replicas by <paramref name="count"/>.</summary>
    public async Task AddAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var (from, to) = await ChangeReplicasAsync(current => current + count, cancellationToken);
        _logger.LogInformation("Deployment {Namespace}/{Deployment} scaled up from {From} to {To} replicas", _deployment.Namespace, _deployment.Deployment, from, to);
    }

    /// <summary>
    /// Marks the victims' pods with a pod-deletion-cost of -1000 (a merge patch of exactly those pods), then lowers
    /// the replicas by their number, so the ReplicaSet removes exactly those pods and they drain on SIGTERM.
    /// </summary>
    /// <remarks>
    /// An id that is not a live pod of the Deployment (gone already, terminating, or not a pod of it) is skipped with
    /// a warning and not counted: lowering the replicas for it would remove some other, unmarked pod. While a pod of
    /// the Deployment that is not a victim is not yet Running and Ready this refuses and changes nothing, because the
    /// ReplicaSet would remove that pod first whatever the deletion costs say; the next pass tries again. If lowering
    /// the replicas fails the marks are taken off again (best effort: a stale mark only makes that pod the first to go
    /// at the next scale-down, where it drains like any other).
    /// </remarks>
    public async Task ReleaseAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workerIds);
        if (workerIds.Count == 0)
        {
            return;
        }

        var pods = await LivePodsAsync(cancellationToken);
        var wanted = workerIds.ToHashSet(StringComparer.Ordinal);
        var victims = pods.Select(WorkerPods.Name).Where(wanted.Contains).ToList();
        var skipped = workerIds.Except(victims, StringComparer.Ordinal).ToList();
        if (skipped.Count > 0)
        {
            _logger.LogWarning("Workers [{Skipped}] are not live pods of Deployment {Namespace}/{Deployment}; they are not counted in the scale-down",
                string.Join(", ", skipped), _deployment.Namespace, _deployment.Deployment);
        }

        if (victims.Count == 0)
        {
            return;
        }

        var unready = pods.Where(p => !wanted.Contains(WorkerPods.Name(p)) && !WorkerPods.IsRunningAndReady(p)).Select(WorkerPods.Name).ToList();
        if (unready.Count > 0)
        {
            throw new ExecutorException(
                $"Scale-down of Deployment {_deployment.Namespace}/{_deployment.Deployment} waits: pods [{string.Join(", ", unready)}] are not Running and Ready yet, " +
                $"and the ReplicaSet would remove them before the marked victims [{string.Join(", ", victims)}]. Nothing was changed; it is retried once they are ready.");
        }

        foreach (var pod in victims)
        {
            await _deployment.AnnotatePodAsync(pod, WorkerPods.DeletionCostAnnotation, WorkerPods.VictimCost, cancellationToken);
        }

        try
        {
            var (from, to) = await ChangeReplicasAsync(current => current - victims.Count, cancellationToken);
            _logger.LogInformation("Deployment {Namespace}/{Deployment} scaled down from {From} to {To} replicas, removing pods [{Victims}]",
                _deployment.Namespace, _deployment.Deployment, from, to, string.Join(", ", victims));
        }
        catch (Exception ex) when (ex is ExecutorException or OperationCanceledException)
        {
            await UnmarkAsync(victims);
            throw;
        }
    }

    /// <summary>
    /// Deletes a victim's pod only if it is still there and not terminating (the ReplicaSet kept it, e.g. because the
    /// replicas were raised again meanwhile): a drained worker must not hold a replica. A terminating pod is left to
    /// the kubelet, which kills it when its termination grace period ends; a pod already gone needs nothing.
    /// </summary>
    public async Task RemoveAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workerIds);
        if (workerIds.Count == 0)
        {
            return;
        }

        var wanted = workerIds.ToHashSet(StringComparer.Ordinal);
        foreach (var pod in (await LivePodsAsync(cancellationToken)).Select(WorkerPods.Name).Where(wanted.Contains))
        {
            _logger.LogWarning("Pod {Namespace}/{Pod} outlived its drain and is deleted", _deployment.Namespace, pod);
            await _deployment.DeletePodAsync(pod, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _deployment.Dispose();

    /// <summary>The Deployment's pods that are not being deleted, found by the selector its scale subresource reports.</summary>
    private async Task<List<k8s.Models.V1Pod>> LivePodsAsync(CancellationToken cancellationToken)
    {
        var scale = await _deployment.ReadScaleAsync(cancellationToken);
        var selector = scale.Status?.Selector;
        if (string.IsNullOrEmpty(selector))
        {
            throw new ExecutorException(
                $"The scale subresource of Deployment {_deployment.Namespace}/{_deployment.Deployment} reports no pod selector yet; retried on the next pass.");
        }

        var pods = await _deployment.ListPodsAsync(selector, cancellationToken);
        return [.. pods.Where(p => !WorkerPods.IsTerminating(p))];
    }

    /// <summary>
    /// Reads the replicas and writes <paramref name="next"/> of them (never below 0), conditional on what was read;
    /// when someone else changed the Deployment in between, reads again (a few times, then gives up naming the cause).
    /// </summary>
    private async Task<(int From, int To)> ChangeReplicasAsync(Func<int, int> next, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= ConflictAttempts; attempt++)
        {
            var scale = await _deployment.ReadScaleAsync(cancellationToken);
            var current = scale.Spec?.Replicas ?? 0;
            var target = Math.Max(0, next(current));
            if (await _deployment.TryPatchReplicasAsync(target, scale.Metadata?.ResourceVersion, cancellationToken))
            {
                return (current, target);
            }
        }

        throw new ExecutorException(
            $"The replicas of Deployment {_deployment.Namespace}/{_deployment.Deployment} changed under the autoscaler {ConflictAttempts} times in a row (409 Conflict): " +
            "another scaler (an HPA, KEDA, kubectl scale) is changing it too; let only one of them scale the workers.");
    }

    private async Task UnmarkAsync(IReadOnlyList<string> victims)
    {
        foreach (var pod in victims)
        {
            try
            {
                await _deployment.AnnotatePodAsync(pod, WorkerPods.DeletionCostAnnotation, null, CancellationToken.None);
            }
            catch (ExecutorException ex)
            {
                _logger.LogWarning("Could not take the deletion-cost mark off pod {Namespace}/{Pod}: {Error}", _deployment.Namespace, pod, ex.Message);
            }
        }
    }
}
