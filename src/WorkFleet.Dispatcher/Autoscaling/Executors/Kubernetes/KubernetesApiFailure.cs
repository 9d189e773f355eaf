using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Kubernetes;

/// <summary>
/// Turns what the Kubernetes client throws into an <see cref="ExecutorException"/> that says what failed and what to
/// fix: 403 points at the RBAC manifest, 404 of the Deployment at the settings that name it, an unreachable server at
/// the address that was tried.
/// </summary>
internal static class KubernetesApiFailure
{
    private const string Settings = "WorkFleet:Autoscaler:Kubernetes";

    /// <summary>The exception to throw instead of <paramref name="error"/>, or null when it is not a Kubernetes API failure.</summary>
    public static ExecutorException? Translate(Exception error, KubernetesCall call)
    {
        return error switch
        {
            HttpOperationException http => FromStatus(http, call),
            HttpRequestException unreachable => new ExecutorException(
                $"The Kubernetes API server {call.Server} is unreachable during {call.Verb} {call.Resource} ({unreachable.Message}): " +
                $"check the server address in the kubeconfig ({Settings}:KubeConfigPath) or, in a cluster, that the pod can reach the API server.",
                unreachable),
            OperationCanceledException timeout => new ExecutorException(
                $"The Kubernetes API server {call.Server} did not answer {call.Verb} {call.Resource} within {Settings}:RequestTimeout: " +
                "check that the server is up and reachable from the dispatcher.",
                timeout),
            _ => null,
        };
    }

    private static ExecutorException FromStatus(HttpOperationException error, KubernetesCall call)
    {
        var status = error.Response?.StatusCode;
        var said = ServerMessage(error.Response?.Content);
        var suffix = said is null ? "" : $" The API server said: {said}";
        var message = status switch
        {
            HttpStatusCode.Forbidden =>
                $"Kubernetes refused {call.Verb} {call.Resource} in namespace {call.Namespace} (403): the dispatcher's service account needs infra/k8s/rbac.yaml.",
            HttpStatusCode.NotFound when call.OfDeployment =>
                $"Kubernetes has no Deployment '{call.Deployment}' in namespace '{call.Namespace}' (404): set {Settings}:Deployment and {Settings}:Namespace " +
                "to the worker Deployment (infra/k8s/worker.yaml creates 'workfleet-worker').",
            HttpStatusCode.Unauthorized =>
                $"Kubernetes did not accept the dispatcher's credentials for {call.Verb} {call.Resource} (401): check the service account token " +
                $"or the user in the kubeconfig ({Settings}:KubeConfigPath).",
            _ =>
                $"Kubernetes answered {(int?)status} {status} to {call.Verb} {call.Resource} in namespace {call.Namespace}.",
        };
        return new ExecutorException(message + suffix, error);
    }

    /// <summary>The <c>message</c> of the API server's Status object, if the body is one.</summary>
    private static string? ServerMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                ? message.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
