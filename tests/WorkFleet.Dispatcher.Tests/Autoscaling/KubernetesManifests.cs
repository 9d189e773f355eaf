using k8s;
using k8s.Models;

namespace WorkFleet.Dispatcher.Tests.Autoscaling;

/// <summary>
/// Every manifest under infra/k8s (subdirectories included), parsed strictly as KubernetesClient's typed objects;
/// KEDA's ScaledObject, which has no typed model, as a plain map.
/// </summary>
public static class KubernetesManifests
{
    private const string ScaledObjectKind = "keda.sh/v1alpha1/ScaledObject";

    private static readonly Lazy<IReadOnlyList<(string File, object Object)>> Loaded = new(LoadAll);

    /// <summary>Each object with the file it came from.</summary>
    public static IReadOnlyList<(string File, object Object)> All => Loaded.Value;

    /// <summary>The objects of type <typeparamref name="T"/>.</summary>
    public static IEnumerable<T> OfType<T>() => All.Select(m => m.Object).OfType<T>();

    /// <summary>The pod templates of every workload (Deployments, StatefulSets, Jobs), by workload name.</summary>
    public static IEnumerable<(string Workload, V1PodSpec Pod)> PodSpecs() =>
        OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec)))
            .Concat(OfType<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec)));

    /// <summary>The repository's root (the directory holding WorkFleet.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WorkFleet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No directory containing WorkFleet.sln above {AppContext.BaseDirectory}.");
    }

    private static List<(string File, object Object)> LoadAll()
    {
        var directory = Path.Combine(RepositoryRoot(), "infra", "k8s");
        var typeMap = new Dictionary<string, Type> { [ScaledObjectKind] = typeof(Dictionary<object, object>) };
        var files = Directory.GetFiles(directory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        return [.. files.SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f), typeMap, strict: true).Select(o => (f, o)))];
    }
}
