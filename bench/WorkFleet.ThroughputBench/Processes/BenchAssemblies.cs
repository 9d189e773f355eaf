using System.Reflection;

namespace WorkFleet.ThroughputBench.Processes;

/// <summary>Where the programs the bench starts are: itself (for its roles) and the built WorkFleet hosts.</summary>
public static class BenchAssemblies
{
    /// <summary>This bench's own dll, started again with <c>role …</c> for the raw pipeline's processes.</summary>
    public static string Self => typeof(BenchAssemblies).Assembly.Location;

    /// <summary>The built <c>WorkFleet.DispatcherHost.dll</c>.</summary>
    public static string DispatcherHost => Host("WorkFleet.DispatcherHost");

    /// <summary>The built <c>WorkFleet.WorkerHost.dll</c>.</summary>
    public static string WorkerHost => Host("WorkFleet.WorkerHost");

    // The hosts are built with the bench (project references that copy nothing), in the same configuration.
    private static string Host(string project)
    {
        var configuration = typeof(BenchAssemblies).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WorkFleet.sln")))
        {
            root = root.Parent;
        }

        var path = root is null ? null : Path.Combine(root.FullName, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return path is not null && File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{project}.dll ({configuration}) not found under src/{project}/bin: build the bench with `dotnet build` first.");
    }
}
