using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>What an <see cref="InProcessFleet"/> runs: its workers and the test's dispatcher settings.</summary>
public sealed record FleetSetup
{
    /// <summary>The workers; by default one, <c>worker-1</c>, of capacity 4.</summary>
    public IReadOnlyList<WorkerSetup> Workers { get; init; } = [new("worker-1")];

    /// <summary>Dispatcher settings of the test, applied after the fleet's own (see <see cref="InProcessFleet"/>).</summary>
    public Action<DispatcherOptions>? Dispatcher { get; init; }
}
