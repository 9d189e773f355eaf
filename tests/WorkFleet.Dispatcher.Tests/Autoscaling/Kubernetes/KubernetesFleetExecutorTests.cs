using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WorkFleet.Dispatcher.Autoscaling.Executors;
using WorkFleet.Dispatcher.Autoscaling.Executors.Kubernetes;

namespace WorkFleet.Dispatcher.Tests.Autoscaling.Kubernetes;

/// <summary>
/// The executor against a fake Kubernetes API server on loopback (no cluster can run here), reached through a generated
/// kubeconfig exactly as outside a cluster: the requests it makes are asserted, not a mock's calls.
/// </summary>
public sealed class KubernetesFleetExecutorTests : IAsyncLifetime, IDisposable
{
    private const string MergePatch = "application/merge-patch+json";
    private const string DeletionCost = "controller.kubernetes.io/pod-deletion-cost";

    private readonly string _directory = Directory.CreateTempSubdirectory("workfleet-k8s-").FullName;
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task CountAsync_ReadsSpecReplicasOfTheScaleSubresource()
    {
        _api.Replicas = 3;
        using var executor = Executor();

        var count = await executor.CountAsync(CancellationToken.None);

        Assert.Equal(3, count);
        var request = Assert.Single(_api.Requests);
        Assert.Equal(("GET", "/apis/apps/v1/namespaces/fleet/deployments/workfleet-worker/scale"), (request.Method, request.Path));
    }

    [Fact]
    public async Task AddAsync_PatchesReplicasToCurrentPlusCount()
    {
        _api.Replicas = 2;
        using var executor = Executor();

        await executor.AddAsync(3, CancellationToken.None);

        Assert.Equal(5, _api.Replicas);
        var patch = Assert.Single(_api.Requests, r => r.Method == "PATCH");
        Assert.Equal(_api.ScalePath, patch.Path);
        Assert.StartsWith(MergePatch, patch.ContentType, StringComparison.Ordinal);
        Assert.Equal(5, JsonNode.Parse(patch.Body)!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task AddAsync_ReplicasChangedMeanwhile_RereadsAndAddsToTheNewCount()
    {
        _api.Replicas = 2;
        var conflicts = 0;
        _api.Fail = r => r.Method == "PATCH" && conflicts++ == 0 ? (HttpStatusCode.Conflict, "the object has been modified") : null;
        using var executor = Executor();

        // The first PATCH conflicts; meanwhile "someone else" scaled to 4.
        _api.Replicas = 4;
        await executor.AddAsync(1, CancellationToken.None);

        Assert.Equal(5, _api.Replicas);
        Assert.Equal(["GET", "PATCH", "GET", "PATCH"], _api.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task ReleaseAsync_MarksExactlyTheVictimsThenLowersReplicasByTheirNumber()
    {
        _api.Replicas = 4;
        _api.Pods.AddRange([new("worker-a"), new("worker-b"), new("worker-c"), new("worker-d")]);
        using var executor = Executor();

        await executor.ReleaseAsync(["worker-b", "worker-d"], CancellationToken.None);

        var requests = _api.Requests;
        var podPatches = requests.Where(r => r.Method == "PATCH" && r.Path.StartsWith("/api/v1/", StringComparison.Ordinal)).ToList();
        Assert.Equal([_api.PodPath("worker-b"), _api.PodPath("worker-d")], podPatches.Select(r => r.Path).Order());
        Assert.All(podPatches, r =>
        {
            Assert.StartsWith(MergePatch, r.ContentType, StringComparison.Ordinal);
            Assert.Equal("-1000", JsonNode.Parse(r.Body)!["metadata"]!["annotations"]![DeletionCost]!.GetValue<string>());
        });

        var scalePatch = Assert.Single(requests, r => r.Method == "PATCH" && r.Path == _api.ScalePath);
        Assert.Equal(2, JsonNode.Parse(scalePatch.Body)!["spec"]!["replicas"]!.GetValue<int>());
        var scalePatchAt = requests.ToList().IndexOf(scalePatch);
        Assert.All(podPatches, p => Assert.True(requests.ToList().IndexOf(p) < scalePatchAt, "every victim is marked before the replicas are lowered"));

        var list = Assert.Single(requests, r => r.Method == "GET" && r.Path == "/api/v1/namespaces/fleet/pods");
        Assert.Contains("labelSelector=app.kubernetes.io%2Fname%3Dworkfleet-worker", list.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseAsync_IdThatIsNoLivePod_IsNotCounted()
    {
        _api.Replicas = 3;
        _api.Pods.AddRange([new("worker-a"), new("worker-b"), new("worker-c", Terminating: true)]);
        using var executor = Executor();

        await executor.ReleaseAsync(["worker-a", "worker-c", "laptop-7f3a"], CancellationToken.None);

        Assert.Equal(2, _api.Replicas);
        Assert.Equal([_api.PodPath("worker-a")], _api.Requests.Where(r => r.Method == "PATCH" && r.Path != _api.ScalePath).Select(r => r.Path));
    }

    [Fact]
    public async Task ReleaseAsync_AnotherPodNotReady_RefusesAndChangesNothing()
    {
        _api.Replicas = 3;
        _api.Pods.AddRange([new("worker-a"), new("worker-b"), new("worker-new", Ready: false)]);
        using var executor = Executor();

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.ReleaseAsync(["worker-a"], CancellationToken.None));

        Assert.Contains("worker-new", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _api.Replicas);
        Assert.DoesNotContain(_api.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task ReleaseAsync_LoweringReplicasForbidden_TakesTheMarksOffAgain()
    {
        _api.Replicas = 2;
        _api.Pods.AddRange([new("worker-a"), new("worker-b")]);
        _api.Fail = r => r.Method == "PATCH" && r.Path == _api.ScalePath ? (HttpStatusCode.Forbidden, "forbidden") : null;
        using var executor = Executor();

        await Assert.ThrowsAsync<ExecutorException>(() => executor.ReleaseAsync(["worker-a"], CancellationToken.None));

        var marks = _api.Requests.Where(r => r.Path == _api.PodPath("worker-a")).Select(r => JsonNode.Parse(r.Body)!["metadata"]!["annotations"]![DeletionCost]).ToList();
        Assert.Equal(2, marks.Count);
        Assert.Equal("-1000", marks[0]!.GetValue<string>());
        Assert.Null(marks[1]);
    }

    [Fact]
    public async Task RemoveAsync_DeletesOnlyVictimPodsStillPresentAndNotTerminating()
    {
        _api.Replicas = 2;
        _api.Pods.AddRange([new("worker-a"), new("worker-b"), new("worker-c", Terminating: true)]);
        using var executor = Executor();

        await executor.RemoveAsync(["worker-b", "worker-c", "worker-gone"], CancellationToken.None);

        Assert.Equal([_api.PodPath("worker-b")], _api.Requests.Where(r => r.Method == "DELETE").Select(r => r.Path));
        Assert.Equal(2, _api.Replicas);
    }

    [Fact]
    public async Task AnyCall_Forbidden_SaysWhichVerbAndResourceAndPointsAtTheRbacManifest()
    {
        _api.Fail = _ => (HttpStatusCode.Forbidden, "deployments.apps \"workfleet-worker\" is forbidden: User \"system:serviceaccount:fleet:default\" cannot get resource \"deployments/scale\"");
        using var executor = Executor();

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.CountAsync(CancellationToken.None));

        Assert.StartsWith(
            "Kubernetes refused get deployments/scale in namespace fleet (403): the dispatcher's service account needs infra/k8s/rbac.yaml.",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("system:serviceaccount:fleet:default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_DeploymentMissing_NamesTheDeploymentNamespaceAndSettings()
    {
        using var executor = Executor(new KubernetesExecutorOptions { Deployment = "workers-typo" });

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.AddAsync(1, CancellationToken.None));

        Assert.Contains("Deployment 'workers-typo' in namespace 'fleet' (404)", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Autoscaler:Kubernetes:Deployment", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Autoscaler:Kubernetes:Namespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_ServerRefusesConnections_NamesTheServer()
    {
        var server = $"http://127.0.0.1:{ClosedPort()}";
        var options = new KubernetesExecutorOptions { KubeConfigPath = FakeKubernetesApi.WriteKubeConfig(_directory, server, "fleet") };
        using var executor = KubernetesFleetExecutor.Create(options, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.CountAsync(CancellationToken.None));

        Assert.StartsWith($"The Kubernetes API server {server}", error.Message, StringComparison.Ordinal);
        Assert.Contains("is unreachable during get deployments/scale", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_ServerNeverAnswers_NamesTheServerAndTheTimeoutSetting()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var server = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var options = new KubernetesExecutorOptions
        {
            KubeConfigPath = FakeKubernetesApi.WriteKubeConfig(_directory, server, "fleet"),
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        };
        using var executor = KubernetesFleetExecutor.Create(options, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<ExecutorException>(() => executor.CountAsync(CancellationToken.None));

        Assert.StartsWith($"The Kubernetes API server {server} did not answer get deployments/scale", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Autoscaler:Kubernetes:RequestTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_CallerCancels_CancellationIsNotReportedAsAnOutage()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var options = new KubernetesExecutorOptions { KubeConfigPath = FakeKubernetesApi.WriteKubeConfig(_directory, $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", "fleet") };
        using var executor = KubernetesFleetExecutor.Create(options, NullLogger.Instance);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => executor.CountAsync(cancel.Token));
    }

    [Fact]
    public void Create_OutsideAClusterWithoutKubeConfig_NamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KubernetesFleetExecutor.Create(new KubernetesExecutorOptions(), NullLogger.Instance));

        Assert.Contains("WorkFleet:Autoscaler:Kubernetes:KubeConfigPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NamespaceUnset_UsesTheKubeConfigContextNamespace()
    {
        using var executor = KubernetesFleetExecutor.Create(new KubernetesExecutorOptions { KubeConfigPath = _api.WriteKubeConfig(_directory) }, NullLogger.Instance);

        await executor.CountAsync(CancellationToken.None);

        Assert.Equal(_api.ScalePath, Assert.Single(_api.Requests).Path);
    }

    private KubernetesFleetExecutor Executor(KubernetesExecutorOptions? options = null)
    {
        options ??= new KubernetesExecutorOptions();
        options.Namespace ??= "fleet";
        options.KubeConfigPath = _api.WriteKubeConfig(_directory);
        return KubernetesFleetExecutor.Create(options, NullLogger.Instance);
    }

    /// <summary>A loopback port nothing listens on (bound once, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
