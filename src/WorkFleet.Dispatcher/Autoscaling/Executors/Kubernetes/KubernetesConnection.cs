using k8s;
using k8s.Exceptions;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Kubernetes;

/// <summary>Where the executor finds the API server and its credentials: the pod's service account, else a kubeconfig.</summary>
internal static class KubernetesConnection
{
    private const string Settings = "WorkFleet:Autoscaler:Kubernetes";

    /// <summary>
    /// In a pod (KUBERNETES_SERVICE_HOST set, service account token mounted): the in-cluster configuration, so the
    /// calls are made as the pod's service account (infra/k8s/rbac.yaml). Elsewhere: the kubeconfig at
    /// <see cref="KubernetesExecutorOptions.KubeConfigPath"/> and its current context.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither is available or the kubeconfig cannot be read; names the setting.</exception>
    public static KubernetesClientConfiguration Load(KubernetesExecutorOptions options)
    {
        KubernetesClientConfiguration config;
        if (KubernetesClientConfiguration.IsInCluster())
        {
            config = KubernetesClientConfiguration.InClusterConfig();
        }
        else if (string.IsNullOrWhiteSpace(options.KubeConfigPath))
        {
            throw new InvalidOperationException(
                $"The kubernetes executor runs outside a cluster and {Settings}:KubeConfigPath is not set: set it to a kubeconfig file, " +
                "or run the dispatcher in the cluster (infra/k8s/dispatcher.yaml).");
        }
        else if (!File.Exists(options.KubeConfigPath))
        {
            throw new InvalidOperationException($"{Settings}:KubeConfigPath '{options.KubeConfigPath}' does not exist.");
        }
        else
        {
            try
            {
                config = KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeConfigPath);
            }
            catch (KubeConfigException ex)
            {
                throw new InvalidOperationException($"{Settings}:KubeConfigPath '{options.KubeConfigPath}' is not a usable kubeconfig: {ex.Message}", ex);
            }
        }

        config.HttpClientTimeout = options.RequestTimeout;
        return config;
    }
}
