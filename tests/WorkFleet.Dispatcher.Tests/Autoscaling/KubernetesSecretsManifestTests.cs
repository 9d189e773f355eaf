using k8s.Models;

namespace WorkFleet.Dispatcher.Tests.Autoscaling;

/// <summary>
/// What the manifests in infra/k8s say about secrets and roles: every Secret and ConfigMap a workload reads is
/// declared there (as a shape without values), each role has its own credentials, the broker loads the definitions
/// document from a Secret, the migrate step is a Job of the owner role, the dispatcher runs as the app role, and
/// /metrics can be scraped with a read key. No cluster runs here: this is what can be checked without one.
/// </summary>
public sealed class KubernetesSecretsManifestTests
{
    [Fact]
    public void Secrets_DeclaredWithoutValues()
    {
        var secrets = KubernetesManifests.OfType<V1Secret>().ToList();

        Assert.NotEmpty(secrets);
        Assert.All(secrets, s =>
        {
            Assert.Null(s.Data);
            Assert.NotEmpty(s.StringData);
            Assert.All(s.StringData.Where(e => e.Key != "username"), e => Assert.Equal(string.Empty, e.Value));
        });
        Assert.All(KubernetesManifests.All.Where(m => m.Object is V1Secret),
            m => Assert.Equal("secrets", Path.GetFileName(Path.GetDirectoryName(m.File))));
    }

    [Fact]
    public void Workloads_ReferenceOnlySecretsAndKeysTheManifestsDeclare()
    {
        var declared = KubernetesManifests.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name, s => s.StringData.Keys.ToHashSet());
        var configMaps = KubernetesManifests.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data.Keys.ToHashSet());

        foreach (var (workload, pod) in KubernetesManifests.PodSpecs())
        {
            foreach (var reference in pod.Containers.SelectMany(c => c.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>())
            {
                Assert.True(declared.TryGetValue(reference.Name, out var keys), $"{workload}: Secret {reference.Name} is not declared");
                Assert.True(keys.Contains(reference.Key), $"{workload}: Secret {reference.Name} has no key {reference.Key}");
            }

            foreach (var volume in pod.Volumes ?? [])
            {
                if (volume.Secret is { } secret)
                {
                    Assert.True(declared.ContainsKey(secret.SecretName), $"{workload}: Secret {secret.SecretName} is not declared");
                }

                if (volume.ConfigMap is { } configMap)
                {
                    Assert.True(configMaps.ContainsKey(configMap.Name), $"{workload}: ConfigMap {configMap.Name} is not declared");
                }
            }

            foreach (var mount in pod.Containers.SelectMany(c => c.VolumeMounts ?? []).Where(m => m.SubPath is not null))
            {
                var volume = Assert.Single(pod.Volumes ?? [], v => v.Name == mount.Name);
                var keys = volume.Secret is { } s ? declared[s.SecretName] : configMaps[volume.ConfigMap.Name];
                Assert.True(keys.Contains(mount.SubPath), $"{workload}: {mount.MountPath} mounts {mount.SubPath}, not a key of its volume");
            }
        }
    }

    [Fact]
    public void BrokerCredentials_OneSecretPerRole_NoneShared()
    {
        var dispatcher = BrokerSecret(Container("workfleet-dispatcher"));
        var worker = BrokerSecret(Container("workfleet-worker"));
        var declared = KubernetesManifests.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name);

        Assert.Equal("workfleet-rabbitmq-dispatcher", dispatcher);
        Assert.Equal("workfleet-rabbitmq-worker", worker);
        Assert.Equal("workfleet-dispatcher", declared[dispatcher].StringData["username"]);
        Assert.Equal("workfleet-worker", declared[worker].StringData["username"]);
        Assert.Equal("workfleet-operator", declared["workfleet-rabbitmq-operator"].StringData["username"]);

        // The producer runs outside the cluster: no Secret of its own here.
        Assert.DoesNotContain(declared.Values, s => s.StringData.TryGetValue("username", out var user) && user == "workfleet-producer");
    }

    [Fact]
    public void Broker_LoadsTheDefinitionsDocumentFromItsSecret()
    {
        var broker = Assert.Single(KubernetesManifests.OfType<V1StatefulSet>(), s => s.Metadata.Name == "workfleet-rabbitmq");
        var pod = broker.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var config = Assert.Single(KubernetesManifests.OfType<V1ConfigMap>(), c => c.Metadata.Name == "workfleet-rabbitmq-config");
        var service = Assert.Single(KubernetesManifests.OfType<V1Service>(), s => s.Metadata.Name == "rabbitmq");

        var definitions = Assert.Single(container.VolumeMounts, m => m.MountPath == "/etc/rabbitmq/definitions.json");
        Assert.Equal("workfleet-rabbitmq-definitions", Assert.Single(pod.Volumes, v => v.Name == definitions.Name).Secret?.SecretName);
        var conf = Assert.Single(container.VolumeMounts, m => m.MountPath == "/etc/rabbitmq/rabbitmq.conf");
        Assert.Equal(config.Metadata.Name, Assert.Single(pod.Volumes, v => v.Name == conf.Name).ConfigMap?.Name);

        // The same settings as the compose broker's rabbitmq.conf, so the two deployments cannot drift apart.
        var composeConf = File.ReadAllLines(Path.Combine(KubernetesManifests.RepositoryRoot(), "infra", "rabbitmq", "rabbitmq.conf"));
        Assert.Equal(Settings(composeConf), Settings(config.Data["rabbitmq.conf"].Split('\n')));

        // The hosts reach it by the Service name they are given.
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, broker.Spec.Template.Metadata.Labels[label.Key]));
        Assert.Equal(service.Metadata.Name, Env(Container("workfleet-dispatcher"), "WorkFleet__Transport__RabbitMq__Host").Value);
        Assert.Equal(service.Metadata.Name, Env(Container("workfleet-worker"), "WorkFleet__Transport__RabbitMq__Host").Value);
    }

    [Fact]
    public void Database_MigrateJobAsOwner_DispatcherAsAppRoleWithoutMigrations()
    {
        var job = Assert.Single(KubernetesManifests.OfType<V1Job>(), j => j.Metadata.Name == "workfleet-migrate");
        var migrate = Assert.Single(job.Spec.Template.Spec.Containers);
        var dispatcher = Container("workfleet-dispatcher");

        Assert.Equal(["migrate"], migrate.Args);
        Assert.Equal(Container("workfleet-dispatcher").Image, migrate.Image);
        Assert.Equal("workfleet-database-owner", Env(migrate, "WorkFleet__Database__ConnectionString").ValueFrom.SecretKeyRef.Name);
        Assert.Equal("workfleet-database-owner", Env(migrate, "PGPASSWORD").ValueFrom.SecretKeyRef.Name);
        Assert.Equal("workfleet-database-app", Env(migrate, "WORKFLEET_POSTGRES_APP_PASSWORD").ValueFrom.SecretKeyRef.Name);
        Assert.Equal("workfleet-database-read", Env(migrate, "WORKFLEET_POSTGRES_READ_PASSWORD").ValueFrom.SecretKeyRef.Name);

        Assert.Equal("false", Env(dispatcher, "WorkFleet__Database__ApplyMigrations").Value);
        Assert.Equal("workfleet-database-app", Env(dispatcher, "WorkFleet__Database__ConnectionString").ValueFrom.SecretKeyRef.Name);
        Assert.Equal("workfleet-database-app", Env(dispatcher, "PGPASSWORD").ValueFrom.SecretKeyRef.Name);
        Assert.DoesNotContain(Container("workfleet-worker").Env, e => e.Name.StartsWith("WorkFleet__Database__", StringComparison.Ordinal) || e.Name == "PGPASSWORD");
    }

    [Fact]
    public void Dispatcher_AcceptsAReadKeyForMetricsFromItsOwnSecret()
    {
        var pod = Assert.Single(KubernetesManifests.OfType<V1Deployment>(), d => d.Metadata.Name == "workfleet-dispatcher").Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var keys = container.Env.Where(e => e.Name.StartsWith("WorkFleet__Dashboard__ApiKeys__", StringComparison.Ordinal))
            .GroupBy(e => e.Name.Split("__")[3])
            .ToDictionary(g => g.Key, g => g.ToDictionary(e => e.Name.Split("__")[4], e => e.Value));

        var metrics = Assert.Single(keys.Values, k => k["Name"] == "metrics");
        Assert.Equal("Read", metrics["Role"]);
        Assert.Equal("workfleet-metrics-api-key", SecretBehind(pod, container, metrics["KeyFile"]));
        Assert.Contains(keys.Values, k => k["Role"] == "Admin" && SecretBehind(pod, container, k["KeyFile"]) == "workfleet-dispatcher-admin-key");
        Assert.All(keys.Values, k => Assert.False(k.ContainsKey("Key"), "keys come from files, never from a literal"));
    }

    [Fact]
    public void Workloads_NeverRunAsRoot()
    {
        Assert.All(KubernetesManifests.PodSpecs(), w =>
            Assert.True(w.Pod.SecurityContext?.RunAsNonRoot == true && w.Pod.SecurityContext.RunAsUser is > 0, $"{w.Workload} may run as root"));
        Assert.All(KubernetesManifests.PodSpecs().SelectMany(w => w.Pod.Containers.Select(c => (w.Workload, c))), w =>
        {
            Assert.False(w.c.SecurityContext?.AllowPrivilegeEscalation ?? true, $"{w.Workload}: privilege escalation allowed");
            Assert.Equal(["ALL"], w.c.SecurityContext?.Capabilities?.Drop);
        });
    }

    private static V1Container Container(string deployment) =>
        Assert.Single(Assert.Single(KubernetesManifests.OfType<V1Deployment>(), d => d.Metadata.Name == deployment).Spec.Template.Spec.Containers);

    private static V1EnvVar Env(V1Container container, string name) => Assert.Single(container.Env, e => e.Name == name);

    private static string BrokerSecret(V1Container container)
    {
        var user = Env(container, "WorkFleet__Transport__RabbitMq__Username").ValueFrom.SecretKeyRef.Name;
        Assert.Equal(user, Env(container, "WorkFleet__Transport__RabbitMq__Password").ValueFrom.SecretKeyRef.Name);
        return user;
    }

    /// <summary>The Secret mounted where <paramref name="path"/> lies.</summary>
    private static string SecretBehind(V1PodSpec pod, V1Container container, string path)
    {
        var mount = Assert.Single(container.VolumeMounts, m => path.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        return Assert.Single(pod.Volumes, v => v.Name == mount.Name).Secret.SecretName;
    }

    private static List<string> Settings(IEnumerable<string> lines) =>
        [.. lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
}
