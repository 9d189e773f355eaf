using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WorkFleet.Dispatcher.Tests.Autoscaling.Kubernetes;

/// <summary>
/// A tiny stand-in for the Kubernetes API server on loopback: it serves one Deployment's scale subresource and its
/// pods, records every request (method, path, content type, body), and can be told to fail. There is no cluster here.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly object _gate = new();
    private int _resourceVersion = 100;

    private FakeKubernetesApi(WebApplication app, string @namespace, string deployment)
    {
        _app = app;
        Namespace = @namespace;
        Deployment = deployment;
    }

    /// <summary>Namespace served.</summary>
    public string Namespace { get; }

    /// <summary>Deployment served.</summary>
    public string Deployment { get; }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>The Deployment's <c>spec.replicas</c>; PATCHes of the scale subresource change it.</summary>
    public int Replicas { get; set; }

    /// <summary>The Deployment's pods.</summary>
    public List<FakePod> Pods { get; } = [];

    /// <summary>The selector the scale subresource reports.</summary>
    public string Selector { get; set; } = "app.kubernetes.io/name=workfleet-worker";

    /// <summary>When set, answers a request with (status, Status message) instead of serving it; null serves it.</summary>
    public Func<RecordedRequest, (HttpStatusCode Status, string Message)?> Fail { get; set; } = _ => null;

    /// <summary>Requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Path of the Deployment's scale subresource.</summary>
    public string ScalePath => $"/apis/apps/v1/namespaces/{Namespace}/deployments/{Deployment}/scale";

    /// <summary>Path of one pod.</summary>
    public string PodPath(string pod) => $"/api/v1/namespaces/{Namespace}/pods/{pod}";

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeKubernetesApi> StartAsync(string @namespace = "fleet", string deployment = "workfleet-worker")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeKubernetesApi(app, @namespace, deployment);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    /// <summary>Writes a kubeconfig pointing at this server (token user, the served namespace) and returns its path.</summary>
    public string WriteKubeConfig(string directory) => WriteKubeConfig(directory, Address, Namespace);

    /// <summary>Writes a kubeconfig for <paramref name="server"/> and returns its path.</summary>
    public static string WriteKubeConfig(string directory, string server, string @namespace)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {server}
            users:
            - name: dispatcher
              user:
                token: test-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: dispatcher
                namespace: {@namespace}
            current-context: fake
            """);
        return path;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new RecordedRequest(
            context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", context.Request.ContentType, await reader.ReadToEndAsync());
        _requests.Enqueue(request);

        var (status, body) = Fail(request) is { } failure ? ((int)failure.Status, StatusJson(failure.Status, failure.Message)) : Serve(request);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private (int Status, string Body) Serve(RecordedRequest request)
    {
        lock (_gate)
        {
            var podsPath = $"/api/v1/namespaces/{Namespace}/pods";
            switch (request.Method)
            {
                case "GET" when request.Path == ScalePath:
                    return (200, ScaleJson());
                case "PATCH" when request.Path == ScalePath:
                    Replicas = JsonNode.Parse(request.Body)!["spec"]!["replicas"]!.GetValue<int>();
                    _resourceVersion++;
                    return (200, ScaleJson());
                case "GET" when request.Path == podsPath:
                    return (200, new JsonObject { ["kind"] = "PodList", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. Pods.Select(PodJson)]) }.ToJsonString());
                case "PATCH" or "DELETE" when Pods.Find(p => request.Path == PodPath(p.Name)) is { } pod:
                    return (200, PodJson(pod).ToJsonString());
                default:
                    return (404, StatusJson(HttpStatusCode.NotFound, $"{request.Path} not found"));
            }
        }
    }

    private string ScaleJson() => new JsonObject
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject { ["name"] = Deployment, ["namespace"] = Namespace, ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
        ["spec"] = new JsonObject { ["replicas"] = Replicas },
        ["status"] = new JsonObject { ["replicas"] = Replicas, ["selector"] = Selector },
    }.ToJsonString();

    private JsonObject PodJson(FakePod pod)
    {
        var metadata = new JsonObject { ["name"] = pod.Name, ["namespace"] = Namespace };
        if (pod.Terminating)
        {
            metadata["deletionTimestamp"] = "2026-12-02T23:00:00Z";
        }

        return new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["nodeName"] = "node-1", ["containers"] = new JsonArray() },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = pod.Ready ? "True" : "False" }),
            },
        };
    }

    private static string StatusJson(HttpStatusCode status, string message) => JsonSerializer.Serialize(new
    {
        kind = "Status",
        apiVersion = "v1",
        status = "Failure",
        message,
        reason = status.ToString(),
        code = (int)status,
    });
}
