namespace WorkFleet.Jobs;

/// <summary>
/// What a job type needs from the worker that runs it, declared with <see cref="JobRequirementsAttribute"/> on
/// the handler and published in <see cref="JobTypeInfo.Requirements"/>. A worker should advertise a job type
/// only when it offers every capability, and producers put the capabilities in the task's
/// <c>requiredCapabilities</c> so the dispatcher routes it to such a worker.
/// </summary>
public sealed record JobRequirements
{
    /// <summary>No capability and no declared memory.</summary>
    public static JobRequirements None { get; } = new();

    /// <summary>Capabilities the worker must offer, e.g. <c>gpu</c>; empty for any worker.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Memory one job needs, in MiB; <c>null</c> when not declared.</summary>
    public int? MemoryMb { get; init; }
}
