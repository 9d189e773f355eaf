namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>
/// One worker of an <see cref="InProcessFleet"/>: its id, how many tasks it runs at once and, when set, how long a
/// task runs before the worker reports it started (the worker's default otherwise).
/// </summary>
public sealed record WorkerSetup(string Id, int Capacity = 4, TimeSpan? StartedReportDelay = null);
