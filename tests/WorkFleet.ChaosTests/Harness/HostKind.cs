namespace WorkFleet.ChaosTests.Harness;

/// <summary>Which host program a <see cref="HostProcess"/> runs.</summary>
public enum HostKind
{
    /// <summary><c>WorkFleet.DispatcherHost.dll</c>.</summary>
    Dispatcher,

    /// <summary><c>WorkFleet.WorkerHost.dll</c>.</summary>
    Worker,
}
