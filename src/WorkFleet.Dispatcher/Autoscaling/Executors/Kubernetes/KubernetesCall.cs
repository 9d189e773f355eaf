namespace WorkFleet.Dispatcher.Autoscaling.Executors.Kubernetes;

/// <summary>What one Kubernetes API call was about, for the message of an error (RBAC terms: verb and resource).</summary>
/// <param name="Verb">RBAC verb, e.g. <c>patch</c>.</param>
/// <param name="Resource">RBAC resource, e.g. <c>deployments/scale</c> or <c>pods</c>.</param>
/// <param name="Namespace">Namespace of the call.</param>
/// <param name="Deployment">The worker Deployment's name.</param>
/// <param name="Server">The API server's address.</param>
/// <param name="OfDeployment">Whether a 404 means the Deployment is missing (rather than one pod).</param>
internal sealed record KubernetesCall(string Verb, string Resource, string Namespace, string Deployment, string Server, bool OfDeployment);
