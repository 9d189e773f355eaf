namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>One worker of an <see cref="InProcessFleet"/>: its id and how many tasks it runs at once.</summary>
public sealed record WorkerSetup(string Id, int Capacity = 4);
