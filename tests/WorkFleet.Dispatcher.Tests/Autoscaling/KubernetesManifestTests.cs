using k8s;
using k8s.Models;

namespace WorkFleet.Dispatcher.Tests.Autoscaling;

/// <summary>
/// The Kubernetes manifests in infra/k8s parse as typed objects (KubernetesClient's own model) and carry what the
/// executor and the workers rely on. No cluster runs here: this is what can be checked without one.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly Lazy<IReadOnlyList<(string File, object Object)>> Manifests = new(() => KubernetesManifests.All);

    [Fact]
    public void Manifests_ContainEveryPieceOfTheDeployment()
    {
        var kinds = Manifests.Value.Select(m => m.Object.GetType()).ToList();

        Assert.Contains(typeof(V1Namespace), kinds);
        Assert.Contains(typeof(V1ServiceAccount), kinds);
        Assert.Contains(typeof(V1Role), kinds);
        Assert.Contains(typeof(V1RoleBinding), kinds);
        Assert.Contains(typeof(V1Service), kinds);
        Assert.Equal(2, kinds.Count(k => k == typeof(V1Deployment)));
        Assert.Single(Manifests.Value, m => m.Object is Dictionary<object, object>);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "infra", "k8s", "rbac.yaml")), "the executor's 403 message points at infra/k8s/rbac.yaml");
    }

    [Fact]
    public void Manifests_AllInTheFleetNamespace()
    {
        var namespaced = Manifests.Value.Select(m => m.Object).OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace);

        Assert.All(namespaced, o => Assert.Equal("workfleet", o.Metadata.NamespaceProperty));
    }

    [Theory]
    [InlineData("workfleet-dispatcher")]
    [InlineData("workfleet-worker")]
    public void Deployment_ReadinessProbeOnHealthzAtAPortTheContainerOpens(string name)
    {
        var container = Assert.Single(Deployment(name).Spec.Template.Spec.Containers);

        var probe = container.ReadinessProbe?.HttpGet;
        Assert.NotNull(probe);
        Assert.Equal("/healthz", probe.Path);
        Assert.Contains(container.Ports, p => p.Name == probe.Port.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == probe.Port.Value);
    }

    [Fact]
    public void Dispatcher_ServesHealthzAndLivenessOn8080BehindItsService()
    {
        var deployment = Deployment("workfleet-dispatcher");
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        var service = Single<V1Service>(s => s.Metadata.Name == "workfleet-dispatcher");

        Assert.Equal(8080, Port(container, container.ReadinessProbe.HttpGet.Port));
        Assert.Equal("/healthz", container.LivenessProbe?.HttpGet?.Path);
        Assert.Equal(8080, Port(container, container.LivenessProbe!.HttpGet.Port));
        Assert.Equal("http://0.0.0.0:8080", Env(container, "WorkFleet__Dashboard__Urls").Value);
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, deployment.Spec.Template.Metadata.Labels[label.Key]));
        Assert.Equal(8080, Port(container, Assert.Single(service.Spec.Ports).TargetPort));
    }

    [Fact]
    public void Dispatcher_RunsTheAutoscalerWithTheKubernetesExecutorOnTheWorkerDeployment()
    {
        var container = Assert.Single(Deployment("workfleet-dispatcher").Spec.Template.Spec.Containers);

        Assert.Equal("true", Env(container, "WorkFleet__Autoscaler__Enabled").Value);
        Assert.Equal("kubernetes", Env(container, "WorkFleet__Autoscaler__Executor").Value);
        Assert.Equal("workfleet-worker", Env(container, "WorkFleet__Autoscaler__Kubernetes__Deployment").Value);
    }

    [Fact]
    public void Rbac_GrantsOnlyTheScaleOfTheWorkerDeploymentAndThePodCallsOfScaleDown()
    {
        var role = Single<V1Role>(_ => true);

        Assert.Collection(
            role.Rules,
            scale =>
            {
                Assert.Equal(["apps"], scale.ApiGroups);
                Assert.Equal(["deployments/scale"], scale.Resources);
                Assert.Equal(["workfleet-worker"], scale.ResourceNames);
                Assert.Equal(["get", "patch"], scale.Verbs);
            },
            pods =>
            {
                Assert.Equal([""], pods.ApiGroups);
                Assert.Equal(["pods"], pods.Resources);
                Assert.Null(pods.ResourceNames);
                Assert.Equal(["get", "list", "patch", "delete"], pods.Verbs);
            });
    }

    [Fact]
    public void Rbac_BindsTheRoleToTheDispatchersServiceAccount()
    {
        var binding = Single<V1RoleBinding>(_ => true);
        var account = Single<V1ServiceAccount>(_ => true);

        Assert.Equal(("Role", Single<V1Role>(_ => true).Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name), (subject.Kind, subject.Name));
        Assert.Equal(account.Metadata.Name, Deployment("workfleet-dispatcher").Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void Worker_IdIsThePodName()
    {
        var container = Assert.Single(Deployment("workfleet-worker").Spec.Template.Spec.Containers);

        Assert.Equal("metadata.name", Env(container, "WorkFleet__Worker__WorkerId").ValueFrom?.FieldRef?.FieldPath);
    }

    [Fact]
    public void Worker_HealthEndpointListensOnTheProbedPort()
    {
        var container = Assert.Single(Deployment("workfleet-worker").Spec.Template.Spec.Containers);

        var url = new Uri(Env(container, "WorkFleet__Worker__HealthUrls").Value);

        Assert.Equal(url.Port, Port(container, container.ReadinessProbe.HttpGet.Port));
        Assert.Null(container.LivenessProbe);
    }

    [Fact]
    public void Worker_GracePeriodOutlastsTheDrainTimeout()
    {
        var pod = Deployment("workfleet-worker").Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        // Unset, the worker's DrainTimeout defaults to 25 s (WorkerOptions).
        var drain = container.Env.FirstOrDefault(e => e.Name == "WorkFleet__Worker__DrainTimeout") is { } env
            ? TimeSpan.Parse(env.Value, System.Globalization.CultureInfo.InvariantCulture)
            : TimeSpan.FromSeconds(25);

        Assert.NotNull(pod.TerminationGracePeriodSeconds);
        Assert.True(TimeSpan.FromSeconds(pod.TerminationGracePeriodSeconds.Value) > drain,
            $"terminationGracePeriodSeconds {pod.TerminationGracePeriodSeconds} must exceed the drain timeout {drain}");
    }

    [Fact]
    public void Keda_ScalesTheWorkerDeploymentFromTheDesiredWorkersMetric()
    {
        var scaledObject = (Dictionary<object, object>)Assert.Single(Manifests.Value, m => m.Object is Dictionary<object, object>).Object;

        var spec = Map(scaledObject["spec"]);
        var target = Map(spec["scaleTargetRef"]);
        Assert.Equal(("Deployment", "workfleet-worker"), ((string)target["kind"], (string)target["name"]));
        var trigger = Map(Assert.Single((List<object>)spec["triggers"]));
        Assert.Equal("prometheus", trigger["type"]);
        Assert.Contains("workfleet_autoscaler_desired_workers", (string)Map(trigger["metadata"])["query"], StringComparison.Ordinal);
    }

    [Fact]
    public void Manifests_SecretsComeFromASecretNeverALiteral()
    {
        var containers = KubernetesManifests.PodSpecs().SelectMany(p => p.Pod.Containers).ToList();
        var secrets = Manifests.Value.Select(m => m.Object).OfType<V1Secret>().Select(s => s.Metadata.Name).ToHashSet();

        var sensitive = containers.SelectMany(c => c.Env ?? []).Where(e => e.Name.Contains("Password", StringComparison.OrdinalIgnoreCase)
            || e.Name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(sensitive);
        Assert.All(sensitive, e =>
        {
            Assert.Null(e.Value);
            Assert.Contains(e.ValueFrom?.SecretKeyRef?.Name ?? "(no Secret)", secrets);
        });
        Assert.All(containers.SelectMany(c => c.Env ?? []).Where(e => e.Value is not null),
            e => Assert.DoesNotContain("password", e.Value, StringComparison.OrdinalIgnoreCase));
        Assert.All(Directory.GetFiles(Path.Combine(RepositoryRoot(), "infra", "k8s"), "*.yaml", SearchOption.AllDirectories),
            f => Assert.DoesNotContain("password=", File.ReadAllText(f), StringComparison.OrdinalIgnoreCase));
    }

    private static V1Deployment Deployment(string name) => Single<V1Deployment>(d => d.Metadata.Name == name);

    private static T Single<T>(Func<T, bool> match) => Assert.Single(Manifests.Value.Select(m => m.Object).OfType<T>(), x => match(x));

    private static V1EnvVar Env(V1Container container, string name) => Assert.Single(container.Env, e => e.Name == name);

    private static Dictionary<object, object> Map(object value) => Assert.IsType<Dictionary<object, object>>(value);

    /// <summary>A port given by number or by the name of one of the container's ports.</summary>
    private static int Port(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : Assert.Single(container.Ports, p => p.Name == port.Value).ContainerPort;

    private static string RepositoryRoot() => KubernetesManifests.RepositoryRoot();
}
